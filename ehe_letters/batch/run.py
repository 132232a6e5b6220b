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
import csv
import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ehe_letters import __version__
from ehe_letters.batch.read import Row, load_mapping, read_raw, read_references
from ehe_letters.cli.progress import NoProgress
from ehe_letters.docx.compiled import write_atomic
from ehe_letters.errors import EheLettersError, InputError, LawError
from ehe_letters.letters.catalogue import get_letter, templates_dir
from ehe_letters.letters.produce import Refused, compiled, render_letter, safe_stem
from ehe_letters.models import Authority, Case, CaseFile
from ehe_letters.models.loading import field_path, load_authority

__all__ = ["BatchOptions", "BatchResult", "Interrupted", "run_batch"]

STATE = ".ehe-batch.json"
CHUNK = 64
SMALL_BATCH = 300  # rows: below this, letters are rendered in the main process


class Interrupted(EheLettersError):
    """The batch was stopped (Ctrl-C); finished letters are kept."""

    exit_code = 130


@dataclass(frozen=True)
class BatchOptions:
    letter_id: str
    input_path: Path
    out_dir: Path
    letter_date: date
    authority_path: Path | None = None
    mapping_path: Path | None = None
    pdf: bool = False
    merge: bool = False
    workers: int = 1
    resume: bool = False
    encoding: str | None = None


@dataclass
class Output:
    name: str
    sha256: str
    parents: list[int]
    child: int | None
    postcode: str
    pdf: list[dict] = field(default_factory=list)  # [{"path", "sha256", "pages"}] with --pdf
    print_pages: list[int] | None = None  # [first, last] in print.pdf with --merge
    fresh: bool = False  # written by this run (so its PDF must be made again)


@dataclass
class RowResult:
    row: int
    reference: str
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    written: int = 0


@dataclass
class BatchResult:
    manifest: dict
    errors: list[tuple[int, str, str, str]]
    written: int
    skipped: int

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


# ---------------------------------------------------------------- worker side (no terminal)

_CONFIG: dict[str, Any] = {}


def _init_worker(config: dict[str, Any]) -> None:
    """Set up a worker process: remember the batch settings, compile the template once."""
    if config.get("templates"):
        os.environ["EHE_LETTERS_TEMPLATES"] = config["templates"]
    _CONFIG.clear()
    _CONFIG.update(config)
    compiled(get_letter(config["letter"]).template)


def _validate(row: Row, config: dict[str, Any]) -> CaseFile:
    """Validate a row: the case on its own when the batch has one authority (validated once)."""
    data = row.data if "case" in row.data else {"case": row.data}
    authority = config.get("authority_model")
    if authority is None and config["authority"] is not None:
        authority = config["authority_model"] = Authority.model_validate(config["authority"])
    if authority is None or "authority" in data:
        return CaseFile.model_validate(data)
    if not isinstance(data["case"], dict):
        return CaseFile.model_validate({"case": data["case"], "authority": config["authority"]})
    try:
        case = Case.model_validate(data["case"])
    except ValidationError as exc:
        raise _RowInvalid(exc, ("case",)) from None
    return CaseFile.model_construct(authority=authority, case=case)


class _RowInvalid(Exception):
    """A validation error on part of a row, with the path of that part."""

    def __init__(self, error: ValidationError, prefix: tuple) -> None:
        self.error, self.prefix = error, prefix


def _field(loc: tuple, row: Row) -> str:
    path = field_path(loc)
    column = row.columns.get(path)
    return f"{path} (column {column})" if column else path


def process_row(row: Row) -> RowResult:
    """Validate, check, render and write one row's letters (in a worker or in-process)."""
    config = _CONFIG
    reference = _reference(row) or ""
    result = RowResult(row.number, reference)
    try:
        case_file = _validate(row, config)
    except (ValidationError, _RowInvalid) as exc:
        error, prefix = (exc.error, exc.prefix) if isinstance(exc, _RowInvalid) else (exc, ())
        for problem in error.errors(include_input=False, include_url=False):
            loc = prefix + tuple(problem["loc"])
            message = problem["msg"].removeprefix("Value error, ")
            message = (row.problems or {}).get(field_path(loc), message)
            result.errors.append((_field(loc, row), message))
        return result
    when = date.fromisoformat(config["date"])
    try:
        letters = render_letter(config["letter"], case_file, when)
    except Refused as exc:
        result.errors += [(f.code, _summary(f.code)) for f in exc.findings]
        return result
    except (InputError, LawError) as exc:  # e.g. missing inputs (the path is named), or a
        result.errors += [("", problem) for problem in exc.problems]  # date past the calendar
        return result
    folder = Path(config["docx_dir"])
    for rendered in letters:
        target = folder / rendered.name
        digest = hashlib.sha256(rendered.data).hexdigest()
        fresh = not (config["resume"] and target.exists() and _sha256(target) == digest)
        if fresh:
            write_atomic(target, rendered.data, durable=False)
            result.written += 1
        parent = case_file.case.parents[rendered.job.parent_indexes[0]]
        job = rendered.job
        result.outputs.append(
            Output(
                rendered.name,
                digest,
                list(job.parent_indexes),
                job.child_index,
                parent.address.postcode,
                fresh=fresh,
            )
        )
    result.warnings = [f.code for f in letters.warnings]
    return result


