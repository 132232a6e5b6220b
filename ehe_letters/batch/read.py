"""Batch inputs: spreadsheet exports (CSV), JSON lists and JSON Lines, mapped onto case files.

A CSV is read strictly and streamed (`csv_input.py`): every row is a case, a row error, or a
blank row skipped, and memory stays bounded whatever the file's size.  A mapping file
(`mapping.py`) maps an export's column names onto case-file paths, so a real export works
without editing; without one, column names are case-file paths themselves.  Empty cells are
left out; characters Word cannot hold are removed from every value, with a warning naming the
field (`models/clean.py`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ehe_letters.batch.csv_input import RowProblem, csv_records, open_text, scan_file
from ehe_letters.batch.limits import InputLimits
from ehe_letters.batch.mapping import Mapping, Target, check_paths, load_mapping, set_path
from ehe_letters.batch.names import NameProblem, split_people
from ehe_letters.errors import InputError
from ehe_letters.models.clean import LINE_BREAKS, MESSAGE, clean_data, clean_text

__all__ = [
    "MESSAGE",
    "ROW",
    "BatchInput",
    "Mapping",
    "Row",
    "load_mapping",
    "read_rows",
    "set_path",
]

ROW = "(row)"  # the field named for a problem with the whole row


@dataclass(frozen=True)
class Row:
    """One input row: its number as the user sees it, its case-file data, and the source map."""

    number: int
    data: dict[str, Any]
    columns: dict[str, str]  # case-file path -> column name, for error messages
    problems: dict[str, str] | None = None  # case-file path -> what is wrong with its cell
    faults: list[tuple[str, str]] = field(default_factory=list)  # row errors found reading it
    notes: list[str] = field(default_factory=list)  # fields whose characters were cleaned


_DATE_LIKE = re.compile(r"^(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


@lru_cache(maxsize=65536)
def _date(value: str, fmt: str | None) -> tuple[str, str | None]:
    """Convert a date cell to ISO form (a time after the date is ignored: "05/03/2014 00:00");
    the second item says what is wrong, if anything."""
    match = _DATE_LIKE.match(value) if fmt else None
    if match:
        try:
            return datetime.strptime(match.group(1), fmt).date().isoformat(), None
        except ValueError:
            shown = fmt.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")
            return value, f"not a real date in the form {shown}"
    return value, None


def _column_name(column: str) -> str:
    return column if len(column) <= 60 and column.isprintable() else "(a column)"


def _next_index(path: str) -> str | None:
    """case.parents[0] -> case.parents[1] (None when the path does not end in an index)."""
    match = re.search(r"\[(\d+)\]$", path)
    return f"{path[: match.start()]}[{int(match.group(1)) + 1}]" if match else None


def _get(data: dict, path: str) -> Any:
    from ehe_letters.batch.mapping import path_steps

    node: Any = data
    for step in path_steps(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


_SHARED = ("address", "relationship", "lives_with_child", "has_parental_responsibility")


@dataclass(frozen=True)
class CsvRowBuilder:
    """Turns one CSV record into a Row; small and picklable, so worker processes can do it."""

    header: tuple[str, ...]
    mapping: Mapping | None

    def _targets(self) -> list[tuple[str, Target | None]]:
        if self.mapping:
            return [(c, self.mapping.columns.get(c)) for c in self.header]
        return [(c, Target(c) if c else None) for c in self.header]

    def _sources(self) -> dict[str, str]:
        """Each field's column, for messages (also for a field whose cell is empty)."""
        cached = self.__dict__.get("_sources_cache")
        if cached is None:
            cached = {}
            for column, target in self._targets():
                if target is None or target.append:
                    continue
                paths = (
                    [f"{target.base}.{k}" for k in ("title", "given_names", "family_name")]
                    if target.parse
                    else [target.path]
                )
                cached.update(dict.fromkeys(paths, _column_name(column)))
            object.__setattr__(self, "_sources_cache", cached)
        return cached

    def __call__(self, number: int, cells: list[str] | RowProblem) -> Row | None:
        if isinstance(cells, RowProblem):
            return Row(number, {}, {}, faults=[(ROW, str(cells))])
        if not cells:
            return None  # a blank row (counted as such by the first pass)
        fmt = self.mapping.date_format if self.mapping else None
        data: dict[str, Any] = {}
        columns = dict(self._sources())
        problems: dict[str, str] = {}
        faults: list[tuple[str, str]] = []
        notes: list[str] = []
        second: list[tuple[str, dict[str, str], str]] = []
        for (column, target), cell in zip(self._targets(), cells, strict=False):
            value = cell.strip()
            if target is None or not value:
                continue
            shown = _column_name(column)
            if target.append:  # each line of the cell is an item, blanks skipped
                for piece in LINE_BREAKS.split(value):
                    piece = clean_text(piece.strip())
                    if piece:
                        set_path(data, target.path, piece)
                        count = len(_get(data, target.base) or [])
                        columns[f"{target.base}[{count - 1}]"] = shown
                continue
            cleaned = clean_text(value)
            if cleaned is not value:
                notes.append(f"{target.path} (column {shown})")
                value = cleaned.strip()
            if target.parse == "person-name":
                try:
                    people = split_people(value)
                except NameProblem as exc:
                    faults.append((f"{target.base} (column {shown})", str(exc)))
                    continue
                for key, part in people[0].items():
                    set_path(data, f"{target.base}.{key}", part)
                    columns[f"{target.base}.{key}"] = shown
                if len(people) == 2:
                    second.append((target.base, people[1], shown))
                continue
            value, problem = _date(value, fmt)
            set_path(data, target.path, value)
            columns[target.path] = shown
            if problem:
                problems[target.path] = problem
        if not data and not faults:
            faults.append((ROW, "no column the batch reads has a value in this row"))
        for target_path, value in (self.mapping.values if self.mapping else {}).items():
            set_path(data, target_path, value)
        for base, person, shown in second:
            self._second_person(data, base, person, shown, columns, faults)
        return Row(number, _compact(data), columns, problems or None, faults, notes)

    @staticmethod
    def _second_person(data, base, person, shown, columns, faults) -> None:
        """The second person of a name cell: a parent of their own, at the first's address."""
        other = _next_index(base)
        first = _get(data, base)
        if other is None or not isinstance(first, dict):
            return
        if _get(data, other) is not None:
            faults.append(
                (
                    f"{base} (column {shown})",
                    f"holds two people, but {other} has columns of its own; give each person "
                    "their own name column",
                )
            )
            return
        shared = {key: first[key] for key in _SHARED if key in first}
        set_path(data, other, shared | person)
        columns.update({f"{other}.{key}": shown for key in person})


