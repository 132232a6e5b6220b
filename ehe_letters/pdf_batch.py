"""The PDF stage of a batch: convert each letter, check it, and make the print file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import TemplateProblem
from .pdf import ConverterPool, check_pdf, merge

__all__ = ["add_pdfs"]


def add_pdfs(options, results, progress) -> dict | None:
    """Convert the batch's letters to PDF (missing ones only on --resume), check, merge."""
    docx_dir, pdf_dir = options.out_dir / "docx", options.out_dir / "pdf"
    outputs = [(r, out) for r in results for out in r.outputs]
    todo = []
    for _, out in outputs:
        target = pdf_dir / (Path(out.name).stem + ".pdf")
        if (
            out.fresh or not target.exists()
        ):  # PDFs are written atomically: one that exists is whole
            todo.append((docx_dir / out.name, target))
    progress.pdf_total(len(todo))
    if todo:
        with ConverterPool(workers=max(1, min(options.workers, 4))) as pool:
            pool.convert(todo, on_done=lambda _target, ok: progress.pdf_done(ok))
    for result, out in outputs:
        target = pdf_dir / (Path(out.name).stem + ".pdf")
        if not target.exists():
            result.errors.append(("pdf", "LibreOffice could not convert this letter to PDF"))
            continue
        try:
            pages = check_pdf(target, result.reference)
        except TemplateProblem:
            result.errors.append(
                ("pdf", "the PDF does not open, has no pages or lacks the reference")
            )
            continue
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        out.pdf = [{"path": f"pdf/{target.name}", "sha256": digest, "pages": pages}]
    if not options.merge:
        return None
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
        "pages": _pages(target),
    }


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)