def _number(item: Row | tuple[int, list[str]]) -> int:
    return item.number if isinstance(item, Row) else item[0]


def _process_item(item: Row | tuple[int, list[str]]) -> RowResult | None:
    """Process one input item: a Row (JSON) or a CSV record, which the worker builds into a Row."""
    builder = _CONFIG.get("builder")
    row = item if builder is None else builder(*item)
    return None if row is None else process_row(row)


def _process_chunk(items: list) -> list[RowResult]:
    return [r for r in map(_process_item, items) if r is not None]


def _summary(code: str) -> str:
    """A rule's one-line summary: generic, so errors.csv holds no personal data."""
    from ehe_letters.rules.case_rules import CASE_RULES

    rule = CASE_RULES.get(code)
    return rule.summary if rule else "the letter's wording rules refused the produced text"


def _reference(row: Row) -> str | None:
    case = row.data.get("case", row.data)
    value = case.get("reference") if isinstance(case, dict) else None
    return value.strip() if isinstance(value, str) else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- main side


def _file_sha256(path: Path | None) -> str | None:
    return _sha256(path) if path else None


def _prepare_folder(options: BatchOptions, state: dict) -> None:
    out = options.out_dir
    state_file = out / STATE
    if state_file.exists():
        previous = json.loads(state_file.read_text(encoding="utf-8"))
        if not options.resume:
            raise InputError(
                f"{out}: already holds a batch; run with --resume to finish it, or give a new --out"
            )
        changed = [k for k in state if k != "pdf" and k != "merge" and previous.get(k) != state[k]]
        if changed:
            raise InputError(
                f"{out}: was started with a different {changed[0].replace('_', ' ')}; "
                "--resume needs the same input, letter, date and template"
            )
    elif out.exists() and any(out.iterdir()):
        raise InputError(f"{out}: not empty and not a batch folder; give a new --out")
    elif options.resume:
        raise InputError(f"{out}: no batch to resume here")
    for folder in (out, out / "docx", *([out / "pdf"] if options.pdf else [])):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in folder.glob(".*.part"):
            stale.unlink()  # a temporary file left by a crash: never a finished letter
    write_atomic(state_file, json.dumps(state, indent=2).encode("utf-8"))


