"""The PDF stage of a batch: convert the letters in chunks, check each PDF, make the print file."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ehe_letters.errors import TemplateProblem
from ehe_letters.pdf.check import check_letter_pdf
from ehe_letters.pdf.chunks import Chunk, Letter, kept_pages
from ehe_letters.pdf.convert import ConverterPool
from ehe_letters.pdf.merge import Source, print_file
from ehe_letters.pdf.settle import made_from

__all__ = ["CHUNK", "add_pdfs"]

SHOWN = 3  # printable-area findings listed in errors.csv per letter (then a count)
# Letters per LibreOffice document.  Fixed, so that the same mailing always gives the same
# chunks and so the same PDFs (a PDF's fonts are those of its chunk).  With the letterhead's
# picture lifted out of the headers (pdf/lift.py), 50 measured quickest (1,000 welcome letters:
# 25 s against 33 s with 25 a chunk; a chunk of 100 or 200 costs LibreOffice more per letter).
CHUNK = 50
KEPT = ".chunks"  # in pdf/: the chunks' PDFs, for the print file; removed once it is written


def add_pdfs(options, results, progress, pool: ConverterPool) -> dict | None:
    """Convert the batch's letters to PDF (missing ones only on --resume), check, merge.

    Letters are taken in print order (postcode, case reference, file name) and cut into chunks
    of CHUNK; a chunk is converted as one document (pdf/chunks.py) unless all its letters have
    a PDF made from their very .docx already (--resume: settle.made_from) and, for the print
    file, the chunk's PDF is kept.  Each PDF is checked as it arrives (it opens, has pages, its
    text holds the case reference, and it keeps to GOV.UK Notify's printable areas:
    PDF001-PDF003), while the converters carry on.  A letter that fails is a failed row in
    errors.csv (the rule's code and where on the page; never the letter's text), and is left
    out of the manifest's files and the print file.
    """
    docx_dir, pdf_dir = options.out_dir / "docx", options.out_dir / "pdf"
    ordered = sorted(
        ((r, out) for r in results for out in r.outputs),
        key=lambda pair: (pair[1].postcode, pair[0].reference, pair[1].name),
    )
    letters = [
        Letter(docx_dir / out.name, pdf_dir / (Path(out.name).stem + ".pdf"), r.reference)
        for r, out in ordered
    ]
    by_target = {letter.target: pair for letter, pair in zip(letters, ordered, strict=True)}
    kept = pdf_dir / KEPT if options.merge else None
    chunks = []
    for i in range(0, len(letters), CHUNK):
        names = [out.sha256 for _, out in ordered[i : i + CHUNK]]
        keep = kept / Chunk.name_for(names) if kept else None
        chunks.append(Chunk(tuple(letters[i : i + CHUNK]), keep))
    todo = [chunk for chunk in chunks if _to_convert(chunk, by_target)]
    checked: dict[Path, int | list[tuple[str, str]]] = {}

    def check(target: Path, ok: bool) -> None:
        result, _ = by_target[target]
        if not ok:
            checked[target] = [("pdf", "LibreOffice could not convert this letter to PDF")]
        else:  # checked while it was split from its chunk, or now
            early = pool.checked.pop(target, None)
            checked[target] = _check(target, result.reference, early)
        progress.pdf_done(ok)

    progress.pdf_total(sum(len(chunk.letters) for chunk in todo))
    pool.convert_chunks(todo, on_done=check)
    for target, (result, out) in by_target.items():
        outcome = checked.get(target)
        if outcome is None:  # made by an earlier run from this very .docx (--resume)
            outcome = _check(target, result.reference)
        if isinstance(outcome, list):
            result.errors += outcome
            continue
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        out.pdf = [{"path": f"pdf/{target.name}", "sha256": digest, "pages": outcome}]
    if not options.merge:
        return None
    made = _print_file(options, chunks, by_target)
    shutil.rmtree(kept, ignore_errors=True)
    return made


def _to_convert(chunk: Chunk, by_target: dict) -> bool:
    """Tell whether a chunk must be converted: a letter is new or lacks a PDF made from its
    .docx, or the print file needs the chunk's PDF and it is not kept."""
    if chunk.keep is not None and kept_pages(chunk.keep, len(chunk.letters)) is None:
        return True
    for letter in chunk.letters:
        _, out = by_target[letter.target]
        if out.fresh or not letter.target.exists():
            return True
        if not made_from(letter.target.read_bytes(), letter.docx.read_bytes()):
            return True
    return False


def _check(target: Path, reference: str, early=None) -> int | list[tuple[str, str]]:
    """The PDF's page count, or what is wrong with it: (field, message) pairs for errors.csv,
    without personal data (the printable-area messages give positions in mm, never text).

    `early`: (pages, findings) from the letter's chunk (its reference proven there)."""
    try:
        pages, findings = early or check_letter_pdf(target, reference)
    except TemplateProblem:
        return [("pdf", "the PDF does not open, has no pages or lacks the reference")]
    errors = [f for f in findings if f.severity == "error"]
    if not errors:
        return pages
    rows = [(f.code, f"{target.name}: {f.location}: {f.message}") for f in errors[:SHOWN]]
    if len(errors) > SHOWN:
        more = len(errors) - SHOWN
        rows.append((errors[SHOWN].code, f"{target.name}: and {more} more such finding(s)"))
    return rows


def _print_file(options, chunks: list[Chunk], by_target: dict) -> dict:
    """The checked letters in print order, copied from their chunk's PDF where it is kept."""
    sources, entries = [], []
    for chunk in chunks:
        spans = kept_pages(chunk.keep, len(chunk.letters)) if chunk.keep else None
        for n, letter in enumerate(chunk.letters):
            _, out = by_target[letter.target]
            if not out.pdf:
                continue
            pages = out.pdf[0]["pages"]
            if spans is not None and spans[n][2] == pages:
                sources.append(Source(spans[n][0], spans[n][1], pages))
            else:
                sources.append(Source(letter.target, 0, pages))
            entries.append(out)
    target = options.out_dir / "print.pdf"
    mark = options.mark
    identity = " ".join([*(out.pdf[0]["sha256"] for out in entries), f"mark={mark}"])
    seed = hashlib.sha256(identity.encode()).digest()[:16]
    ranges = print_file(sources, target, seed, options.letter_date, mark=mark)
    for out, (first, last) in zip(entries, ranges, strict=True):
        out.print_pages = [first, last]
    made = {
        "path": "print.pdf",
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "order": "postcode, then case reference",
        "letters": len(entries),
        "pages": ranges[-1][1] + (ranges[-1][1] - ranges[-1][0] + 1) % 2 if ranges else 0,
    }
    if mark:
        made["inserter_marks"] = True
    return made
