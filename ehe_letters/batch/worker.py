"""The worker side of a batch: validate, check, render and write one row's letters (no terminal).

Runs in worker processes (each compiling the template once) or, for small batches, in-process.
Everything a row needs comes in the batch's config (a dict), settings included: a worker
process keeps it in a module global of its own; in-process, nothing is kept after the run."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ehe_letters.batch.read import Row
from ehe_letters.batch.results import Output, RowResult, shown_reference
from ehe_letters.errors import InputError, LawError, TemplateProblem
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.produce import Refused, compiled, render_letter
from ehe_letters.models import Authority, Case, CaseFile
from ehe_letters.models.clean import MESSAGE
from ehe_letters.models.loading import attach_logo, problem_lines
from ehe_letters.processes import die_with_parent, not_interrupted

__all__ = ["process_row", "run_rows"]

CHUNK = 64

# The config of the batch a worker process works for (set by init_worker, in workers only).
_CONFIG: dict[str, Any] = {}


def prepare(config: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the batch config for one process, with the template compiled."""
    compiled(get_letter(config["letter"], config["settings"]).template)
    return dict(config)


def init_worker(config: dict[str, Any], parent: int | None = None) -> None:
    """Set up a worker process: remember the batch config, compile the template once.

    The worker dies with the batch (``parent``), however the batch ends, and leaves Ctrl-C to
    the batch, which stops its workers itself and says how to resume.
    """
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked with SIGINT blocked (run_rows)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _CONFIG.clear()
    _CONFIG.update(prepare(config))


def _validate(row: Row, config: dict[str, Any]) -> CaseFile:
    """Validate a row: the case on its own when the batch has one authority (validated once)."""
    data = row.data if "case" in row.data else {"case": row.data}
    authority = config.get("authority_model")
    if authority is None and config["authority"] is not None:
        # The batch's authority, validated once per process; its logo was read once by the
        # main process and comes with the settings (never read again by each worker).
        authority = Authority.model_validate(config["authority"])
        config["authority_model"] = attach_logo(authority, "--authority", config.get("logo"))
    if authority is None or "authority" in data:
        return _own_authority(data, row, config)
    if not isinstance(data["case"], dict):
        return CaseFile.model_validate({"case": data["case"], "authority": authority})
    try:
        case = Case.model_validate(data["case"])
    except ValidationError as exc:
        raise _RowInvalid(exc, ("case",)) from None
    case_file = CaseFile.model_construct(authority=authority, case=case)
    CaseFile._officer_known(case_file)  # validated without the authority: case.officer here
    return case_file


def _own_authority(data: dict, row: Row, config: dict[str, Any]) -> CaseFile:
    """A row that gives its own authority: a relative logo is relative to the input file, and
    each logo file is read once per process."""
    own = data.get("authority")
    if isinstance(own, dict) and isinstance(own.get("logo"), str):
        logo = str(Path(config["input_dir"]) / own["logo"].strip())
        data = {**data, "authority": {**own, "logo": logo}}
    case_file = CaseFile.model_validate(data)
    authority = case_file.authority
    if isinstance(authority, Authority) and authority.logo:
        logos = config.setdefault("logos", {})
        attach_logo(authority, f"row {row.number}", logos.get(authority.logo))
        logos[authority.logo] = authority.logo_image
    return case_file


class _RowInvalid(Exception):
    """A validation error on part of a row, with the path of that part."""

    def __init__(self, error: ValidationError, prefix: tuple) -> None:
        self.error, self.prefix = error, prefix


def _field(path: str, row: Row) -> str:
    column = row.columns.get(path)
    return f"{path} (column {column})" if column else path


def process_row(row: Row, config: dict[str, Any]) -> RowResult:
    """Validate, check, render and write one row's letters (in a worker or in-process).

    Whatever a row holds, the result is its letters or its errors: an unexpected failure is
    that row's error (naming the kind of failure, never a value), not the batch's end.
    """
    result = RowResult(row.number, shown_reference(_reference(row)))
    result.notes = [(note, MESSAGE) for note in row.notes]
    if row.faults:
        result.errors += row.faults
        return result
    try:
        return _process(row, config, result)
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except OSError as exc:
        raise InputError(f"{config['docx_dir']}: cannot write a letter: {exc.strerror}") from None
    except Exception as exc:  # noqa: BLE001 - one row never stops a batch
        result.errors.append(("(row)", f"could not be processed ({type(exc).__name__})"))
        return result


