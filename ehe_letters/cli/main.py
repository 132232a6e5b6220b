"""The ``ehe-letters`` command line: thin commands that parse arguments, call the library, print."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.exceptions import TyperException

from ehe_letters import __version__
from ehe_letters.batch.run import BatchOptions, run_batch
from ehe_letters.cli.common import TYPER_SETTINGS, parse_date
from ehe_letters.cli.progress import BatchProgress
from ehe_letters.cli.template import specimens_command, template_app
from ehe_letters.errors import EXIT_ERROR, EXIT_FAIL, EheLettersError, InputError, LawError
from ehe_letters.files import write_atomic
from ehe_letters.law import NOTICE_PERIODS, compute_deadline
from ehe_letters.letters.catalogue import all_letters
from ehe_letters.letters.context import long_date
from ehe_letters.letters.produce import render_letter
from ehe_letters.letters.verify import verify_letter
from ehe_letters.letters.write import write_letters
from ehe_letters.models.loading import load_authority, load_case_file
from ehe_letters.models.schema import schema_files
from ehe_letters.review.approvals import APPROVAL_RULES
from ehe_letters.rules.case_rules import CASE_RULES
from ehe_letters.rules.lint import LINT_RULES
from ehe_letters.rules.templates import check_templates
from ehe_letters.rules.wording import wording_rules

app = typer.Typer(
    help="Letters and statutory notices for elective home education teams.",
    **TYPER_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ehe-letters {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Letters and statutory notices for elective home education teams."""


@app.command("letters")
def letters_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list for scripts.")] = False,
) -> None:
    """List the letters the toolkit can produce."""
    letters = all_letters()
    if as_json:
        rows = [
            {
                "id": letter.id,
                "title": letter.title,
                "statutory": letter.statutory,
                "statutory_basis": letter.statutory_basis,
                "addressed_to": letter.addressed_to,
            }
            for letter in letters
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(letter.id) for letter in letters)
    for letter in letters:
        typer.echo(f"{letter.id:<{width}}  {letter.title}")


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


@app.command("render")
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
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a PDF beside each letter (LibreOffice).")
    ] = False,
) -> None:
    """Render one letter for one case; prints the paths written."""
    when = parse_date(letter_date)
    overrides = _overrides(override, reason)
    authority = load_authority(authority_file) if authority_file else None
    case = load_case_file(case_file, authority)
    results = render_letter(letter, case, when, overrides)
    for finding in results.warnings:
        typer.echo(finding.line(), err=True)
    written = write_letters(results, output, case.case.reference, pdf=pdf)
    for path in written:
        typer.echo(str(path))


@app.command("batch")
def batch_command(
    letter: Annotated[str, typer.Argument(help="Letter id, e.g. welcome.")],
    input_file: Annotated[Path, typer.Argument(help="CSV export, JSON list or JSON Lines.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the batch (new, or --resume).")],
    authority_file: Annotated[
        Path | None, typer.Option("--authority", help="Authority file (needed for CSV input).")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="TOML mapping of CSV columns to fields.")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also convert each letter to PDF.")] = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="Also write print.pdf, ready for duplex printing.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (default: CPU count).")
    ] = max(1, min(os.cpu_count() or 1, 8)),
    resume: Annotated[
        bool, typer.Option("--resume", help="Finish an interrupted batch in --out.")
    ] = False,
    letter_date: Annotated[
        str | None, typer.Option("--date", help="Letter date, YYYY-MM-DD (default: today).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="CSV encoding (default: detected).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Produce a mailing from a spreadsheet export: one letter per row, errors in errors.csv."""
    options = BatchOptions(
        letter_id=letter,
        input_path=input_file,
        out_dir=out,
        letter_date=parse_date(letter_date),
        authority_path=authority_file,
        mapping_path=mapping,
        pdf=pdf,
        merge=merge,
        workers=workers,
        resume=resume,
        encoding=encoding,
    )
    if not quiet and sys.stderr.isatty():
        with BatchProgress() as progress:
            result = run_batch(options, progress)
    else:
        result = run_batch(options)
    totals = result.manifest["totals"]
    summary = (
        f"{totals['letters']} letter(s) from {totals['rows_ok']} of {totals['rows']} row(s) "
        f"in {out}"
    )
    if result.skipped:
        summary += f" ({result.skipped} already there, kept)"
    if result.errors:
        summary += f"; {totals['rows_failed']} row(s) failed: see {out / 'errors.csv'}"
    typer.echo(summary, err=True)
    raise typer.Exit(result.exit_code)


@app.command("deadline")
def deadline_command(
    notice: Annotated[str, typer.Argument(help="s437-notice or sao-intention.")],
    sent: Annotated[str, typer.Option("--sent", help="Date sent or delivered, YYYY-MM-DD.")],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="hand, left-at-address, first-class-post, second-class-post or post.",
        ),
    ],
    period: Annotated[
        int | None, typer.Option("--period", help="Days in the period (at least 15).")
    ] = None,
    nation: Annotated[str, typer.Option("--nation", help="england or wales.")] = "england",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compute the deemed service date and the date to name in a notice."""
    if notice not in NOTICE_PERIODS:
        raise InputError(f"unknown notice {notice!r}; choose one of: {', '.join(NOTICE_PERIODS)}")
    if nation not in ("england", "wales"):
        raise InputError(f"--nation: {nation!r} is not england or wales")
    try:
        result = compute_deadline(notice, parse_date(sent, "--sent"), method, nation, period)
    except LawError as exc:  # here a refused input is bad usage of the calculator: exit 2
        raise InputError(str(exc), problems=exc.problems) from None
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2))
        return
    typer.echo(f"notice:            {result.notice}")
    typer.echo(f"sent:              {long_date(result.sent)} ({result.method})")
    typer.echo(f"deemed served:     {long_date(result.deemed_served)}")
    typer.echo(f"period:            {result.period_days} days beginning with the day of service")
    typer.echo(f"earliest lawful:   {long_date(result.earliest_deadline)}")
    typer.echo(f"date in notice:    {long_date(result.deadline)}")
    for reference in result.references:
        typer.echo(f"  {reference}")


