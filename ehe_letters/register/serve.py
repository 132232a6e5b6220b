"""Record that produced letters were served: one letter by its file, or a posted mailing.

A letter is found by its provenance (``identify.py``); a mailing by each letter's sha256 in its
``manifest.json``.  A letter not in the register, or whose service is already recorded, is
refused with one line, and nothing of a mailing is recorded unless all of it can be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.register.identify import find_letter
from ehe_letters.register.record import service_entry
from ehe_letters.register.store import Register
from ehe_letters.settings import Settings

__all__ = ["Served", "record_mailing", "record_service"]


@dataclass(frozen=True)
class Served:
    """Service entries just recorded, with the warnings to print."""

    entries: list[dict[str, Any]]
    numbers: list[int]
    warnings: list[str]


def _already(register: Register, produced: dict[str, Any], what: str) -> None:
    done = register.rows(letter_seq=produced["seq"], kind="service")
    if done:
        first = done[0]
        raise InputError(
            f"{what}: its service is already recorded (register entry {first['seq']}: "
            f"{first['method']} on {first['sent_on'].isoformat()})"
        )


def _entries(
    register: Register,
    letters: list[tuple[str, dict[str, Any]]],
    method: str,
    sent: date,
    at: time | None,
    settings: Settings | None,
    source: str,
) -> Served:
    entries, warnings = [], []
    for what, produced in letters:
        _already(register, produced, what)
        letter = get_letter(produced["letter_id"], settings)
        entry, notes = service_entry(letter, produced, method, sent, at, source)
        entries.append(entry)
        warnings += [f"{what}: {note}" for note in notes]
    return Served(entries, register.append(entries), warnings)


def record_service(
    register: Register,
    path: Path,
    method: str,
    sent: date,
    at: time | None = None,
    settings: Settings | None = None,
) -> Served:
    """Record the service of the letter in a produced .docx or PDF file."""
    produced = find_letter(register, path)
    return _entries(register, [(str(path), produced)], method, sent, at, settings, "served")


def record_mailing(
    register: Register,
    manifest_path: Path,
    method: str,
    sent: date,
    at: time | None = None,
    settings: Settings | None = None,
) -> Served:
    """Record the service of every letter of a batch, from its manifest.json: all or none."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = manifest["letters"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise InputError(f"{manifest_path}: not a batch's manifest.json") from None
    letters, seen = [], set()
    for entry in listed:
        try:
            what = f"{manifest_path}: {entry['files'][0]['path']}"
            digest, reference = entry["files"][0]["sha256"], entry["reference"]
        except (KeyError, IndexError, TypeError):
            raise InputError(f"{manifest_path}: not a batch's manifest.json") from None
        rows = register.rows(case_reference=reference, kind="letter", file_sha256=digest)
        if not rows:
            raise InputError(f"{what}: not in the register {register.shown}")
        if rows[-1]["seq"] in seen:
            continue
        seen.add(rows[-1]["seq"])
        letters.append((what, rows[-1]))
    if not letters:
        raise InputError(f"{manifest_path}: the mailing holds no letters")
    return _entries(register, letters, method, sent, at, settings, "mailing")
