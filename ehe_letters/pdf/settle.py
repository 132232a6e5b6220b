"""Reproducible PDFs: the same letter always gives the same bytes.

LibreOffice and PDFium stamp every PDF with the time it was written and a document ID made up
on the spot; everything else they write depends on the input alone.  ``settle`` therefore
rewrites those two, in place and at the same length (so that the cross-reference offsets stay
valid): the creation and modification dates become the letter's own date (from its provenance,
midnight UTC) and the document ID the first 16 bytes of the sha256 of the letter's .docx, which
holds the provenance (letter, case reference, date, addressee, template hash).  The ID thus
also says which .docx a PDF was made from: ``made_from`` checks it (``--resume`` does).

Every letter's PDF goes through PDFium (``resave``) before it is settled, whether it was split
from a chunk or converted on its own, so both ways give PDFs of the same shape.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date

import pypdfium2 as pdfium

from ehe_letters.docx.compiled import read_provenance
from ehe_letters.pdf import PDFIUM

__all__ = ["letter_identity", "made_from", "resave", "settle", "settled", "with_subject"]

_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})([^)]{0,12})\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{2,64})>\s*<([0-9A-Fa-f]{2,64})>\s*\]")
_TZ = re.compile(rb"[+-]\d\d'\d\d'?")
_PROVENANCE_DATE = re.compile(r"\bdate=(\d{4}-\d\d-\d\d)\b")
EPOCH = date(1980, 1, 1)  # the date of a letter without provenance (as its zip members have)


def letter_identity(docx: bytes, provenance: str | None = None) -> tuple[bytes, date]:
    """The document ID and date a letter's PDF gets: from its .docx bytes and provenance
    (read from the .docx when not given)."""
    found = _PROVENANCE_DATE.search(read_provenance(docx) if provenance is None else provenance)
    day = date.fromisoformat(found.group(1)) if found else EPOCH
    return hashlib.sha256(docx).digest()[:16], day


def settle(pdf: bytes, seed: bytes, day: date) -> bytes:
    """The PDF with its dates set to `day` and its document ID to `seed`, at the same length."""

    def fixed_date(match: re.Match) -> bytes:
        tail = match.group(3)
        if _TZ.fullmatch(tail):
            tail = b"+00'00'" + tail[7:]
        elif tail and not tail.startswith(b"Z"):
            return match.group(0)  # a form not known here: left as it is, never mangled
        return b"/%s(D:%s%s)" % (match.group(1), day.strftime("%Y%m%d000000").encode(), tail)

    def fixed_id(match: re.Match) -> bytes:
        text = match.group(0)
        for hex_id in {match.group(1), match.group(2)}:
            text = text.replace(hex_id, _hex(seed, len(hex_id)))
        return text

    return _ID.sub(fixed_id, _DATE.sub(fixed_date, pdf))


_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)
_REF = re.compile(rb"/(Root|Size)\s*(\d+)(\s+0\s+R)?")


def _pdf_string(text: str) -> bytes:
    """A PDF literal string: latin-1 bytes, with backslash and parentheses escaped."""
    raw = text.encode("latin-1", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def with_subject(pdf: bytes, subject: str) -> bytes:
    """The PDF with a document information dictionary whose /Subject is `subject` (the letter's
    provenance, which `ehe-letters verify` and `served` read), added as an incremental update:
    the same input gives the same bytes, and the pages are untouched.  A PDF whose end is not a
    classic trailer is returned unchanged."""
    found = _TRAILER.search(pdf[-2048:])
    if not found or not subject:
        return pdf
    trailer = found.group(1)
    refs = {m.group(1): m.group(2) for m in _REF.finditer(trailer)}
    ids = _ID.search(trailer)
    if b"Root" not in refs or b"Size" not in refs:
        return pdf
    number = int(refs[b"Size"])
    body = b"\n%d 0 obj\n<< /Subject %s >>\nendobj\n" % (number, _pdf_string(subject))
    offset = len(pdf) + 1  # the object starts after the newline
    xref = len(pdf) + len(body)
    update = body + (
        b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n"
        b"trailer\n<< /Size %d /Root %s 0 R /Info %d 0 R /Prev %s %s>>\nstartxref\n%d\n%%%%EOF\n"
    ) % (
        number,
        offset,
        number + 1,
        refs[b"Root"],
        number,
        found.group(2),
        ids.group(0) + b" " if ids else b"",
        xref,
    )
    return pdf + update


def settled(pdf: bytes, docx: bytes) -> bytes:
    """A letter's PDF made reproducible (dates, document ID) and carrying its provenance."""
    provenance = read_provenance(docx)  # the .docx opened once for both
    return with_subject(settle(pdf, *letter_identity(docx, provenance)), provenance)


def _hex(seed: bytes, length: int) -> bytes:
    """`length` upper-case hex digits, the seed's own first."""
    digits = seed.hex().upper().encode()
    while len(digits) < length:
        digits += hashlib.sha256(digits).hexdigest().upper().encode()
    return digits[:length]


def made_from(pdf: bytes, docx: bytes) -> bool:
    """Tell whether a settled PDF carries the document ID of this very .docx."""
    found = _ID.search(pdf[-4096:]) or _ID.search(pdf)
    seed, _ = letter_identity(docx)
    return bool(found) and found.group(1) == _hex(seed, len(found.group(1)))


def resave(pdf: bytes) -> bytes:
    """The PDF's pages copied by PDFium into a document of its own (the shape split letters
    have: no outline, no named destinations, PDFium's own document information)."""
    with PDFIUM:
        source = pdfium.PdfDocument(pdf)
        target = pdfium.PdfDocument.new()
        try:
            target.import_pages(source)
            buffer = io.BytesIO()
            target.save(buffer)
            return buffer.getvalue()
        finally:
            target.close()
            source.close()
