"""A chunk of letters converted as one LibreOffice document, then split back per letter.

``convert_chunk`` composes the chunk's letters into one .docx (``compose.py``), has a converter
turn it into one PDF with each letter's start exported as a named destination, proves every
letter's pages (``split.py``), and only then writes each letter's PDF (settled: ``settle.py``)
and, when asked, keeps the chunk's PDF for the print file.  Anything it cannot do or prove
raises ``ChunkFailed``; the pool then converts the chunk's letters one by one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pypdfium2 as pdfium

from ehe_letters.files import move_atomic, write_atomic
from ehe_letters.pdf import PDFIUM, lift
from ehe_letters.pdf.areas import area_findings
from ehe_letters.pdf.compose import NotComposable, compose
from ehe_letters.pdf.converter import Item
from ehe_letters.pdf.settle import resave, settled
from ehe_letters.pdf.soffice import pdf_filter
from ehe_letters.pdf.split import Pages, Unproven, prove, split_pages
from ehe_letters.rules.findings import Finding

__all__ = ["Chunk", "ChunkFailed", "Letter", "convert_chunk", "kept_pages", "settle_file"]

# PDF export keeping Writer bookmarks as named destinations: where each letter starts.
WITH_MARKS = pdf_filter(ExportBookmarksToPDFDestination=True)
LIFT_TRIES = 2  # a chunk whose lifted pictures missed is converted again, then without lifting


# One chunk composed at a time (Python's lock lets one thread run anyway): the first of several
# chunks composed together is ready when it alone is, not when all of them are.
_COMPOSING = threading.Lock()


class Converts(Protocol):
    """What converts a chunk's document: a Converter, or one lent by the pool (convert.py)."""

    root: Path  # a private folder for the chunk's files

    def run(self, items: list[Item], convert_to: str | None = None):
        """Convert the items; return those without a PDF and any process problem."""


class ChunkFailed(Exception):
    """The chunk could not be converted as one document (the reason is the message)."""


class _Missed(Exception):
    """A lifted picture was not where its header puts it (lift.py): convert the chunk again
    (not a ChunkFailed: the chunk is not given up to one-by-one conversion for it)."""


@dataclass(frozen=True)
class Letter:
    """One letter to convert: its .docx, the PDF to write and the reference on its first page."""

    docx: Path
    target: Path
    reference: str


@dataclass(frozen=True)
class Chunk:
    """Letters converted together; `keep`: where to keep the list of where each letter's pages
    are (the PDFs beside it), for the print file (None: not kept)."""

    letters: tuple[Letter, ...]
    keep: Path | None = None

    @staticmethod
    def name_for(docx_sha256s: list[str]) -> str:
        """A kept chunk's file name: the same letters, the same name."""
        return hashlib.sha256(" ".join(docx_sha256s).encode()).hexdigest()[:32] + ".json"


def convert_chunk(
    conv: Converts,
    chunk: Chunk,
    checked: dict | None = None,
    placements: lift.Placements | None = None,
) -> tuple[list[Letter], str | None]:
    """Convert a chunk as one document and write each letter's PDF.

    `placements`: where the run's first-page header pictures are laid out, to lift them into
    the body (lift.py; None: kept in the headers).  A chunk whose lifted pictures are not
    proven is converted again (the placement corrected or struck off), then without lifting.

    Returns the letters left to convert one by one, and why (none: every letter written).
    Letters whose page count was not the expected one are converted once more, together, with
    the counts the first layout gave (compose.py); each document is proven before any of its
    letters is written.  With ``chunk.keep``, the documents' PDFs are kept beside it with a
    list (``.json``) of where each letter's pages are, for the print file.  `checked` receives
    each written letter's page count and printable-area findings (pdf/areas.py), taken from the
    chunk's PDF while it is open: target -> (pages, findings)."""
    sources = [letter.docx.read_bytes() for letter in chunk.letters]
    for _ in range(LIFT_TRIES):
        try:
            return _convert(conv, chunk, sources, checked, placements)
        except _Missed:
            continue
    return _convert(conv, chunk, sources, checked, None)


