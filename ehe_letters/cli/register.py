"""`served`, `history`, `due`, `return` and `register verify|export`: the letter book."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.cli.common import (
    TYPER_SETTINGS,
    RegisterOption,
    TemplatesOption,
    parse_date,
    settings,
)
from ehe_letters.errors import EXIT_FAIL, InputError

__all__ = [
    "due_command",
    "history_command",
    "register_app",
    "return_command",
    "served_command",
]

register_app = typer.Typer(
    help="Check and export the register (the letter book).", **TYPER_SETTINGS
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _book(register: str | None, templates: Path | None = None):
    from ehe_letters.register.store import require_register

    config = settings(templates, register=register)
    return require_register(config), config


def _time(value: str | None) -> time | None:
    if value is None:
        return None
    try:
        if len(value) != 5:
            raise ValueError
        return time.fromisoformat(value)
    except ValueError:
        raise InputError(f"--time: {value!r} is not a time in the form HH:MM") from None


def served_command(
    letter_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A produced letter (.docx or .pdf), or a batch's manifest.json."
        ),
    ],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="hand, left-at-address, first-class-post, second-class-post or post.",
        ),
    ],
    sent: Annotated[str, typer.Option("--sent", help="The day it was sent, YYYY-MM-DD.")],
    at: Annotated[
        str | None, typer.Option("--time", help="When it was handed over, HH:MM (by hand).")
    ] = None,
    register: RegisterOption = None,
    templates: TemplatesOption = None,
) -> None:
    """Record that a produced letter, or a whole posted mailing, was served."""
    from ehe_letters.register.serve import record_mailing, record_service

    book, config = _book(register, templates)
    day, when = parse_date(sent, "--sent"), _time(at)
    if letter_file.name == "manifest.json" or letter_file.suffix.lower() == ".json":
        done = record_mailing(book, letter_file, method, day, when, config)
    else:
        done = record_service(book, letter_file, method, day, when, config)
    for warning in done.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for entry, number in zip(done.entries, done.numbers, strict=True):
        line = (
            f"entry {number}: {entry['letter_id']} for case {entry['case_reference']} "
            f"(case.parents[{entry['parents']}]) served {entry['method']} on "
            f"{entry['sent_on'].isoformat()}: deemed served {entry['deemed_served'].isoformat()}"
        )
        if entry["period_end"]:
            line += f", period ends {entry['period_end'].isoformat()}"
        typer.echo(line)


def history_command(
    reference: Annotated[str, typer.Argument(metavar="REF", help="A case reference.")],
    as_json: JsonOption = False,
    register: RegisterOption = None,
) -> None:
    """Show a case's timeline: every letter produced and served, as the register holds it."""
    from ehe_letters.register.reports import history_items

    book, _ = _book(register)
    items = history_items(book.rows(case_reference=reference))
    if as_json:
        typer.echo(json.dumps({"case_reference": reference, "entries": items}, indent=2))
        return
    if not items:
        raise InputError(f"case {reference}: nothing in the register {book.shown}")
    for item in items:
        typer.echo(f"{item['date']}  entry {item['entry']:<4} {item['what']}")


def due_command(
    on: Annotated[str | None, typer.Option("--on", help="From this day (default: today).")] = None,
    within: Annotated[
        int, typer.Option("--within", min=0, help="Days after --on to look ahead (default 14).")
    ] = 14,
    as_json: JsonOption = False,
    register: RegisterOption = None,
) -> None:
    """List what falls due: periods ending, registration dates, reply-by dates, next steps."""
    from ehe_letters.register.reports import due_items

    book, _ = _book(register)
    day = parse_date(on, "--on")
    items = due_items(book.rows(), day, within)
    if as_json:
        typer.echo(json.dumps(items, indent=2))
        return
    if not items:
        typer.echo(f"nothing falls due from {day.isoformat()} to {within} day(s) after", err=True)
    for item in items:
        named = f" (date named {item['date_named']})" if item["date_named"] else ""
        period = f", period end {item['period_end']}" if item["period_end"] else ""
        typer.echo(
            f"{item['date']}  {item['case_reference']}  {item['letter']}  {item['addressee']}: "
            f"{item['what']}{named}{period}; from {item['next_step_from']}: {item['next_step']}"
        )


def return_command(
    start: Annotated[str, typer.Option("--from", help="First day of the term, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day of the term, YYYY-MM-DD.")],
    as_json: JsonOption = False,
    register: RegisterOption = None,
) -> None:
    """Count what the DfE's termly EHE/CME return asks that the register knows."""
    from ehe_letters.register.dfe_return import dfe_return

    book, _ = _book(register)
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if last < first:
        raise InputError("--to: before --from")
    report = dfe_return(book.rows(), first, last)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    typer.echo(f"DfE EHE/CME return, {report['from']} to {report['to']} (by the day sent):")
    for name, counts in report["counts"].items():
        label = name.replace("_", " ")
        typer.echo(f"  {label}: {counts['notices']} ({counts['children']} child(ren))")
    produced = ", ".join(f"{k} {v}" for k, v in report["letters_produced"].items()) or "none"
    typer.echo(f"  letters produced: {produced}")
    typer.echo("The register cannot count (take these from the case management system):")
    for item in report["cannot_count"]:
        typer.echo(f"  - {item}")


@register_app.command("verify")
def register_verify_command(register: RegisterOption = None) -> None:
    """Check every entry against its hash: exit 1 naming the first one changed or removed."""
    book, _ = _book(register)
    problem = book.verify()
    if problem is not None:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_FAIL)
    count = book.count()
    typer.echo(f"register {book.shown}: {count} entries, each as recorded")


@register_app.command("export")
def register_export_command(
    case: Annotated[str, typer.Option("--case", metavar="REF", help="The case reference.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (default: print).")
    ] = None,
    register: RegisterOption = None,
) -> None:
    """Write a proof-of-service summary of a case, for a court bundle."""
    from ehe_letters.files import write_atomic
    from ehe_letters.register.export import proof_of_service

    book, _ = _book(register)
    rows = book.rows(case_reference=case)
    if not rows:
        raise InputError(f"case {case}: nothing in the register {book.shown}")
    text = proof_of_service(case, rows, book.verify())
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"))  # readable by its owner only
    typer.echo(str(output))
