"""Record the letters ``render`` and ``batch`` produce (when a register is configured).

A letter already in the register (the same case and the same file, byte for byte: output is
deterministic) is not recorded again, so a re-run or a resumed batch adds only what is new.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ehe_letters.letters.catalogue import Letter
from ehe_letters.models import CaseFile
from ehe_letters.register.record import letter_entry, template_status
from ehe_letters.register.store import Register

__all__ = ["record_batch", "record_letters"]


def _new(register: Register, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not entries:
        return []
    recorded = register.rows(kind="letter", letter_id=entries[0]["letter_id"])
    seen = {(r["case_reference"], r["file_sha256"]) for r in recorded}
    fresh = []
    for entry in entries:
        key = (entry["case_reference"], entry["file_sha256"])
        if key not in seen:
            seen.add(key)
            fresh.append(entry)
    return fresh


def record_letters(
    register: Register,
    letter: Letter,
    case_file: CaseFile,
    letter_date: date,
    letters: Any,
    overrides: dict[str, str] | None = None,
) -> list[int]:
    """Record the letters one ``render`` produced (a LetterSet); return the entry numbers."""
    entries = [
        letter_entry(letter, case_file, letter_date, rendered, overrides=overrides)
        for rendered in letters
    ]
    return register.append(_new(register, entries))


def record_batch(
    register: Register, letter: Letter, letter_date: date, template_sha256: str, results: list
) -> list[int]:
    """Record the letters of a batch (its RowResults, each output carrying ``register``)."""
    status = template_status(letter, template_sha256)
    entries = [
        {
            "kind": "letter",
            "case_reference": result.reference,
            "letter_id": letter.id,
            "parents": "-".join(str(i) for i in output.parents),
            "child": output.child,
            "letter_date": letter_date,
            "language": output.language,
            "template_sha256": template_sha256,
            "file_sha256": output.sha256,
            "file_name": output.name,
            "status": status,
            "source": "batch",
            **output.register,
        }
        for result in results
        for output in result.outputs
        if output.register is not None
    ]
    return register.append(_new(register, entries))
