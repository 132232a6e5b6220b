"""Verify a letter's PDF: its provenance from the PDF's metadata, its text against the letter
its case gives.

LibreOffice carries the .docx's subject property, which holds the provenance line, into the
PDF's document information (/Subject).  The text comparison reads each page with pypdf, leaves
out what the headers and footers print (the letterhead, the address block, the reference line,
"Page X of Y") at the top and foot of each page, and compares the rest with the body of the
letter produced again, ignoring line breaks and spaces (the PDF wraps lines, the .docx does
not).  A changed word, date or figure is found; layout is not compared.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ehe_letters.docx.text import iter_paragraphs
from ehe_letters.errors import InputError

__all__ = ["pdf_provenance", "pdf_text_findings"]

_PAGE_NUMBER = re.compile(r"Page\d+of\d+")
_DROP = re.compile(r"[\s\u00ad\ue000-\uf8ff]")  # whitespace, soft hyphens, bullet glyphs


def pdf_provenance(path: Path) -> str:
    """The provenance in a PDF's metadata ("" if it has none)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        subject = (PdfReader(path).metadata or {}).get("/Subject")
    except (PyPdfError, OSError, ValueError):
        raise InputError(f"{path}: not a PDF that can be read") from None
    return str(subject or "")


def _flat(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def _strip_furniture(page: str, headers: list[str], footers: list[str]) -> str:
    """A page's text without its header paragraphs at the top and footer ones at the foot."""
    changed = True
    while changed and page:
        changed = False
        for piece in headers:
            if page.startswith(piece):
                page, changed = page[len(piece) :], True
        for piece in footers:
            if page.endswith(piece):
                page, changed = page[: -len(piece)], True
        found = _PAGE_NUMBER.search(page[-20:])
        if found and page.endswith(found.group()):
            page, changed = page[: -len(found.group())], True
    return page


def pdf_text_findings(path: Path, expected_docx: bytes, rule) -> list:
    """VER001 when the PDF's text differs from the letter its case gives (no content shown)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    body: list[str] = []
    furniture: dict[str, set[str]] = {"header": set(), "footer": set()}
    for paragraph in iter_paragraphs(expected_docx):
        flat = _flat(paragraph.text)
        if not flat:
            continue
        if paragraph.part == "word/document.xml":
            body.append(flat)
        else:
            furniture["footer" if "footer" in paragraph.part else "header"].add(flat)
    # the longest first, so that a paragraph is never cut by a shorter one it starts with
    headers, footers = (sorted(furniture[k], key=len, reverse=True) for k in furniture)
    try:
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    except (PyPdfError, OSError, ValueError):
        raise InputError(f"{path}: not a PDF that can be read") from None
    text = "".join(_strip_furniture(_flat(page), headers, footers) for page in pages)
    position = 0
    for number, paragraph in enumerate(body, 1):
        if text.startswith(paragraph, position):
            position += len(paragraph)
            continue
        message = (
            f"the PDF's text differs from the letter the case gives (from paragraph {number} "
            "of the body): edited after it was produced?"
        )
        return [rule.finding(message, str(path))]
    if position != len(text):
        message = "the PDF holds text after the end of the letter the case gives"
        return [rule.finding(message, str(path))]
    return []
