"""Batch mailings: many letters from one input file, resumable, with a manifest.

Every row is validated on its own; rows that fail go to ``errors.csv`` (row number, case
reference, field, message: never names, addresses or dates of birth) and the rest are produced.
Letters are written atomically, so after a crash ``--resume`` produces exactly the missing ones
and ends with the same manifest a clean run gives.  Rendering runs in worker processes, each
compiling the template once.

Folder layout: ``docx/`` (letters), ``pdf/`` (with --pdf), ``print.pdf`` (with --merge),
``manifest.json``, ``errors.csv`` and ``.ehe-batch.json`` (what the batch was started with,
so that --resume can refuse to mix two different batches).
"""

from __future__ import annotations

import contextlib
import json
import os

from ehe_letters.batch.manifest import build_manifest, write_errors
from ehe_letters.batch.read import BatchInput, load_mapping
from ehe_letters.batch.results import BatchOptions, BatchResult, Interrupted, NoProgress, RowResult
from ehe_letters.batch.state import STATE, file_sha256, find_duplicates, prepare_folder
from ehe_letters.batch.worker import item_number, run_rows
from ehe_letters.errors import EheLettersError, InputError
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.produce import compiled
from ehe_letters.models.loading import load_authority
from ehe_letters.processes import interrupt_at_safe_points
from ehe_letters.register.hooks import open_register, record_batch
from ehe_letters.rules.approval import approval_for_use
from ehe_letters.settings import Settings, settings_or_default

__all__ = ["BatchOptions", "BatchResult", "Interrupted", "run_batch"]

SMALL_BATCH = 300  # rows: below this, letters are rendered in the main process
MAX_WORKERS = 32  # and at most four per CPU: more processes only compete for the same cores


def worker_count(requested: int) -> int:
    """The number of worker processes for a request (--workers), capped at a sensible most."""
    return max(1, min(requested, MAX_WORKERS, 4 * (os.cpu_count() or 1)))


def run_batch(
    options: BatchOptions, progress: NoProgress | None = None, settings: Settings | None = None
) -> BatchResult:
    """Produce a mailing; see the module docstring.  Raises InputError for bad usage.

    ``settings`` give the templates, the authority when ``options`` name none, LibreOffice and
    the number of PDF converters (None: the packaged defaults and the environment variables).
    Ctrl-C, wherever it comes, raises :class:`Interrupted` (one line: what was written, and
    how to resume) once the workers and converters are stopped.
    """
    results: list[RowResult] = []
    try:
        with interrupt_at_safe_points():  # Ctrl-C never breaks a fork (processes.py)
            return _run_batch(options, progress, settings, results)
    except KeyboardInterrupt:
        raise _interrupted(options, results) from None