def _compact(value: Any) -> Any:
    """Drop list holes left by empty cells (e.g. an empty 'Address 2' column)."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value if v is not None]
    return value


class _CsvInput:
    """One CSV input: checked once (scan, header), then read as often as a batch needs."""

    def __init__(
        self, path: Path, mapping: Mapping | None, encoding: str | None, limits: InputLimits
    ) -> None:
        self.path, self.mapping, self.limits = path, mapping, limits
        self.facts = scan_file(path, encoding, limits)
        self.encoding = self.facts["encoding"]
        with open_text(path, self.encoding) as handle:
            records = csv_records(handle, limits)
            try:
                _, header = next(records, (1, []))
            except InputError as exc:
                raise InputError(f"{path}: {exc}") from None
        self.header = tuple(h.strip() for h in header) if isinstance(header, list) else ()
        if not any(self.header):
            raise InputError(f"{path}: empty CSV (no header row)")
        if mapping:
            missing = [c for c in mapping.columns if c not in self.header]
            if missing:
                raise InputError(
                    f"{path}: column {missing[0]!r} (in {mapping.source}) is not in the header row"
                )
        else:
            check_paths(str(path), self.header)
        self.builder = CsvRowBuilder(self.header, mapping)

    def records(self) -> Iterator[tuple[int, list[str] | RowProblem]]:
        """Every row after the header, as (row number, cells or RowProblem); [] when blank."""
        with open_text(self.path, self.encoding) as handle:
            records = csv_records(handle, self.limits)
            next(records, None)
            for number, cells in records:
                if number - 1 > self.limits.max_rows:
                    raise InputError(
                        f"{self.path}: more than {self.limits.max_rows} rows (--max-rows); "
                        "split the file"
                    )
                yield number, cells

    def gives_authority(self) -> bool:
        paths = [t.path for t in self.mapping.columns.values()] if self.mapping else self.header
        return any(p.startswith("authority") for p in paths) or any(
            p.startswith("authority") for p in (self.mapping.values if self.mapping else {})
        )


class BatchInput:
    """A batch's input, checked once: its facts, and its rows read as often as needed.

    ``items()`` gives CSV records ``(row number, cells)`` that ``builder`` turns into Rows (in
    the worker processes), or JSON Rows; ``references()`` the first pass: (row number, case
    reference, blank) for every row.
    """

    def __init__(
        self,
        path: Path,
        mapping: Mapping | None = None,
        encoding: str | None = None,
        limits: InputLimits | None = None,
        need_authority: bool = False,
    ) -> None:
        limits = limits or InputLimits()
        self.mapping = mapping
        self._csv: _CsvInput | None = None
        self._rows: list[Row] = []
        if path.suffix.lower() == ".csv":
            self._csv = _CsvInput(path, mapping, encoding, limits)
            if need_authority and not self._csv.gives_authority():
                raise InputError(_NO_AUTHORITY)
            self.builder: CsvRowBuilder | None = self._csv.builder
            self.facts = {
                "file": path.name,
                "sha256": self._csv.facts["sha256"],
                "format": "csv",
                "encoding": self._csv.encoding,
            }
            return
        self._rows, self.facts = _json_rows(path, encoding, limits)
        self.builder = None
        if need_authority:
            missing = next((r.number for r in self._rows if "authority" not in r.data), None)
            if missing is not None:
                raise InputError(f"{path}: row {missing}: {_NO_AUTHORITY}")

    def items(self) -> Iterator:
        return self._csv.records() if self._csv else iter(self._rows)

    def references(self) -> Iterator[tuple[int, str | None, bool]]:
        if self._csv is None:
            for row in self._rows:
                case = row.data.get("case", row.data)
                value = case.get("reference") if isinstance(case, dict) else None
                yield row.number, value.strip() if isinstance(value, str) else None, False
            return
        wanted = "case.reference"
        if self.mapping:
            wanted = next(
                (c for c, t in self.mapping.columns.items() if t.path == "case.reference"), ""
            )
        header = self._csv.header
        index = header.index(wanted) if wanted in header else None
        for number, cells in self._csv.records():
            if isinstance(cells, RowProblem):
                yield number, None, False
            elif not cells:
                yield number, None, True
            else:
                value = cells[index].strip() if index is not None and index < len(cells) else ""
                yield number, value or None, False


_NO_AUTHORITY = (
    "no authority for the letters: give --authority FILE (or set EHE_LETTERS_AUTHORITY, or "
    "work in a workspace: ehe-letters init)"
)


def read_rows(
    path: Path,
    mapping: Mapping | None = None,
    encoding: str | None = None,
    limits: InputLimits | None = None,
):
    """Return (rows, facts): an iterator of Rows and a dict of facts about the file.

    Facts: the file's sha256, its format and, for CSV, the encoding detected.  An unreadable
    file, or a CSV whose header does not fit the mapping, is an InputError raised at once.
    """
    source = BatchInput(path, mapping, encoding, limits)
    builder = source.builder
    if builder is None:
        return source.items(), source.facts
    rows = (row for n, cells in source.items() if (row := builder(n, cells)) is not None)
    return rows, source.facts


def _json_rows(path: Path, encoding: str | None, limits: InputLimits):
    from ehe_letters.batch.csv_input import _file_problem

    problem = _file_problem(path, limits)
    if problem:
        raise InputError(f"{path}: {problem}")
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".json"):
        raise InputError(f"{path}: unknown input type {suffix!r}; use .csv, .json or .jsonl")
    raw = path.read_bytes()
    facts = {"file": path.name, "sha256": hashlib.sha256(raw).hexdigest()}
    try:
        text = raw.decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(
            f"{path}: cannot decode as {encoding or 'UTF-8'}: {exc.__class__.__name__}"
        ) from None
    if suffix in (".jsonl", ".ndjson"):
        items = [
            (number, _json_line(line))
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
        fmt = "jsonl"
    else:
        loaded = _json(path, text, None)
        if not isinstance(loaded, list):
            raise InputError(f"{path}: expected a JSON list of cases")
        items, fmt = list(enumerate(loaded, start=1)), "json"
    if len(items) > limits.max_rows:
        raise InputError(f"{path}: more than {limits.max_rows} rows (--max-rows); split the file")
    return [_json_row(n, item) for n, item in items], facts | {"format": fmt}


class _BadLine(str):
    """A JSON Lines line that is not JSON: that row's error."""


def _json_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return _BadLine(f"invalid JSON: {exc.msg}")
    except RecursionError:
        return _BadLine("JSON nested too deeply")


def _json_row(number: int, item: Any) -> Row:
    if isinstance(item, _BadLine):
        return Row(number, {}, {}, faults=[(ROW, str(item))])
    if not isinstance(item, dict):
        return Row(number, {}, {}, faults=[(ROW, "not a case object ({...})")])
    notes: list[str] = []
    data = clean_data(item, "", notes)
    return Row(number, data, {}, notes=notes)


def _json(path: Path, text: str, line: int | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {line}" if line else f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"{path}: invalid JSON at {where}: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
