"""A chunk's PDF split back into one PDF per letter, each letter's pages proven first.

Where each letter starts comes from the layout itself: the bookmark ``compose`` put in each
letter's first paragraph is exported by LibreOffice as a named destination (``EHEletter<n>``)
pointing at that letter's first page.  Before anything is written, every letter's pages are
checked (``prove``):

- the destinations are exactly the chunk's letters, in order, the first on page 1, each
  letter at least one page, and together they cover every page of the chunk's PDF;
- "Page X of Y" is consistent: every page after a letter's first says "Page j of k" for its
  own position j and the page count k written for it (and the first page, if numbered, 1 of
  k), and k is the letter's page count (a letter whose count was not as expected is named, to
  be converted again with its count; see compose.py);
- the letter's case reference is on its first page, and no page holds the reference of the
  letter before or after it.

A chunk that fails any of these is ``Unproven``, and its letters are converted one by one.
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ehe_letters.pdf.compose import MARK

__all__ = ["Pages", "Unproven", "page_ranges", "prove", "split_pages"]

_PAGE_OF = re.compile(r"(?:Page(\d+)of|Tudalen(\d+)o)(\d+)")  # English, Welsh


class Unproven(Exception):
    """The chunk's PDF cannot be split with certainty (the reason is the message)."""


@dataclass(frozen=True)
class Pages:
    """The pages of one letter in its chunk's PDF (0-based, end excluded)."""

    start: int
    end: int

    @property
    def count(self) -> int:
        return self.end - self.start


def _destinations(document: pdfium.PdfDocument) -> dict[str, int]:
    """The document's named destinations: name -> 0-based page index."""
    found = {}
    for index in range(pdfium_c.FPDF_CountNamedDests(document.raw)):
        size = ctypes.c_long(0)
        pdfium_c.FPDF_GetNamedDest(document.raw, index, None, ctypes.byref(size))
        if size.value <= 0:
            continue
        buffer = ctypes.create_string_buffer(size.value)
        dest = pdfium_c.FPDF_GetNamedDest(document.raw, index, buffer, ctypes.byref(size))
        name = buffer.raw[: size.value].decode("utf-16-le", "replace").rstrip("\0")
        if dest and name.startswith(MARK):
            found[name] = pdfium_c.FPDFDest_GetDestPageIndex(document.raw, dest)
    return found


def page_ranges(document: pdfium.PdfDocument, letters: int) -> list[Pages]:
    """Each letter's pages, from the named destinations; Unproven when they do not add up."""
    found = _destinations(document)
    names = [f"{MARK}{n:05d}" for n in range(letters)]
    if set(found) != set(names):
        raise Unproven(f"{len(found)} letter marks in the PDF for {letters} letters")
    starts = [found[name] for name in names] + [len(document)]
    if starts[0] != 0:
        raise Unproven("the first letter does not start on the first page")
    ranges = [Pages(a, b) for a, b in zip(starts, starts[1:], strict=False)]
    if any(r.count < 1 for r in ranges):
        raise Unproven("a letter's mark is not on a page after the previous letter's")
    return ranges


_UNSEEN = re.compile(r"[\s\u200b\u2060\ufeff]+")  # soft hyphens go before NFKC


def _squash(text: str) -> str:
    """Text for searching: compatibility forms, no whitespace, soft hyphens or zero widths."""
    return _UNSEEN.sub("", unicodedata.normalize("NFKC", text.replace("\u00ad", "")))


def _page_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None) -> str:
    if textpage is not None:
        return _squash(textpage.get_text_range())
    textpage = page.get_textpage()
    try:
        return _squash(textpage.get_text_range())
    finally:
        textpage.close()


def prove(
    document: pdfium.PdfDocument,
    references: list[str],
    expected: list[int],
    pages: list[pdfium.PdfPage] | None = None,
    textpages: list[pdfium.PdfTextPage] | None = None,
) -> tuple[list[Pages], dict[int, int]]:
    """Each letter's pages, proven as the module docstring says, else Unproven; and the
    letters whose page count is not the one expected (letter -> its count), whose "of Y" is
    therefore wrong: to be converted again with the right count (compose.py).  `pages`: the
    document's pages, open (None: each is opened and closed here), and `textpages` theirs."""
    ranges = page_ranges(document, len(references))
    wanted = [_squash(r) for r in references]
    recount = {}
    for n, span in enumerate(ranges):
        own = wanted[n]
        neighbours = [
            wanted[m] for m in (n - 1, n + 1) if 0 <= m < len(wanted) and wanted[m] not in own
        ]
        for j in range(span.count):
            text = _text_of(document, pages, textpages, span.start + j)
            numbers = {(int(x or cy), int(y)) for x, cy, y in _PAGE_OF.findall(text)}
            shown = {(j + 1, expected[n])}
            if (j > 0 and numbers != shown) or (j == 0 and numbers - shown):
                raise Unproven(f"letter {n}: page {j + 1} is not numbered {j + 1} of {expected[n]}")
            if j == 0 and own not in text:
                raise Unproven(f"letter {n}: its reference is not on its first page")
            if any(other in text for other in neighbours):
                raise Unproven(f"letter {n}: page {j + 1} holds a neighbour's reference")
        if span.count != expected[n]:
            recount[n] = span.count
    return ranges, recount


def _text_of(document: pdfium.PdfDocument, pages, textpages, index: int) -> str:
    if pages is not None:
        return _page_text(pages[index], textpages[index] if textpages is not None else None)
    page = document[index]
    try:
        return _page_text(page)
    finally:
        page.close()


def split_pages(document: pdfium.PdfDocument, pages: Pages) -> bytes:
    """One letter's pages of the chunk's PDF as a PDF of its own (PDFium's bytes, unsettled)."""
    letter = pdfium.PdfDocument.new()
    try:
        letter.import_pages(document, list(range(pages.start, pages.end)))
        buffer = io.BytesIO()
        letter.save(buffer)
        return buffer.getvalue()
    finally:
        letter.close()