def _run_batch(
    options: BatchOptions, progress: NoProgress | None, settings: Settings | None, results: list
) -> BatchResult:
    settings = settings_or_default(settings)
    letter = get_letter(options.letter_id, settings)
    if options.merge and not options.pdf:
        raise InputError("--merge needs --pdf")
    if options.mark and not options.merge:
        raise InputError("--mark needs --merge")
    # Decided once for the whole batch: a notice from an unapproved template is refused here,
    # before any row (exit 1), unless --draft marks every letter.
    use = approval_for_use(letter, options.draft, settings)
    soffice = None
    if options.pdf:
        from ehe_letters.pdf.soffice import find_soffice

        soffice = find_soffice(settings)  # fail at once, before any work, when it is missing
    authority_path = options.authority_path or settings.authority
    authority_notes: list[str] = []  # fields of the authority file whose characters were cleaned
    authority = load_authority(authority_path, authority_notes) if authority_path else None
    mapping = load_mapping(options.mapping_path) if options.mapping_path else None

    source = BatchInput(
        options.input_path,
        mapping,
        options.encoding,
        options.limits,
        need_authority=authority is None,
    )
    facts = source.facts
    # The first pass: every row counted, repeated references found, before any folder is made.
    duplicates, total, blank = find_duplicates(source.references(), letter.id)
    template_sha = compiled(letter.template).sha256
    state = {
        "letter": letter.id,
        "date": options.letter_date.isoformat(),
        "input_sha256": facts["sha256"],
        "mapping_sha256": file_sha256(options.mapping_path),
        "authority_sha256": file_sha256(authority_path),
        "template_sha256": template_sha,
        "logo_sha256": _logo_sha256(authority),
        **({"draft": True} if use.draft else {}),
    }
    prepare_folder(options, state)
    book = open_register(settings)  # created or upgraded before the workers read it
    progress = progress or NoProgress()
    progress.total(total)
    config = {
        "letter": letter.id,
        "date": options.letter_date.isoformat(),
        "docx_dir": str(options.out_dir / "docx"),
        "authority": authority.model_dump(mode="json", exclude_none=True) if authority else None,
        "logo": authority.logo_image if authority else None,  # read once, here
        "input_dir": str(options.input_path.parent),
        "resume": options.resume,
        "settings": settings,
        "builder": source.builder,
        "draft": use.draft,
    }

    def collect(result: RowResult) -> None:
        results.append(result)
        progress.row(result)

    for number, (reference, field_, message) in sorted(duplicates.items()):
        collect(RowResult(number, reference, errors=[(field_, message)]))
    print_file = None
    with contextlib.ExitStack() as stack:
        pool = None
        if options.pdf:
            from ehe_letters.pdf.convert import ConverterPool

            # One converter a core: two threads drive each (pdf/convert.py), so none waits for
            # the batch's own work, and a third LibreOffice on two cores only competed with the
            # other two (interleaved runs: 300 letters 11% and 1,000 letters 4.5% quicker).
            converters = settings.converters or min(worker_count(options.workers), 4)
            pool = stack.enter_context(ConverterPool(workers=converters, soffice=soffice))
            pool.warm_up()  # LibreOffice starts while the letters are rendered
        todo = (item for item in source.items() if item_number(item) not in duplicates)
        # Worker processes pay off only for larger batches (each starts in ~0.3 s).
        workers = worker_count(options.workers) if total >= SMALL_BATCH else 1
        run_rows(todo, config, workers, collect)
        results.sort(key=lambda r: r.row)
        if pool is not None:
            from ehe_letters.batch.pdf_stage import add_pdfs

            print_file = add_pdfs(options, results, progress, pool)
    template = {"sha256": template_sha, "logo_sha256": state["logo_sha256"], "draft": use.draft}
    # A field of the authority file is a warning for every row: listed once, as row 0.
    notes = [
        (0, "", *note.removeprefix(f"{authority_path}: ").split(": ", 1))
        for note in authority_notes
    ]
    result = _finish(options, letter, facts, template, results, (total, blank), print_file, notes)
    result.warnings = list(use.warnings)
    if book is not None:  # after the manifest: the register records what is on disk
        result.recorded = record_batch(book, letter, options.letter_date, template_sha, results)
    return result


def _logo_sha256(authority) -> str | None:
    """The sha256 of the batch authority's logo (None without one): a changed logo is a
    different batch for --resume, and the manifest records it."""
    image = authority.logo_image if authority is not None else None
    return image.sha256 if image is not None else None


def _interrupted(options: BatchOptions, results: list[RowResult]) -> Interrupted:
    if not (options.out_dir / STATE).exists():
        return Interrupted(
            f"stopped before the batch began: nothing was written to {options.out_dir}"
        )
    written = sum(r.written for r in results)
    return Interrupted(
        f"stopped: {written} letter(s) written to {options.out_dir} this run; run the same "
        "command with --resume to produce the rest"
    )


def _finish(options, letter, facts, template, results, counts, print_file, notes) -> BatchResult:
    if len(results) != counts[0]:  # every row is a letter's, a failed one or a blank one
        raise EheLettersError(
            f"{options.input_path}: {counts[0]} row(s) read but {len(results)} accounted for; "
            "the input changed while the batch ran?"
        )
    os.sync()  # every letter is on disk before the manifest says so
    errors = [(r.row, r.reference, f, m) for r in results for f, m in r.errors]
    write_errors(options.out_dir / "errors.csv", errors)
    notes = notes + [(r.row, r.reference, f, m) for r in results for f, m in r.notes]
    if notes:
        write_errors(options.out_dir / "warnings.csv", notes)
    manifest = build_manifest(options, letter, facts, template, results, counts, print_file)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomic(options.out_dir / "manifest.json", text.encode("utf-8"))
    written = sum(r.written for r in results)
    produced = sum(len(r.outputs) for r in results)
    return BatchResult(manifest, errors, written, produced - written, notes)
