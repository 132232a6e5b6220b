"""The hash chain of the register: each entry's sha256 covers its values and the entry before.

``entry_hash`` is the one definition of an entry's hash; ``verify_chain`` walks the whole
register and names the first entry that is not as it was recorded (a value changed in the
database, an entry removed or inserted, the last entries cut off).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ehe_letters.register.schema import HASHED_COLUMNS

__all__ = ["GENESIS", "entry_hash", "verify_chain"]

GENESIS = "0" * 64  # the "previous hash" of the first entry


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def entry_hash(values: Mapping[str, Any]) -> str:
    """The sha256 of an entry: its columns (all but ``sha256``) as canonical JSON, in order."""
    canonical = json.dumps(
        [[name, _plain(values.get(name))] for name in HASHED_COLUMNS],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def verify_chain(rows: Iterable[Mapping[str, Any]], head: Mapping[str, Any]) -> str | None:
    """Return the first problem of a register's chain (one line), or None when it is intact.

    ``rows`` are the entries in order of ``seq``; ``head`` the recorded last entry."""
    expected_seq, previous = 1, GENESIS
    for row in rows:
        seq = row["seq"]
        what = (
            f"register entry {seq} ({row['kind']} {row['letter_id']}, case {row['case_reference']})"
        )
        if seq != expected_seq:
            missing = (
                f"entry {expected_seq}"
                if seq == expected_seq + 1
                else (f"entries {expected_seq}-{seq - 1}")
            )
            return f"{what}: {missing} before it removed from the register"
        if row["prev_sha256"] != previous:
            return f"{what}: does not follow the entry before it (an entry was changed or replaced)"
        if entry_hash(row) != row["sha256"]:
            return f"{what}: its recorded values do not match its hash: changed after recording"
        previous, expected_seq = row["sha256"], seq + 1
    last = expected_seq - 1
    if head["seq"] != last or head["sha256"] != previous:
        if head["seq"] > last:
            return (
                f"register entry {last + 1}: removed (the register recorded {head['seq']} "
                f"entries, {last} are there)"
            )
        return f"register entry {last}: the register's head does not name it: entries added outside"
    return None
