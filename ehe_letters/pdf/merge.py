"""The print file: letters' PDFs merged in order, each letter starting on a fresh sheet."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter

from ehe_letters.files import write_atomic_with

__all__ = ["merge"]


def merge(pdfs: list[Path], target: Path) -> list[tuple[int, int]]:
    """Merge PDFs into one print file, padding odd letters to whole sheets; return page ranges."""
    writer, ranges = PdfWriter(), []
    for path in pdfs:
        pages = PdfReader(path).pages
        first = len(writer.pages) + 1
        for page in pages:
            writer.add_page(page)
        ranges.append((first, len(writer.pages)))
        if len(pages) % 2:
            last = pages[-1]
            blank = writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))
            if last.rotation:
                blank.rotate(last.rotation)
    write_atomic_with(target, writer.write)
    return ranges
