"""Every CSV the toolkit writes goes through here: spreadsheet formulas are neutralised.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
Excel or LibreOffice as a formula (``=HYPERLINK(...)``, ``@SUM(...)``); it gets a leading
apostrophe, which the spreadsheet shows as text.  (OWASP: CSV injection.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ehe_letters.files import write_atomic

__all__ = ["FORMULA_STARTS", "safe_cell", "write_csv"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet will show it as text (numbers are left as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """Write a CSV file atomically, every cell made safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
