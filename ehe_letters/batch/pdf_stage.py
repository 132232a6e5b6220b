"""The PDF stage of a batch: convert each letter, check it, and make the print file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pypdf import PdfReader

from ehe_letters.errors import TemplateProblem
from ehe_letters.pdf.check import check_letter_pdf
from ehe_letters.pdf.convert import ConverterPool
from ehe_letters.pdf.merge import merge

__all__ = ["add_pdfs"]

SHOWN = 3  # printable-area findings listed in errors.csv per letter (then a count)


def add_pdfs(options, results, progress, pool: ConverterPool) -> dict | None:
    """Convert the batch's letters to PDF (missing ones only on --resume), check, merge.

    Each PDF is checked as soon as it arrives (it opens, has pages, its text holds the case
    reference, and it keeps to GOV.UK Notify's printable areas: PDF001-PDF003), while the
    converters carry on with the next letters.  A letter that fails is a failed row in
    errors.csv (the rule's code and where on the page; never the letter's text), and is left
    out of the manifest's files and the print file.
    """
    docx_dir, pdf_dir = options.out_dir / "docx", options.out_dir / "pdf"
    outputs = [(r, out) for r in results for out in r.outputs]
    by_target = {pdf_dir / (Path(out.name).stem + ".pdf"): (r, out) for r, out in outputs}
    checked: dict[Path, int | list[tuple[str, str]]] = {}

    def check(target: Path, ok: bool) -> None:
        result, _ = by_target[target]
        if not ok:
            checked[target] = [("pdf", "LibreOffice could not convert this letter to PDF")]
        else:
            checked[target] = _check(target, result.reference)
        progress.pdf_done(ok)

    todo = [
        (docx_dir / out.name, target)
        for target, (_, out) in by_target.items()
        if out.fresh or not target.exists()  # PDFs are written atomically: one there is whole
    ]
    progress.pdf_total(len(todo))
    pool.convert(todo, on_done=check)
    for target, (result, out) in by_target.items():
        outcome = checked.get(target)
        if outcome is None:  # made by an earlier run (--resume): check it now
            outcome = _check(target, result.reference)
        if isinstance(outcome, list):
            result.errors += outcome
            continue
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        out.pdf = [{"path": f"pdf/{target.name}", "sha256": digest, "pages": outcome}]
    return _print_file(options, outputs) if options.merge else None


def _check(target: Path, reference: str) -> int | list[tuple[str, str]]:
    """The PDF's page count, or what is wrong with it: (field, message) pairs for errors.csv,
    without personal data (the printable-area messages give positions in mm, never text)."""
    try:
        pages, findings = check_letter_pdf(target, reference)
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


def _print_file(options, outputs) -> dict:
    """Merge the checked PDFs in postcode order, each letter starting on a fresh sheet."""
    ordered = sorted(
        ((r, out) for r, out in outputs if out.pdf),
        key=lambda pair: (pair[1].postcode, pair[0].reference, pair[1].name),
    )
    target = options.out_dir / "print.pdf"
    ranges = merge([options.out_dir / out.pdf[0]["path"] for _, out in ordered], target)
    for (_, out), (first, last) in zip(ordered, ranges, strict=True):
        out.print_pages = [first, last]
    return {
        "path": "print.pdf",
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "order": "postcode, then case reference",
        "letters": len(ordered),
        "pages": len(PdfReader(target).pages),
    }
