"""`ehe-letters batch`: a mailing from a spreadsheet export."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.batch.limits import InputLimits
from ehe_letters.batch.run import BatchOptions, run_batch
from ehe_letters.cli.common import (
    RegisterOption,
    TemplatesOption,
    parse_date,
    settings,
    shown_path,
)
from ehe_letters.cli.progress import BatchProgress

__all__ = ["batch_command"]

MB = 1024 * 1024


def batch_command(
    letter: Annotated[str, typer.Argument(help="Letter id, e.g. welcome.")],
    input_file: Annotated[Path, typer.Argument(help="CSV export, JSON list or JSON Lines.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the batch (new, or --resume).")],
    authority_file: Annotated[
        Path | None,
        typer.Option(
            "--authority", help="Authority file (default: the workspace's; CSV needs one)."
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="TOML mapping of CSV columns to fields.")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also convert each letter to PDF.")] = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="Also write print.pdf, ready for duplex printing.")
    ] = False,
    mark: Annotated[
        bool,
        typer.Option("--mark", help="With --merge: inserter marks on the letters in print.pdf."),
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, help="Worker processes (default: CPU count; at most 32)."),
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
    converters: Annotated[
        int | None,
        typer.Option(
            "--converters", min=1, help="PDF converters (default: as many as workers, at most 4)."
        ),
    ] = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft", help="Letters from an unapproved template, marked 'DRAFT — not approved'."
        ),
    ] = False,
    max_input_mb: Annotated[
        int, typer.Option("--max-input-mb", min=1, help="Largest input file, in MB.")
    ] = InputLimits.max_bytes // MB,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Most rows after the header.")
    ] = InputLimits.max_rows,
    max_cell: Annotated[
        int, typer.Option("--max-cell", min=1, help="Most characters in one cell.")
    ] = InputLimits.max_cell,
    templates: TemplatesOption = None,
    register: RegisterOption = None,
) -> None:
    """Produce a mailing from a spreadsheet export: one letter per row, errors in errors.csv."""
    config = settings(templates, authority_file, converters=converters, register=register)
    options = BatchOptions(
        letter_id=letter,
        input_path=input_file,
        out_dir=out,
        letter_date=parse_date(letter_date),
        mapping_path=mapping,
        pdf=pdf,
        merge=merge,
        mark=mark,
        workers=workers,
        resume=resume,
        encoding=encoding,
        draft=draft,
        limits=InputLimits(max_bytes=max_input_mb * MB, max_rows=max_rows, max_cell=max_cell),
    )
    if not quiet and sys.stderr.isatty():
        with BatchProgress() as progress:
            result = run_batch(options, progress, config)
    else:
        result = run_batch(options, settings=config)
    for finding in result.warnings:
        typer.echo(finding.line(), err=True)
    totals = result.manifest["totals"]
    summary = (
        f"{totals['letters']} letter(s) from {totals['rows_ok']} of {totals['rows']} row(s) "
        f"in {shown_path(out)}"
    )
    if result.skipped:
        summary += f" ({result.skipped} already there, kept)"
    if result.errors:
        summary += f"; {totals['rows_failed']} row(s) failed: see {shown_path(out / 'errors.csv')}"
    if totals["rows_blank"]:
        summary += f"; {totals['rows_blank']} blank row(s) skipped"
    summary += f"; {totals['rows_read']} row(s) read"
    if result.notes:
        summary += f"; {len(result.notes)} warning(s): see {shown_path(out / 'warnings.csv')}"
    if result.recorded is not None:
        summary += f"; {len(result.recorded)} recorded in the register"
    typer.echo(summary, err=True)
    raise typer.Exit(result.exit_code)
