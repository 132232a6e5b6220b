"""The register's tables (SQLAlchemy Core): one append-only chain of entries, and its head.

An entry is a letter produced (``kind = "letter"``) or the service of one (``"service"``).
Only references, dates, hashes, codes and parent indexes are stored: names, addresses and the
text of a letter stay in the case files and the letters.  Each entry holds the sha256 of the
entry before it (``prev_sha256``) and its own (``sha256``, over every other column), and
``chain_head`` the last entry's number and hash, so a changed, removed or added entry is found
(``ehe-letters register verify``).  The tables are created and upgraded by the Alembic
migrations in ``register/migrations/versions/``; this module must match the latest of them
(tests/test_register.py checks it).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Text

__all__ = ["CHAIN_HEAD", "ENTRIES", "HASHED_COLUMNS", "METADATA"]

METADATA = MetaData()

ENTRIES = Table(
    "entries",
    METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),  # letter | service
    Column("recorded_at", String(32), nullable=False),  # UTC, ISO 8601, seconds
    Column("case_reference", String(40), nullable=False, index=True),
    Column("letter_id", String(40), nullable=False),
    Column("parents", String(40), nullable=False),  # addressee indexes: "0", "0-1"
    Column("child", Integer),  # the child index of a notice (one per child)
    Column("letter_date", Date, nullable=False),
    Column("language", String(8)),
    Column("template_sha256", String(64)),
    Column("file_sha256", String(64), index=True),
    Column("file_name", String(255)),
    Column("overrides", Text),  # JSON: {"EHE110": "reason"}
    Column("status", String(8)),  # final | draft (the template was not the approved one)
    Column("source", String(16)),  # render | batch | served | mailing
    Column("nation", String(8)),
    Column("period_days", Integer),
    Column("named_kind", String(16)),  # period-end | register-by | reply-by
    Column("named_date", Date),  # the date the letter names, as produced
    Column("letter_seq", Integer),  # service: the letter entry served
    Column("method", String(24)),
    Column("sent_on", Date),
    Column("sent_time", String(5)),  # HH:MM, for a notice handed over
    Column("deemed_served", Date),
    Column("period_end", Date),
    Column("prev_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
)

CHAIN_HEAD = Table(
    "chain_head",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
)

# Every column but the entry's own hash goes into that hash, in this order.
HASHED_COLUMNS = tuple(c.name for c in ENTRIES.columns if c.name != "sha256")