def _convert(
    conv: Converts,
    chunk: Chunk,
    sources: list[bytes],
    checked: dict | None,
    placements: lift.Placements | None,
) -> tuple[list[Letter], str | None]:
    """convert_chunk, once (with these placements); _Missed if a lifted picture missed."""
    todo, counts = list(range(len(sources))), [None] * len(sources)
    where: dict[int, tuple[str, int, int]] = {}
    work = Path(tempfile.mkdtemp(dir=conv.root))
    try:
        for attempt in (1, 2):
            try:
                with _COMPOSING:
                    document, expected, lifts = compose(
                        [sources[i] for i in todo], [counts[i] for i in todo], placements
                    )
            except NotComposable as exc:
                return [chunk.letters[i] for i in todo], str(exc)
            docx, pdf = work / f"chunk{attempt}.docx", work / f"chunk{attempt}.pdf"
            docx.write_bytes(document)
            left, problem = conv.run([(-attempt, docx, pdf)], convert_to=WITH_MARKS)
            if left:
                return [chunk.letters[i] for i in todo], problem or "LibreOffice made no PDF"
            try:
                references = [chunk.letters[i].reference for i in todo]
                ranges, recount, parts, findings = _split(
                    pdf, references, expected, lifts, placements
                )
            except ChunkFailed as exc:
                return [chunk.letters[i] for i in todo], str(exc)
            for k, i in enumerate(todo):
                if k not in recount:
                    data = settled(parts[k], sources[i])
                    write_atomic(chunk.letters[i].target, data, durable=False)
                    where[i] = (f"{attempt}", ranges[k].start, ranges[k].count)
                    if checked is not None:
                        checked[chunk.letters[i].target] = (ranges[k].count, findings[k])
            for k, count in recount.items():
                counts[todo[k]] = count
            todo = [todo[k] for k in sorted(recount)]
            if chunk.keep is not None:
                _keep(pdf, chunk.keep, attempt)
            if not todo:
                break
        if todo:
            return [chunk.letters[i] for i in todo], "page count not as laid out, twice"
        if chunk.keep is not None:
            spans = [where[i] for i in range(len(sources))]
            write_atomic(chunk.keep, json.dumps(spans).encode(), durable=False)
        return [], None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _keep(pdf: Path, keep: Path, attempt: int) -> None:
    """Keep a document's PDF beside the chunk's list, for the print file."""
    keep.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    move_atomic(pdf, keep.with_name(f"{keep.stem}.{attempt}.pdf"))


def kept_pages(keep: Path, letters: int) -> list[tuple[Path, int, int]] | None:
    """Where a kept chunk's letters are: (PDF, first page, page count) each; None if not kept."""
    try:
        spans = json.loads(keep.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = [(keep.with_name(f"{keep.stem}.{n}.pdf"), start, count) for n, start, count in spans]
    if len(found) != letters or not all(path.exists() for path, _, _ in found):
        return None
    return found


def _split(
    pdf: Path,
    references: list[str],
    expected: list[int],
    lifts: list[lift.Lift | None],
    placements: lift.Placements | None,
) -> tuple[list[Pages], dict[int, int], list[bytes], list[list[Finding]]]:
    """Prove a chunk's PDF and split it: each letter's pages, the letters to count again,
    each letter's PDF bytes and its printable-area findings."""
    with PDFIUM:
        try:
            source = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ChunkFailed(f"the chunk's PDF does not open ({exc})") from None
        pages, texts = [], []
        try:
            pages = [source[i] for i in range(len(source))]  # each opened once, for every check
            texts = [page.get_textpage() for page in pages]
            ranges, recount = prove(source, references, expected, pages, texts)
            if placements is not None:
                missed = lift.check(lifts, lambda k: pages[ranges[k].start], placements)
                if missed:
                    raise _Missed(missed)
            parts = [split_pages(source, span) for span in ranges]
            areas = [
                area_findings(source, pages=range(p.start, p.end), opened=pages, textpages=texts)
                for p in ranges
            ]
            return ranges, recount, parts, areas
        except Unproven as exc:
            raise ChunkFailed(f"split not proven: {exc}") from None
        finally:
            for opened in (*texts, *pages):
                opened.close()
            source.close()


def settle_file(docx: Path, target: Path) -> None:
    """Make a PDF LibreOffice wrote for one letter reproducible (see settle.py), in place.

    A PDF PDFium cannot open is settled as it is (its check then fails the letter)."""
    data = target.read_bytes()
    try:
        data = resave(data)
    except pdfium.PdfiumError:
        pass
    write_atomic(target, settled(data, docx.read_bytes()), durable=False)
