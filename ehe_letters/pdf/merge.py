"""The print file: letters' pages in order, each letter starting on a fresh sheet.

The pages are copied by PDFium from where they already are: a chunk's PDF (chunks.py), whose
fonts and pictures every letter of the chunk shares, or a letter's own PDF.  Consecutive letters
of one source are copied in one go, so the print file holds each chunk's fonts once, not once a
letter.  A letter with an odd number of pages is followed by a blank page, so that in
double-sided printing every letter starts on a fresh sheet.

``mark=True`` adds an inserter mark to each letter's first page: its sequence number in the
print file and its page count ("000012 2"), 6 pt, in the left margin 4-15 mm across and
148-151 mm down, where print houses put their inserting machines' marks: outside every
printable area of the layout (the body starts 15 mm across) and clear of GOV.UK Notify's
print-tag corner.  The letters' own PDFs never carry it.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ehe_letters.files import write_atomic
from ehe_letters.pdf import PDFIUM
from ehe_letters.pdf.settle import EPOCH, settle

__all__ = ["MARK_BOX_MM", "Source", "merge", "print_file"]

PT_PER_MM = 72 / 25.4
MARK_BOX_MM = (4.0, 148.0, 15.0, 151.0)  # left, top, right, bottom: where the mark may be
_MARK_SIZE = 6.0  # pt


@dataclass(frozen=True)
class Source:
    """A letter's pages in a PDF: the file, its first page (0-based) and how many."""

    path: Path
    start: int
    count: int


def print_file(
    letters: list[Source],
    target: Path,
    seed: bytes = b"",
    day: date = EPOCH,
    mark: bool = False,
) -> list[tuple[int, int]]:
    """Write the print file; return each letter's (first, last) page in it, 1-based.

    The file is settled (settle.py): its dates are `day`, its document ID `seed`."""
    with PDFIUM:
        out = pdfium.PdfDocument.new()
        try:
            ranges = _copy(out, letters)
            if mark:
                _mark(out, ranges)
            buffer = io.BytesIO()
            out.save(buffer)
        finally:
            out.close()
    write_atomic(target, settle(buffer.getvalue(), seed, day))
    return ranges


def _copy(out: pdfium.PdfDocument, letters: list[Source]) -> list[tuple[int, int]]:
    """Copy the letters' pages, run by run of one source, padding odd letters."""
    ranges: list[tuple[int, int]] = []
    i = 0
    while i < len(letters):
        j = i
        while j < len(letters) and letters[j].path == letters[i].path:
            j += 1
        source = pdfium.PdfDocument(letters[i].path)
        try:
            pages = [p for s in letters[i:j] for p in range(s.start, s.start + s.count)]
            position = len(out)
            out.import_pages(source, pages, index=position)
        finally:
            source.close()
        for letter in letters[i:j]:
            ranges.append((position + 1, position + letter.count))
            position += letter.count
            if letter.count % 2:
                last = out[position - 1]
                width, height = last.get_size()
                rotation = last.get_rotation()
                last.close()
                blank = out.new_page(width, height, index=position)
                if rotation:
                    blank.set_rotation(rotation)
                blank.close()
                position += 1
        i = j
    return ranges


def _mark(out: pdfium.PdfDocument, ranges: list[tuple[int, int]]) -> None:
    """Put each letter's inserter mark on its first page (see the module docstring)."""
    font = pdfium_c.FPDFText_LoadStandardFont(out.raw, b"Helvetica")
    left, _, _, bottom = MARK_BOX_MM
    for number, (first, last) in enumerate(ranges, start=1):
        page = out[first - 1]
        try:
            height = page.get_height()
            text = f"{number:06d} {last - first + 1}"
            obj = pdfium_c.FPDFPageObj_CreateTextObj(out.raw, font, ctypes.c_float(_MARK_SIZE))
            encoded = (text + "\0").encode("utf-16-le")
            buffer = ctypes.create_string_buffer(encoded, len(encoded))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, pdfium_c.FPDF_WIDESTRING))
            x, y = left * PT_PER_MM, height - (bottom - 0.5) * PT_PER_MM
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            pdfium_c.FPDFPage_GenerateContent(page.raw)
        finally:
            page.close()


def merge(pdfs: list[Path], target: Path) -> list[tuple[int, int]]:
    """Merge whole PDFs into one print file, padding odd letters to whole sheets."""
    with PDFIUM:
        counts = []
        for path in pdfs:
            document = pdfium.PdfDocument(path)
            counts.append(len(document))
            document.close()
    return print_file([Source(Path(p), 0, n) for p, n in zip(pdfs, counts, strict=True)], target)
