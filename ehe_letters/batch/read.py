"""Batch inputs: spreadsheet exports (CSV), JSON lists and JSON Lines, mapped onto case files.

A CSV saved by Excel may be UTF-8, UTF-8 with a byte-order mark, or Windows-1252; the encoding
is detected (strict UTF-8 first, then strict Windows-1252) and reported, never guessed silently:
a file that is neither is refused.  A mapping file (TOML) maps an export's column names onto
case-file paths, so a real export works without editing:

    date_format = "%d/%m/%Y"            # how the export writes dates (optional)

    [columns]
    "Case Ref" = "case.reference"
    "Child Forename" = "case.children[0].given_names"
    "Address 1" = "case.parents[0].address.lines[0]"

    [values]                             # fixed values for every row (optional)
    "case.parents[0].relationship" = "parent"

Without a mapping, CSV column names are case-file paths themselves.  Empty cells are left out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ehe_letters.errors import InputError

__all__ = ["Mapping", "Row", "load_mapping", "read_references", "read_rows", "set_path"]

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$")


@dataclass(frozen=True)
class Row:
    """One input row: its number as the user sees it, its case-file data, and the source map."""

    number: int
    data: dict[str, Any]
    columns: dict[str, str]  # case-file path -> column name, for error messages
    problems: dict[str, str] | None = None  # case-file path -> what is wrong with its cell


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    values: dict[str, Any]
    date_format: str | None = None
    source: str = ""


@lru_cache(maxsize=1024)
def _steps(path: str) -> tuple[str | int, ...]:
    return tuple(name if name else int(index) for name, index in _STEP.findall(path))


def set_path(target: dict, path: str, value: Any) -> None:
    """Set a value at a path like case.children[0].given_names, creating dicts and lists."""
    steps = _steps(path)
    node: Any = target
    for step, following in zip(steps, steps[1:], strict=False):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            while len(node) <= step:
                node.append(None)
            if node[step] is None:
                node[step] = empty
            node = node[step]
        else:
            node = node.setdefault(step, empty)
    last = steps[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _compact(value: Any) -> Any:
    """Drop list holes left by empty cells (e.g. an empty 'Address 2' column)."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value if v is not None]
    return value


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file; a problem is a one-line InputError naming the file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a readable TOML mapping file: {exc}") from None
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError(f"{path}: [columns] must map column names to case-file paths")
    for column, target in columns.items():
        if not isinstance(target, str) or not _PATH.match(target):
            raise InputError(f"{path}: columns.{column!r}: {target!r} is not a case-file path")
    values = data.get("values", {})
    for target in values:
        if not _PATH.match(target):
            raise InputError(f"{path}: values: {target!r} is not a case-file path")
    unknown = set(data) - {"columns", "values", "date_format"}
    if unknown:
        raise InputError(f"{path}: unknown key {sorted(unknown)[0]!r}")
    return Mapping(dict(columns), dict(values), data.get("date_format"), str(path))


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{path}: cannot decode as {encoding}: {exc}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: starts as UTF-8 but byte {exc.start} is not") from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: neither UTF-8 nor Windows-1252 (byte {exc.start}); save it as "
            "'CSV UTF-8' or give --encoding"
        ) from None


_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")


@lru_cache(maxsize=65536)
def _date(value: str, fmt: str | None) -> tuple[str, str | None]:
    """Convert a date cell to ISO form; the second item says what is wrong, if anything."""
    if fmt and _DATE_LIKE.match(value):
        try:
            return datetime.strptime(value, fmt).date().isoformat(), None
        except ValueError:
            shown = fmt.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")
            return value, f"not a real date in the form {shown}"
    return value, None