def _process(row: Row, config: dict[str, Any], result: RowResult) -> RowResult:
    try:
        case_file = _validate(row, config)
    except InputError as exc:  # a row's own authority with an unusable logo
        result.errors += [("authority.logo", problem) for problem in exc.problems]
        return result
    except (ValidationError, _RowInvalid) as exc:
        error, prefix = (exc.error, exc.prefix) if isinstance(exc, _RowInvalid) else (exc, ())
        for _, where, message in problem_lines(error, ".".join(prefix)):
            message = (row.problems or {}).get(where, message)
            result.errors.append((_field(where, row), message))
        return result
    when = date.fromisoformat(config["date"])
    try:
        letters = render_letter(
            config["letter"],
            case_file,
            when,
            settings=config["settings"],
            draft=config.get("draft", False),  # decided once for the batch (run.py)
            enforce_approval=False,
            mailing=True,  # Welsh Language Standards, standard 4: the same letter to many
        )
    except Refused as exc:
        result.errors += [(f.code, _summary(f.code)) for f in exc.findings]
        return result
    except (InputError, LawError, TemplateProblem) as exc:  # e.g. missing inputs (the path is
        result.errors += [("", problem) for problem in exc.problems]  # named), a date past
        return result  # the calendar
    except (OverflowError, ValueError):
        result.errors.append(("(row)", "a date the letter needs is beyond the calendar"))
        return result
    folder = Path(config["docx_dir"])
    for rendered in letters:
        target = folder / rendered.name
        digest = hashlib.sha256(rendered.data).hexdigest()
        fresh = not (config["resume"] and target.exists() and _sha256(target) == digest)
        if fresh:
            write_atomic(target, rendered.data, durable=False)
            result.written += 1
        job = rendered.job
        postcode = (  # the addressee's postcode (a letter to a school has no parent)
            case_file.case.parents[job.parent_indexes[0]].address.postcode
            if job.parent_indexes
            else job.context["addressee"]["address_lines"][-1]
        )
        result.outputs.append(
            Output(
                rendered.name,
                digest,
                list(job.parent_indexes),
                job.child_index,
                postcode,
                fresh=fresh,
                register=_register_facts(case_file, when, config),
                language=rendered.language,
            )
        )
    result.warnings = [f.code for f in letters.warnings]
    return result


def _register_facts(case_file: CaseFile, when: date, config: dict[str, Any]) -> dict | None:
    """The dates the register records of a row's letter (None when no register is set)."""
    if config["settings"].register is None:
        return None
    from ehe_letters.register.record import named_date

    return named_date(get_letter(config["letter"], config["settings"]), case_file, when)


def item_number(item: Row | tuple[int, list[str]]) -> int:
    return item.number if isinstance(item, Row) else item[0]


def _process_item(item: Row | tuple[int, list[str]], config: dict[str, Any]) -> RowResult | None:
    """Process one input item: a Row (JSON) or a CSV record, which the worker builds into a Row."""
    builder = config.get("builder")
    row = item if builder is None else builder(*item)
    return None if row is None else process_row(row, config)


def _process_chunk(items: list) -> list[RowResult]:
    """Process a chunk of items in a worker process, with the config init_worker set."""
    return [r for item in items if (r := _process_item(item, _CONFIG)) is not None]


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


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_rows(
    rows: Iterator[Row], config: dict, workers: int, on_row: Callable[[RowResult], None]
) -> None:
    if workers <= 1:
        local = prepare(config)
        for item in rows:
            result = _process_item(item, local)
            if result is not None:
                on_row(result)
        return
    pool = ProcessPoolExecutor(workers, initializer=init_worker, initargs=(config, os.getpid()))
    pending: set[Future] = set()
    try:
        for chunk in _chunks(rows, CHUNK):
            if not pending:  # the first submit forks the workers: not to be broken by Ctrl-C
                with not_interrupted():
                    pending.add(pool.submit(_process_chunk, chunk))
                continue
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
        _stop(pool)  # Ctrl-C or a failure: no waiting for chunks in flight
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel what is queued, end the workers, reap them.

    Waiting for the workers (``shutdown(wait=True)``) after Ctrl-C could hang ("OSError:
    handle is closed"); their letters in flight are written atomically, so ending them loses
    nothing that ``--resume`` would not make again.
    """
    processes = list(getattr(pool, "_processes", {}).values())  # no public accessor
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
