"""The limits a batch input is read within, so that memory stays bounded whatever the file.

Each limit has a command-line option (``batch --max-input-mb``, ``--max-rows``, ``--max-cell``)
and is documented in the README's "Bad input" table.  A file over a limit is refused at once
(exit 2); a cell or a row over a limit is that row's error, and the other rows are read.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputLimits"]


@dataclass(frozen=True)
class InputLimits:
    """How large a batch input, a row and a cell may be."""

    max_bytes: int = 1024 * 1024 * 1024  # the whole file: 1 GiB
    max_rows: int = 1_000_000  # rows after the header
    max_cell: int = 10_000  # characters in one cell
    max_columns: int = 500  # cells in the header row
    max_row: int = 200_000  # characters in one row (a multi-line cell's lines included)

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_rows", "max_cell", "max_columns", "max_row"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
