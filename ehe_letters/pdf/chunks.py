"""A chunk of letters converted as one LibreOffice document, then split back per letter.

``convert_chunk`` composes the chunk's letters into one .docx (``compose.py``), has a converter
turn it into one PDF with each letter's start exported as a named destination, proves every
letter's pages (``split.py``), and only then writes each letter's PDF (settled: ``settle.py``)
and, when asked, keeps the chunk's PDF for the print file.  Anything it cannot do or prove
raises ``ChunkFailed``; the pool then converts the chunk's letters one by one.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from ehe_letters.files import move_atomic, write_atomic
from ehe_letters.pdf import PDFIUM
from ehe_letters.pdf.compose import NotComposable, compose
from ehe_letters.pdf.converter import Converter
from ehe_letters.pdf.settle import letter_identity, resave, settle
from ehe_letters.pdf.split import Pages, Unproven, prove, split_pages

__all__ = ["Chunk", "ChunkFailed", "Letter", "convert_chunk", "settle_file"]

# PDF export keeping Writer bookmarks as named destinations: where each letter starts.
WITH_MARKS = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)


class ChunkFailed(Exception):
    """The chunk could not be converted as one document (the reason is the message)."""


@dataclass(frozen=True)
class Letter:
    """One letter to convert: its .docx, the PDF to write and the reference on its first page."""

    docx: Path
    target: Path
    reference: str


@dataclass(frozen=True)
class Chunk:
    """Letters converted together; `keep`: where to keep the chunk's PDF (None: not kept)."""

    letters: tuple[Letter, ...]
    keep: Path | None = None

    @staticmethod
    def name_for(docx_sha256s: list[str]) -> str:
        """A kept chunk PDF's file name: the same letters, the same name."""
        return hashlib.sha256(" ".join(docx_sha256s).encode()).hexdigest()[:32] + ".pdf"


def convert_chunk(conv: Converter, chunk: Chunk) -> list[Pages]:
    """Convert a chunk as one document and write each letter's PDF; return each one's pages."""
    sources = [letter.docx.read_bytes() for letter in chunk.letters]
    try:
        document = compose(sources)
    except NotComposable as exc:
        raise ChunkFailed(str(exc)) from None
    work = Path(tempfile.mkdtemp(dir=conv.root))
    try:
        docx, pdf = work / "chunk.docx", work / "chunk.pdf"
        docx.write_bytes(document)
        left, problem = conv.run([(-2, docx, pdf)], convert_to=WITH_MARKS)
        if left:
            raise ChunkFailed(problem or "LibreOffice produced no PDF for the chunk")
        ranges, parts = _split(pdf, [letter.reference for letter in chunk.letters])
        for letter, data, part in zip(chunk.letters, sources, parts, strict=True):
            write_atomic(letter.target, settle(part, *letter_identity(data)), durable=False)
        if chunk.keep is not None:
            chunk.keep.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            move_atomic(pdf, chunk.keep)
        return ranges
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _split(pdf: Path, references: list[str]) -> tuple[list[Pages], list[bytes]]:
    """Prove the chunk's PDF and split it: each letter's pages and PDF bytes."""
    with PDFIUM:
        try:
            source = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ChunkFailed(f"the chunk's PDF does not open ({exc})") from None
        try:
            ranges = prove(source, references)
            return ranges, [split_pages(source, pages) for pages in ranges]
        except Unproven as exc:
            raise ChunkFailed(f"split not proven: {exc}") from None
        finally:
            source.close()


def settle_file(docx: Path, target: Path) -> None:
    """Make a PDF LibreOffice wrote for one letter reproducible (see settle.py), in place."""
    data = settle(resave(target.read_bytes()), *letter_identity(docx.read_bytes()))
    write_atomic(target, data, durable=False)
