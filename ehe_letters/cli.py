"""The ``ehe-letters`` command line: thin commands that parse arguments, call the library, print."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .catalogue import all_letters
from .errors import EXIT_ERROR, EXIT_FAIL, EheLettersError, InputError
from .letters import render_letter
from .loading import load_authority, load_case_file
from .render import write_atomic
from .schema import schema_files

app = typer.Typer(
    help="Letters and statutory notices for elective home education teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _parse_date(value: str | None, option: str = "--date") -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date in the form YYYY-MM-DD") from None


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
) -> None:
    """Render one letter for one case; prints the paths written."""
    when = _parse_date(letter_date)
    authority = load_authority(authority_file) if authority_file else None
    results = render_letter(letter, load_case_file(case_file, authority), when)
    if output is not None and output.suffix.lower() == ".docx":
        if len(results) > 1:
            raise InputError(
                f"-o {output}: this case gives {len(results)} letters (one per addressee); "
                "give a folder instead"
            )
        targets = [output]
    else:
        folder = output or Path.cwd()
        targets = [folder / result.name for result in results]
    written: list[Path] = []
    try:
        for target, result in zip(targets, results, strict=True):
            write_atomic(target, result.data)
            written.append(target)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise InputError(
            f"{exc.filename or targets[len(written)]}: cannot write: {exc.strerror}"
        ) from None
    for path in written:
        typer.echo(str(path))


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
    except Exception as exc:  # click usage errors and the like
        from click import ClickException

        if isinstance(exc, ClickException):
            exc.show()
            return EXIT_ERROR
        raise
    return code if isinstance(code, int) else 0


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
