"""Strict, streamed reading of a CSV export: every row accounted for, memory bounded.

`scan_file` reads the file once in chunks: its sha256, its size against the limit, and its
encoding (strict UTF-8, UTF-8 with a byte-order mark, or strict Windows-1252; UTF-16, a
workbook saved as .csv and binary files are refused).  `csv_records` then yields each row as
``(row number, cells)``, or ``(row number, problem)`` for a row that cannot be read as it is:
an unbalanced double quote, a wrong number of cells, an over-long cell or row.  Reading goes on
with the next line after a bad row, so a stray quote never swallows the rows after it.

Row numbers are those a spreadsheet shows: the header is row 1, and a cell holding line breaks
keeps its row one row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import stat
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from ehe_letters.batch.limits import InputLimits
from ehe_letters.errors import InputError

__all__ = ["RowProblem", "csv_records", "open_text", "scan_file"]

CHUNK = 1024 * 1024

_SIGNATURES = {
    b"\xff\xfe": "is UTF-16 (or UTF-32); save it as 'CSV UTF-8' or give --encoding utf-16",
    b"\xfe\xff": "is UTF-16; save it as 'CSV UTF-8' or give --encoding utf-16",
    b"PK\x03\x04": "is a workbook or other zip file, not CSV; save it as 'CSV UTF-8'",
    b"\xd0\xcf\x11\xe0": "is an old Excel workbook (.xls), not CSV; save it as 'CSV UTF-8'",
    b"%PDF": "is a PDF, not CSV",
}


class RowProblem(str):
    """What is wrong with a row that could not be read (a str, so it pickles to workers)."""


def _file_problem(path: Path, limits: InputLimits) -> str | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, pipe or folder cannot be a batch input)"
    if info.st_size > limits.max_bytes:
        return f"larger than {limits.max_bytes // (1024 * 1024)} MB (--max-input-mb)"
    return None


def _decoder(encoding: str):
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict")
    except LookupError:
        raise InputError(f"--encoding {encoding}: not an encoding Python knows") from None


def scan_file(path: Path, encoding: str | None, limits: InputLimits) -> dict[str, str]:
    """Read the file once: its sha256 and its encoding, refusing what is not a text CSV."""
    problem = _file_problem(path, limits)
    if problem:
        raise InputError(f"{path}: {problem}")
    digest = hashlib.sha256()
    guesses = [encoding] if encoding else ["utf-8", "cp1252"]
    decoders = {name: _decoder(name) for name in guesses}
    failed: dict[str, int] = {}
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if size == 0:
                _check_start(path, chunk, encoding)
            if size == 0 and not encoding and _binary(chunk):
                raise InputError(
                    f"{path}: holds NUL bytes: a binary file, or UTF-16 without a byte-order "
                    "mark (give --encoding utf-16), not a CSV export"
                )
            size += len(chunk)
            if size > limits.max_bytes:
                raise InputError(f"{path}: larger than the limit (--max-input-mb)")
            digest.update(chunk)
            for name, decoder in decoders.items():
                if name not in failed:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        failed[name] = size - len(chunk) + exc.start
    for name, decoder in decoders.items():
        if name not in failed:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                failed[name] = size
    used = next((name for name in guesses if name not in failed), None)
    if used is None:
        if encoding:
            raise InputError(f"{path}: cannot decode as {encoding} (byte {failed[encoding]})")
        raise InputError(
            f"{path}: neither UTF-8 nor Windows-1252 (byte {failed['cp1252']}); save it as "
            "'CSV UTF-8' or give --encoding"
        )
    with path.open("rb") as handle:
        bom = handle.read(3) == codecs.BOM_UTF8
    if used == "utf-8" and bom:
        used = "utf-8-sig"
    return {"sha256": digest.hexdigest(), "encoding": used}


def _binary(chunk: bytes) -> bool:
    """True for a file that is not text: NUL bytes at its start or in numbers (UTF-16 text,
    an image, /dev/zero's copy).  A stray NUL in a cell is removed like any control character."""
    return b"\x00" in chunk[:4] or chunk.count(b"\x00") * 100 > len(chunk)


def _check_start(path: Path, chunk: bytes, encoding: str | None) -> None:
    if encoding:
        return
    for signature, problem in _SIGNATURES.items():
        if chunk.startswith(signature):
            raise InputError(f"{path}: {problem}")


def open_text(path: Path, encoding: str):
    """Open the input as text for the csv module (no newline translation)."""
    return path.open(encoding=encoding, errors="strict", newline="")


class _TooLong(Exception):
    """A physical line, or a row's lines together, longer than the limit."""


def _lines(handle, limit: int) -> Iterator[str | None]:
    """Physical lines, each at most `limit` characters; None stands for a longer one (whose
    characters are read and dropped, never held)."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit:
            while line and not line.endswith(("\n", "\r")):
                line = handle.readline(limit)
            yield None
            continue
        # The csv module refuses NUL; it becomes another character Word cannot hold, which the
        # row's reading removes with a warning naming the field.
        yield line.replace("\x00", "\x01") if "\x00" in line else line


class _Feed:
    """The lines the csv reader pulls, remembered for the row being read, with push-back."""

    def __init__(self, lines: Iterator[str | None], limit: int) -> None:
        self.lines, self.limit = lines, limit
        self.pending: deque[str | None] = deque()
        self.taken: list[str] = []
        self.size = 0

    def start_row(self) -> None:
        self.taken, self.size = [], 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.pending.popleft() if self.pending else next(self.lines)
        if line is None:
            self.taken.append("")
            raise _TooLong
        self.taken.append(line)
        self.size += len(line)
        if self.size > self.limit:
            raise _TooLong
        return line

    def push_back(self, lines: list[str]) -> None:
        self.pending.extendleft(reversed(lines))


def _reader(feed: _Feed):
    return csv.reader(feed, strict=True)


def csv_records(handle, limits: InputLimits) -> Iterator[tuple[int, list[str] | RowProblem]]:
    """Yield the header as row 1, then every row (cells, or a RowProblem) with its number."""
    csv.field_size_limit(max(limits.max_row, limits.max_cell) + 1)
    feed = _Feed(_lines(handle, limits.max_row), limits.max_row)
    reader = _reader(feed)
    width: int | None = None
    number = 0
    while True:
        feed.start_row()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, _TooLong) as exc:
            number += 1
            problem = _read_problem(exc, feed.taken, limits)
            if number == 1:
                raise InputError(f"header row: {problem}") from None
            yield number, RowProblem(problem)
            feed.push_back(feed.taken[1:])  # the next lines are rows of their own
            reader = _reader(feed)
            continue
        number += 1
        if width is None:
            width = len(cells)
            if width > limits.max_columns:
                raise InputError(f"header row: more than {limits.max_columns} columns")
            yield number, cells
            continue
        if not any(cell.strip() for cell in cells):
            yield number, []  # a blank row
            continue
        if len(cells) != width:
            if len(feed.taken) > 1:
                problem = _UNBALANCED
                feed.push_back(feed.taken[1:])
                reader = _reader(feed)
            else:
                problem = f"has {len(cells)} cells where the header row has {width}"
            yield number, RowProblem(problem)
            continue
        long = next((i for i, cell in enumerate(cells) if len(cell) > limits.max_cell), None)
        if long is not None:
            yield (
                number,
                RowProblem(
                    f"cell {long + 1} is longer than {limits.max_cell} characters (--max-cell)"
                ),
            )
            continue
        yield number, cells


_UNBALANCED = (
    "a double quote opens a cell that is not closed on this row (the rows after it are read "
    "on their own); write a quote inside a cell as two quotes, or remove it"
)


def _read_problem(exc: Exception, taken: list[str], limits: InputLimits) -> str:
    if isinstance(exc, _TooLong):
        return f"longer than {limits.max_row} characters"
    if "field larger" in str(exc):
        return f"a cell is longer than {limits.max_cell} characters (--max-cell)"
    if len(taken) > 1 or "end of data" in str(exc) or "quote" in str(exc):
        return _UNBALANCED
    return f"not valid CSV ({exc})"