@app.command("check")
def check_command(
    templates: Annotated[
        list[Path] | None, typer.Argument(help="Templates to check (default: all seven).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Lint templates: syntax, split tags, unknown fields, tracked changes, required wording."""
    if output_format not in ("text", "json"):
        raise InputError(f"--format: {output_format!r} is not text or json")
    findings = check_templates(templates)
    if output_format == "json":
        typer.echo(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            typer.echo(finding.line())
        checked = len(templates) if templates else len(all_letters())
        typer.echo(f"{checked} template(s) checked, {len(findings)} finding(s)", err=True)
    if findings:
        raise typer.Exit(EXIT_FAIL)


@app.command("rules")
def rules_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list for scripts.")] = False,
) -> None:
    """List every rule the toolkit enforces, with its code, severity and legal reference."""
    rows = [
        {
            "code": r.code,
            "severity": r.severity,
            "applies_to": list(r.letters),
            "summary": r.summary,
            "reference": r.reference,
        }
        for r in CASE_RULES.values()
    ]
    seen = set()
    for letter in all_letters():
        for w in wording_rules(letter):
            if w.code in seen:
                continue
            seen.add(w.code)
            letters = list(w.letters)
            rows.append(
                {
                    "code": w.code,
                    "severity": "error",
                    "applies_to": letters,
                    "summary": f"{w.kind}: {w.message}",
                    "reference": w.reference,
                }
            )
    rows += [
        {
            "code": code,
            "severity": "error",
            "applies_to": ["templates"],
            "summary": summary,
            "reference": reference,
        }
        for code, (summary, reference) in {**LINT_RULES, **APPROVAL_RULES}.items()
    ]
    rows.sort(key=lambda row: row["code"])
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['code']}  {row['severity']:<7}  {row['summary']}")
        typer.echo(f"        {row['reference']}")


@app.command("verify")
def verify_command(
    letter_file: Annotated[Path, typer.Argument(help="A letter produced by ehe-letters (.docx).")],
    case_file: Annotated[Path, typer.Argument(help="The case file it was produced from.")],
    authority_file: Annotated[
        Path | None, typer.Option("--authority", help="Authority file (overrides the case file's).")
    ] = None,
) -> None:
    """Check a produced letter against its case: not edited by hand, still lawful."""
    authority = load_authority(authority_file) if authority_file else None
    findings = verify_letter(letter_file, load_case_file(case_file, authority))
    for finding in findings:
        typer.echo(finding.line())
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(EXIT_FAIL)
    typer.echo(f"{letter_file}: verified against {case_file}")


@app.command("schema")
def schema_command(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the schema files are out of date.")
    ] = False,
    folder: Annotated[Path, typer.Option("--dir", help="Schema folder.")] = Path("schemas"),
) -> None:
    """Write JSON Schema for case and authority files into schemas/."""
    stale = []
    for name, text in schema_files().items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(name)
        else:
            write_atomic(path, text.encode("utf-8"))
            typer.echo(str(path))
    if stale:
        for name in stale:
            typer.echo(
                f"{folder / name}: out of date; run 'ehe-letters schema' and commit", err=True
            )
        raise typer.Exit(EXIT_FAIL)


app.add_typer(template_app, name="template")
app.command("specimens")(specimens_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn toolkit errors into one line each on stderr and an exit code."""
    try:
        code = app(args=argv, prog_name="ehe-letters", standalone_mode=False)
    except EheLettersError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        return 130
    except TyperException as exc:  # usage errors: unknown option, missing argument ...
        if hasattr(exc, "show"):
            exc.show()
        else:
            print(f"error: {exc.format_message()}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_ERROR) or EXIT_ERROR
    return code if isinstance(code, int) else 0


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
