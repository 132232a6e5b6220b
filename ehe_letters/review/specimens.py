"""Specimens: every letter rendered from its example case, in one folder, for legal review.

``make_specimens(out, when, pdf, settings)`` writes ``<letter-id>.docx`` (and ``.pdf``) for each
of every letter of the settings' templates from the packaged ``examples/<letter-id>.yaml``
- the first letter the example gives, since the copies for other parents or children differ
only in the addressee - plus ``index.md`` and ``index.json``: title, statutory basis, files,
template sha256 and approval status.  When the settings name an authority file (a workspace's
``authority.yaml``), the specimens are addressed from it instead of the examples' own.

A letter whose template does not match its approval is rendered in draft mode: marked "DRAFT —
not approved" on every page, and the index says so.

A letter the legal rules refuse on the specimen date (e.g. a notice whose prerequisites fall
later) is rendered on :data:`FALLBACK_DATE` instead, the date the examples and the golden tests
are written for, and the index says so.  All example data is fictional.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ehe_letters.data import packaged_examples
from ehe_letters.errors import EheLettersError, InputError, LawError
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import all_letters
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import Authority
from ehe_letters.models.loading import load_authority, load_case_file
from ehe_letters.review.approvals import approval_status
from ehe_letters.rules.approval import DRAFT_MARK
from ehe_letters.settings import Settings, settings_or_default

__all__ = ["FALLBACK_DATE", "Specimen", "make_specimens", "write_index"]

FALLBACK_DATE = date(2026, 12, 1)


@dataclass
class Specimen:
    """One letter's entry in the index."""

    letter: str
    title: str
    statutory_basis: str
    files: list[str]
    date: str
    template_sha256: str
    approval: str
    approved_by: str = ""
    approved_on: str = ""
    notes: list[str] = field(default_factory=list)


def _render(
    letter_id: str, when: date, notes: list[str], authority: Authority | None, settings: Settings
):
    """Render the example on ``when``, or on FALLBACK_DATE if the rules refuse it."""
    case_file = load_case_file(packaged_examples() / f"{letter_id}.yaml", authority)
    try:
        result = render_letter(letter_id, case_file, when, settings=settings, draft=True)
        return result, when, case_file
    except LawError as exc:
        if when == FALLBACK_DATE:
            raise
        said = "; ".join(exc.problems)
        notes.append(f"refused on {when.isoformat()} ({said}): dated {FALLBACK_DATE} instead")
    result = render_letter(letter_id, case_file, FALLBACK_DATE, settings=settings, draft=True)
    return result, FALLBACK_DATE, case_file


def make_specimens(
    out: Path, when: date, pdf: bool = False, settings: Settings | None = None
) -> list[Specimen]:
    """Write one specimen per letter and the index into ``out``; return the index entries."""
    settings = settings_or_default(settings)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file; give a folder")
    soffice = None
    if pdf:
        from ehe_letters.pdf.soffice import find_soffice

        soffice = find_soffice(settings)  # fail at once, before writing anything
    authority = load_authority(settings.authority) if settings.authority else None
    specimens, docx_files = [], []
    for letter in all_letters(settings):
        notes: list[str] = []
        status, record = approval_status(letter)
        entry = Specimen(
            letter.id,
            letter.title,
            letter.statutory_basis,
            [],
            "",
            "",
            status,
            record.approved_by if record else "",
            record.date.isoformat() if record else "",
            notes,
        )
        specimens.append(entry)
        try:
            results, used, case_file = _render(letter.id, when, notes, authority, settings)
        except EheLettersError as exc:
            notes += [f"no specimen: {problem}" for problem in exc.problems]
            continue
        first = results[0]
        target = out / f"{letter.id}.docx"
        write_atomic(target, first.data, durable=False)
        docx_files.append((target, case_file.case.reference, entry))
        entry.files.append(target.name)
        entry.date, entry.template_sha256 = used.isoformat(), first.template_sha256
        if status != "approved":
            notes.append(f"marked '{DRAFT_MARK}' on every page: its template is {status}")
        if len(results) > 1:
            notes.append(f"the first of the example's {len(results)} letters (one per addressee)")
        notes += [f"{w.code} warning: {w.message}" for w in results.warnings]
    if pdf:
        _pdfs(docx_files, soffice)
    write_index(out, specimens)
    return specimens


def _pdfs(docx_files: list[tuple[Path, str, Specimen]], soffice: str | None) -> None:
    """Convert every specimen with one converter pool and check each PDF (including GOV.UK
    Notify's printable areas); failures are noted in the index and the PDF is not listed."""
    from ehe_letters.pdf.check import check_letter_pdf
    from ehe_letters.pdf.convert import ConverterPool

    pairs = [(path, path.with_suffix(".pdf")) for path, _, _ in docx_files]
    with ConverterPool(workers=min(2, max(1, len(pairs))), soffice=soffice) as pool:
        report = pool.convert(pairs)
    failed = {docx for docx, _ in report.failed}
    for path, reference, entry in docx_files:
        target = path.with_suffix(".pdf")
        if path in failed or not target.exists():
            entry.notes.append("LibreOffice could not convert it to PDF")
            continue
        try:
            _, findings = check_letter_pdf(target, reference)
        except EheLettersError as exc:
            entry.notes.append(str(exc))
            continue
        entry.notes += [f"{f.location}: {f.code} {f.severity}: {f.message}" for f in findings]
        if any(f.severity == "error" for f in findings):
            entry.notes.append(
                f"{target.name}: not listed: outside GOV.UK Notify's printable areas"
            )
            continue
        entry.files.append(target.name)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_index(out: Path, specimens: list[Specimen]) -> None:
    """Write index.json and index.md for the specimens."""
    data = {"letters": [asdict(s) for s in specimens]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / "index.json", text.encode("utf-8"), durable=False)
    lines = [
        "# Letter specimens",
        "",
        "Each letter rendered from its fictional example case (`examples/<letter>.yaml`), for",
        "review in one sitting. 'approval' compares the template file with `approvals.toml`.",
        "",
        "| letter | title | statutory basis | files | date | template sha256 | approval |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in specimens:
        approval = s.approval + (f" ({s.approved_by}, {s.approved_on})" if s.approved_by else "")
        files = ", ".join(f"[{name}]({name})" for name in s.files) or "none"
        cells = (s.letter, s.title, s.statutory_basis, files, s.date, s.template_sha256[:12])
        lines.append("| " + " | ".join(_cell(c) for c in (*cells, approval)) + " |")
    notes = [(s.letter, note) for s in specimens for note in s.notes]
    if notes:
        lines += ["", "## Notes", ""] + [f"- **{lid}**: {_cell(note)}" for lid, note in notes]
    write_atomic(out / "index.md", ("\n".join(lines) + "\n").encode("utf-8"), durable=False)
