"""`ehe-letters check`, `check-pdf`, `rules` and `schema`: templates, PDFs, rules and schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.cli.common import TemplatesOption, settings
from ehe_letters.errors import EXIT_ERROR, EXIT_FAIL, InputError
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import all_versions
from ehe_letters.models.schema import schema_files
from ehe_letters.rules.registry import all_rules
from ehe_letters.rules.templates import check_templates

__all__ = ["check_command", "check_pdf_command", "rules_command", "schema_command"]


def check_command(
    templates: Annotated[
        list[Path] | None, typer.Argument(help="Templates to check (default: all of them).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    folder: TemplatesOption = None,
) -> None:
    """Lint templates: syntax, split tags, unknown fields, tracked changes, required wording."""
    if output_format not in ("text", "json"):
        raise InputError(f"--format: {output_format!r} is not text or json")
    config = settings(folder)
    findings = check_templates(templates, config)
    if output_format == "json":
        typer.echo(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            typer.echo(finding.line())
        checked = len(templates) if templates else len(all_versions(config))
        typer.echo(f"{checked} template(s) checked, {len(findings)} finding(s)", err=True)
    if findings:
        raise typer.Exit(EXIT_FAIL)


def check_pdf_command(
    files: Annotated[list[Path], typer.Argument(help="PDF files to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list for scripts.")] = False,
) -> None:
    """Check PDFs against GOV.UK Notify's printable areas (PDF001-PDF003).

    Exit 1 on any finding, 2 if a file cannot be read; positions only, never the letter's text.
    """
    from ehe_letters.pdf.areas import check_areas

    findings, unreadable = [], []
    for path in files:
        try:
            findings += check_areas(path)
        except InputError as exc:
            unreadable.append(str(exc))
    if as_json:
        typer.echo(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            typer.echo(finding.line())
    for problem in unreadable:
        typer.echo(f"error: {problem}", err=True)
    typer.echo(f"{len(files)} PDF(s) checked, {len(findings)} finding(s)", err=True)
    if unreadable:
        raise typer.Exit(EXIT_ERROR)
    if findings:
        raise typer.Exit(EXIT_FAIL)


def rules_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list for scripts.")] = False,
    templates: TemplatesOption = None,
) -> None:
    """List every rule the toolkit enforces, with its code, severity and legal reference."""
    rules = all_rules(all_versions(settings(templates)))
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in rules], indent=2, ensure_ascii=False))
        return
    for r in rules:
        typer.echo(f"{r.code}  {r.severity:<7}  {r.summary}")
        typer.echo(f"        {r.reference}")


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