def _first_pass(
    references: Iterable[tuple[int, str | None]], letter_id: str
) -> tuple[dict[int, tuple[str, str, str]], int]:
    """Count the rows; find those whose reference repeats (or whose file name would collide)."""
    seen: dict[str, list[int]] = {}
    names: dict[str, list[int]] = {}
    total = 0
    for number, reference in references:
        total += 1
        if reference:
            seen.setdefault(reference, []).append(number)
            names.setdefault(safe_stem(reference).lower(), []).append(number)
    problems: dict[int, tuple[str, str, str]] = {}
    for reference, numbers in seen.items():
        for n in numbers if len(numbers) > 1 else ():
            others = ", ".join(str(m) for m in numbers if m != n)
            problems[n] = (
                reference,
                "case.reference",
                f"duplicate: the same reference and letter ({letter_id}) are on row(s) {others}; "
                "no letter produced for either",
            )
    for numbers in names.values():
        if len(numbers) > 1 and not any(n in problems for n in numbers):
            for n in numbers:
                others = ", ".join(str(m) for m in numbers if m != n)
                problems[n] = (
                    "",
                    "case.reference",
                    f"gives the same file name as row(s) {others}",
                )
    return problems, total


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_rows(
    rows: Iterator[Row], config: dict, workers: int, on_row: Callable[[RowResult], None]
) -> None:
    if workers <= 1:
        _init_worker(config)
        for item in rows:
            result = _process_item(item)
            if result is not None:
                on_row(result)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(config,)) as pool:
        pending: set[Future] = set()
        try:
            for chunk in _chunks(rows, CHUNK):
                pending.add(pool.submit(_process_chunk, chunk))
                if len(pending) >= workers * 3:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        for result in future.result():
                            on_row(result)
            for future in pending:
                for result in future.result():
                    on_row(result)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def run_batch(options: BatchOptions, progress: NoProgress | None = None) -> BatchResult:
    """Produce a mailing; see the module docstring.  Raises InputError for bad usage."""
    letter = get_letter(options.letter_id)
    if options.merge and not options.pdf:
        raise InputError("--merge needs --pdf")
    if options.pdf:
        from ehe_letters.pdf.convert import find_soffice

        find_soffice()  # fail at once, before any work, when LibreOffice is missing
    authority = load_authority(options.authority_path) if options.authority_path else None
    mapping = load_mapping(options.mapping_path) if options.mapping_path else None

    items, builder, facts = read_raw(options.input_path, mapping, options.encoding)
    template_sha = compiled(letter.template).sha256
    state = {
        "letter": letter.id,
        "date": options.letter_date.isoformat(),
        "input_sha256": facts["sha256"],
        "mapping_sha256": _file_sha256(options.mapping_path),
        "authority_sha256": _file_sha256(options.authority_path),
        "template_sha256": template_sha,
    }
    _prepare_folder(options, state)
    references = read_references(options.input_path, mapping, options.encoding)
    duplicates, total = _first_pass(references, letter.id)
    progress = progress or NoProgress()
    progress.total(total)
    config = {
        "letter": letter.id,
        "date": options.letter_date.isoformat(),
        "docx_dir": str(options.out_dir / "docx"),
        "authority": authority.model_dump(mode="json", exclude_none=True) if authority else None,
        "resume": options.resume,
        "templates": str(templates_dir()),
        "builder": builder,
    }
    results: list[RowResult] = []

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

            converters = int(os.environ.get("EHE_LETTERS_CONVERTERS", 0)) or min(
                max(1, options.workers) + 1, 4
            )  # LibreOffice also waits on files: one more converter than cores keeps them busy
            pool = stack.enter_context(ConverterPool(workers=converters))
            pool.warm_up()  # LibreOffice starts while the letters are rendered
        try:
            todo = (item for item in items if _number(item) not in duplicates)
            # Worker processes pay off only for larger batches (each starts in ~0.3 s).
            workers = max(1, options.workers) if total >= SMALL_BATCH else 1
            _run_rows(todo, config, workers, collect)
            results.sort(key=lambda r: r.row)
            if pool is not None:
                from ehe_letters.batch.pdf_stage import add_pdfs

                print_file = add_pdfs(options, results, progress, pool)
        except KeyboardInterrupt:
            raise _interrupted(options, results) from None
    return _finish(options, letter, facts, template_sha, results, total, print_file)


def _interrupted(options: BatchOptions, results: list[RowResult]) -> Interrupted:
    written = sum(r.written for r in results)
    return Interrupted(
        f"stopped: {written} letter(s) written to {options.out_dir} this run; run the same "
        "command with --resume to produce the rest"
    )


def _finish(options, letter, facts, template_sha, results, total, print_file) -> BatchResult:
    os.sync()  # every letter is on disk before the manifest says so
    errors = [(r.row, r.reference, f, m) for r in results for f, m in r.errors]
    _write_errors(options.out_dir / "errors.csv", errors)
    manifest = build_manifest(options, letter, facts, template_sha, results, total, print_file)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomic(options.out_dir / "manifest.json", text.encode("utf-8"))
    written = sum(r.written for r in results)
    produced = sum(len(r.outputs) for r in results)
    return BatchResult(manifest, errors, written, produced - written)


def _write_errors(path: Path, errors: list[tuple[int, str, str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "case_reference", "field", "message"])
    writer.writerows(errors)
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def build_manifest(options, letter, facts, template_sha, results, total, print_file) -> dict:
    """The manifest: what was produced from what, with checksums; no timestamps, so stable."""
    letters = []
    warnings: Counter[str] = Counter()
    for r in results:
        warnings.update(r.warnings)
        for out in r.outputs:
            entry = {
                "row": r.row,
                "reference": r.reference,
                "letter": letter.id,
                "addressee_index": out.parents,
                "child_index": out.child,
                "files": [{"path": f"docx/{out.name}", "sha256": out.sha256}, *out.pdf],
            }
            if out.print_pages:
                entry["print_pages"] = out.print_pages
            letters.append(entry)
    rows_failed = sum(1 for r in results if r.errors)
    totals = {
        "rows": total,
        "rows_ok": total - rows_failed,
        "rows_failed": rows_failed,
        "letters": len(letters),
    }
    if options.pdf:
        totals["pages"] = sum(f.get("pages", 0) for e in letters for f in e["files"])
    manifest = {
        "toolkit": f"ehe-letters {__version__}",
        "letter": letter.id,
        "date": options.letter_date.isoformat(),
        "template": {"file": letter.template.name, "sha256": template_sha},
        "input": facts,
        "letters": letters,
        "warnings": dict(sorted(warnings.items())),
        "totals": totals,
    }
    if print_file:
        manifest["print_file"] = print_file
    return manifest
