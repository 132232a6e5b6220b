"""`ehe-letters letters`, `render` and `verify`: one case's letters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.cli.common import (
    RegisterOption,
    TemplatesOption,
    one_line,
    parse_date,
    settings,
    shown_path,
)
from ehe_letters.errors import EXIT_FAIL, InputError
from ehe_letters.letters.catalogue import all_letters, get_letter, languages_of
from ehe_letters.letters.produce import render_letter
from ehe_letters.letters.verify import verify_letter
from ehe_letters.letters.write import write_letters
from ehe_letters.models.loading import load_case_file
from ehe_letters.register.hooks import open_register, record_letters
from ehe_letters.rules.case_rules import CASE_RULES

__all__ = ["letters_command", "render_command", "verify_command"]


def letters_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list for scripts.")] = False,
    templates: TemplatesOption = None,
) -> None:
    """List the letters the toolkit can produce."""
    letters = all_letters(settings(templates))
    if as_json:
        rows = [
            {
                "id": letter.id,
                "title": letter.title,
                "statutory": letter.statutory,
                "statutory_basis": letter.statutory_basis,
                "addressed_to": letter.addressed_to,
                "languages": languages_of(letter),
            }
            for letter in letters
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(letter.id) for letter in letters)
    for letter in letters:
        welsh = "  (+ Cymraeg)" if "cy" in languages_of(letter) else ""
        typer.echo(f"{letter.id:<{width}}  {letter.title}{welsh}")


def _overrides(codes: list[str] | None, reason: str | None) -> dict[str, str]:
    if not codes:
        return {}
    if not reason or not reason.strip():
        raise InputError("--override needs --reason TEXT saying why the rule is waived")
    unknown = [c for c in codes if c not in CASE_RULES or not CASE_RULES[c].overridable]
    if unknown:
        allowed = ", ".join(c for c, r in CASE_RULES.items() if r.overridable)
        raise InputError(f"--override {unknown[0]}: not overridable (overridable: {allowed})")
    return {code: reason.strip() for code in codes}


def render_command(
    letter: Annotated[str, typer.Argument(help="Letter id, e.g. welcome or s437-notice.")],
    case_file: Annotated[Path, typer.Argument(help="Case file, JSON or YAML.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Output file (one letter) or folder (several)."),
    ] = None,
    letter_date: Annotated[
        str | None, typer.Option("--date", help="Letter date, YYYY-MM-DD (default: today).")
    ] = None,
    authority_file: Annotated[
        Path | None, typer.Option("--authority", help="Authority file (overrides the case file's).")
    ] = None,
    override: Annotated[
        list[str] | None,
        typer.Option("--override", help="Waive an overridable rule (e.g. EHE110); needs --reason."),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the rule is waived (recorded).")
    ] = None,
    parent: Annotated[
        list[int] | None,
        typer.Option(
            "--parent",
            help="A notice for this parent only (index in case.parents, from 0); repeatable.",
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a PDF beside each letter (LibreOffice).")
    ] = False,
    draft: Annotated[
        bool,
        typer.Option("--draft", help="From an unapproved template: marked 'DRAFT — not approved'."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace letters that already exist.")
    ] = False,
    templates: TemplatesOption = None,
    register: RegisterOption = None,
) -> None:
    """Render one letter for one case; prints the paths written (and records them)."""
    when = parse_date(letter_date)
    overrides = _overrides(override, reason)
    config = settings(templates, authority_file, register=register)
    book = open_register(config)  # opened (created, upgraded) before anything is written
    notes: list[str] = []
    case = load_case_file(case_file, settings=config, notes=notes)
    for note in notes:
        typer.echo(f"warning: {one_line(note)}", err=True)
    parents = tuple(parent) if parent else None
    results = render_letter(letter, case, when, overrides, config, parents, draft=draft)
    for finding in results.warnings:
        typer.echo(one_line(finding.line()), err=True)
    written = write_letters(
        results, output, case.case.reference, pdf=pdf, settings=config, force=force
    )
    if book is not None:
        letter_ = get_letter(letter, config)
        numbers = record_letters(book, letter_, case, when, results, overrides)
        typer.echo(_recorded(book, numbers, len(results)), err=True)
    for path in written:
        typer.echo(shown_path(path))


def _recorded(book, numbers: list[int], produced: int) -> str:
    if not numbers:
        return f"register {book.shown}: already holds these {produced} letter(s)"
    span = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"
    return f"register {book.shown}: recorded {len(numbers)} letter(s) (entries {span})"


def verify_command(
    letter_file: Annotated[
        Path, typer.Argument(help="A letter produced by ehe-letters (.docx, or its PDF).")
    ],
    case_file: Annotated[Path, typer.Argument(help="The case file it was produced from.")],
    authority_file: Annotated[
        Path | None, typer.Option("--authority", help="Authority file (overrides the case file's).")
    ] = None,
    templates: TemplatesOption = None,
    register: RegisterOption = None,
) -> None:
    """Check a produced letter against its case: not edited by hand, still lawful."""
    config = settings(templates, authority_file, register=register)
    case = load_case_file(case_file, settings=config)
    findings = verify_letter(letter_file, case, settings=config)
    for finding in findings:
        typer.echo(finding.line())
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(EXIT_FAIL)
    typer.echo(f"{shown_path(letter_file)}: verified against {shown_path(case_file)}")
