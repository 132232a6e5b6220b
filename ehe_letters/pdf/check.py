"""Checks of each PDF the toolkit writes: it opens, has pages and holds the case reference, and
(``check_letter_pdf``) it keeps to GOV.UK Notify's printable areas (``pdf/areas.py``)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium

from ehe_letters.errors import TemplateProblem
from ehe_letters.pdf import PDFIUM
from ehe_letters.pdf.areas import area_findings
from ehe_letters.processes import not_interrupted
from ehe_letters.rules.findings import Finding

__all__ = ["check_letter_pdf", "check_pdf"]


def check_pdf(path: Path, must_contain: str) -> int:
    """Check a PDF opens, has pages and contains the given text; return its page count.

    Text is read with PDFium (pypdfium2), page by page until the text is found: about 2 ms a
    page, against 20-30 ms with pypdf, so that checking every letter of a mailing stays cheap.
    """
    return check_letter_pdf(path, must_contain, areas=False)[0]


def check_letter_pdf(
    path: Path, must_contain: str, areas: bool = True
) -> tuple[int, list[Finding]]:
    """check_pdf, and the printable-area findings (PDF001-PDF003) of the same open document:
    the page count and the findings ([] when the letter keeps to GOV.UK Notify's areas)."""
    # A few milliseconds that Ctrl-C must not cut short: PDFium's objects interrupted half-way
    # are reported on stderr when the program exits (pypdfium2's ObjectTracker).
    with not_interrupted(), PDFIUM:
        return _check_letter_pdf(path, must_contain, areas)


def _check_letter_pdf(path: Path, must_contain: str, areas: bool) -> tuple[int, list[Finding]]:
    try:
        document = pdfium.PdfDocument(path)
    except Exception as exc:  # PdfiumError and OSError on a damaged or missing file
        raise TemplateProblem(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    try:
        pages = _holds(document, path, _squash(must_contain))
        return pages, area_findings(document, str(path)) if areas else []
    finally:
        document.close()


def _holds(document: pdfium.PdfDocument, path: Path, wanted: str) -> int:
    """The page count of a document whose text holds `wanted` (else TemplateProblem)."""
    pages = len(document)
    if pages == 0:
        raise TemplateProblem(f"{path}: the PDF has no pages")
    seen = ""
    for index in range(pages):
        page = document[index]
        textpage = page.get_textpage()
        seen += _squash(textpage.get_text_range())
        textpage.close()
        page.close()
        if wanted in seen:
            return pages
    raise TemplateProblem(f"{path}: the PDF text lacks the expected reference")


def _squash(text: str) -> str:
    """Normalise text for searching: compatibility forms, no whitespace or soft hyphens."""
    text = unicodedata.normalize("NFKC", text.replace("\u00ad", ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\u2060\ufeff")
