"""A batch folder: what it was started with (.ehe-batch.json), so --resume can refuse to mix two
batches, and the first pass over the input (row count, repeated references)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from ehe_letters.batch.results import BatchOptions, shown_reference
from ehe_letters.errors import InputError
from ehe_letters.files import write_atomic
from ehe_letters.letters.produce import safe_stem

__all__ = ["STATE", "find_duplicates", "prepare_folder"]

STATE = ".ehe-batch.json"


def file_sha256(path: Path | None) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else None


def _has_letters(out: Path) -> bool:
    """True if a batch folder holds a finished letter (a folder without one blocks nothing)."""
    return any((out / "docx").glob("*.docx")) or any((out / "pdf").glob("*.pdf"))


def _previous(state_file: Path) -> dict:
    try:
        previous = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        previous = None
    if not isinstance(previous, dict):
        raise InputError(f"{state_file}: not a batch state file; give a new --out")
    return previous


def prepare_folder(options: BatchOptions, state: dict) -> None:
    out = options.out_dir
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give a new --out")
    state_file = out / STATE
    restart = state_file.exists() and not options.resume and not _has_letters(out)
    if restart:  # a batch that stopped before its first letter: start it afresh
        state_file.unlink()
        for name in ("errors.csv", "warnings.csv", "manifest.json"):
            (out / name).unlink(missing_ok=True)
    elif state_file.exists():
        previous = _previous(state_file)
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


SHOWN_ROWS = 5  # rows named in a duplicate's message (a file of one reference repeated
# 60,000 times would otherwise give messages as long as the file, one per row)


def _others(numbers: list[int], n: int) -> str:
    others = [m for m in numbers[: SHOWN_ROWS + 1] if m != n][:SHOWN_ROWS]
    more = len(numbers) - 1 - len(others)
    return ", ".join(map(str, others)) + (f" and {more:,} more" if more else "")


def find_duplicates(
    references: Iterable[tuple[int, str | None, bool]], letter_id: str
) -> tuple[dict[int, tuple[str, str, str]], int, int]:
    """Count the rows (and the blank ones); find those whose reference repeats (or whose file
    name would collide on a file system that ignores case)."""
    seen: dict[str, list[int]] = {}
    names: dict[str, list[int]] = {}
    total = blank = 0
    for number, reference, empty in references:
        if empty:
            blank += 1
            continue
        total += 1
        if reference:
            seen.setdefault(reference, []).append(number)
            names.setdefault(safe_stem(reference).lower(), []).append(number)
    problems: dict[int, tuple[str, str, str]] = {}
    for reference, numbers in seen.items():
        for n in numbers if len(numbers) > 1 else ():
            others = _others(numbers, n)
            problems[n] = (
                shown_reference(reference),
                "case.reference",
                f"duplicate: the same reference and letter ({letter_id}) are on row(s) {others}; "
                "no letter produced for either",
            )
    for numbers in names.values():
        if len(numbers) > 1 and not any(n in problems for n in numbers):
            for n in numbers:
                others = _others(numbers, n)
                problems[n] = (
                    "",
                    "case.reference",
                    f"gives the same file name as row(s) {others}",
                )
    return problems, total, blank