@dataclass(frozen=True)
class CsvRowBuilder:
    """Turns one CSV record into a Row; small and picklable, so worker processes can do it."""

    header: tuple[str, ...]
    mapping: Mapping | None

    def __call__(self, line: int, cells: list[str]) -> Row | None:
        mapping = self.mapping
        data: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for column, cell in zip(self.header, cells, strict=False):
            target = mapping.columns.get(column) if mapping else column
            value = cell.strip()
            if not target or not value:
                continue
            value, problem = _date(value, mapping.date_format if mapping else None)
            set_path(data, target, value)
            if problem:
                problems[target] = problem
        if not data:
            return None  # a blank line
        for target, value in (mapping.values if mapping else {}).items():
            set_path(data, target, value)
        sources = {t: c for c, t in mapping.columns.items()} if mapping else {}
        return Row(line, _compact(data), sources, problems or None)


def _csv_records(path: Path, text: str, mapping: Mapping | None):
    """Check the header and return (row builder, iterator of (line number, cells))."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(h.strip() for h in next(reader, []))
    if not any(header):
        raise InputError(f"{path}: empty CSV (no header row)")
    if mapping:
        missing = [c for c in mapping.columns if c not in header]
        if missing:
            raise InputError(
                f"{path}: column {missing[0]!r} (in {mapping.source}) is not in the header row"
            )
    else:
        bad = [h for h in header if h and not _PATH.match(h)]
        if bad:
            raise InputError(
                f"{path}: column {bad[0]!r} is not a case-file path; give --mapping FILE"
            )
    return CsvRowBuilder(header, mapping), enumerate(reader, start=2)


def read_raw(path: Path, mapping: Mapping | None = None, encoding: str | None = None):
    """Return (items, builder, facts) for a batch: CSV items are (line, cells) records that
    `builder` turns into Rows (in the worker processes); JSON items are Rows already."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    facts = {"file": path.name, "sha256": hashlib.sha256(raw).hexdigest()}
    if path.suffix.lower() == ".csv":
        text, used = _decode(path, raw, encoding)
        facts |= {"format": "csv", "encoding": used}
        builder, records = _csv_records(path, text, mapping)
        return records, builder, facts
    rows, json_facts = _json_rows(path, raw, encoding)
    return rows, None, facts | json_facts


def read_rows(path: Path, mapping: Mapping | None = None, encoding: str | None = None):
    """Return (rows, facts): an iterator of Rows and a dict of facts about the file.

    Facts: the file's sha256, its format and, for CSV, the encoding detected.  An unreadable
    file, or a CSV whose header does not fit the mapping, is an InputError raised at once.
    """
    items, builder, facts = read_raw(path, mapping, encoding)
    if builder is None:
        return items, facts
    return (row for line, cells in items if (row := builder(line, cells)) is not None), facts


def _json_rows(path: Path, raw: bytes, encoding: str | None):
    text, _ = _decode(path, raw, encoding or "utf-8-sig")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        items = [
            (number, _json(path, line, number))
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
        fmt = "jsonl"
    elif suffix == ".json":
        loaded = _json(path, text, None)
        if not isinstance(loaded, list):
            raise InputError(f"{path}: expected a JSON list of cases")
        items, fmt = list(enumerate(loaded, start=1)), "json"
    else:
        raise InputError(f"{path}: unknown input type {suffix!r}; use .csv, .json or .jsonl")
    rows = [Row(n, item if isinstance(item, dict) else {}, {}) for n, item in items]
    return rows, {"format": fmt}


def _json(path: Path, text: str, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {line}" if line else f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"{path}: invalid JSON at {where}: {exc.msg}") from None


def read_references(
    path: Path, mapping: Mapping | None = None, encoding: str | None = None
) -> Iterator[tuple[int, str | None]]:
    """Yield (row number, case reference) quickly, without building the rows (first pass)."""
    if path.suffix.lower() != ".csv":
        for row in read_rows(path, mapping, encoding)[0]:
            case = row.data.get("case", row.data)
            value = case.get("reference") if isinstance(case, dict) else None
            yield row.number, value.strip() if isinstance(value, str) else None
        return
    text, _ = _decode(path, path.read_bytes(), encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    wanted = "case.reference"
    if mapping:
        wanted = next((c for c, t in mapping.columns.items() if t == "case.reference"), "")
    index = header.index(wanted) if wanted in header else None
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        value = cells[index].strip() if index is not None and index < len(cells) else ""
        yield line, value or None
