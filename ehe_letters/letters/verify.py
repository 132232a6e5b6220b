"""Verify a produced letter against its case: nothing edited by hand, everything still lawful.

Each letter carries a provenance line (letter id, case reference, date, addressee, template
hash, letterhead logo hash).  Verification produces the same letter again from the case and
compares the text, and runs the letter's wording rules on the file's own text, so a date or name
changed by hand after production is found; a changed template or logo is a warning.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from ehe_letters.docx.compiled import read_provenance
from ehe_letters.docx.safezip import check_docx
from ehe_letters.docx.text import docx_text
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.produce import logo_sha256, parse_provenance, render_letter
from ehe_letters.models import CaseFile
from ehe_letters.models.fields import REFERENCE
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.registry import Rule, register
from ehe_letters.rules.wording import check_text
from ehe_letters.settings import Settings

__all__ = ["verify_letter"]

_PROVENANCE = (
    "README, 'verify': each letter records what it was produced from (letter, case, date, "
    "addressee, template hash, logo hash) in its document properties"
)
EDITED = register(
    Rule(
        "VER001",
        "error",
        "verify",
        "the letter's text differs from the letter its case gives: edited after production",
        f"{_PROVENANCE}; a notice must state the dates and facts computed from the recorded "
        "case, so a letter changed by hand is not the one the toolkit checked",
        ("letters",),
    )
)
TEMPLATE_CHANGED = register(
    Rule(
        "VER002",
        "warning",
        "verify",
        "the template has changed since the letter was produced",
        f"{_PROVENANCE}; differences may then come from the template, not from an edit",
        ("letters",),
    )
)

LOGO_CHANGED = register(
    Rule(
        "VER003",
        "warning",
        "verify",
        "the letterhead logo differs from the one the letter was produced with",
        f"{_PROVENANCE}; the authority's logo (authority.logo) is part of the letter as sent, "
        "but not of its text, so the text comparison cannot see a changed logo",
        ("letters",),
    )
)


def _provenance_fields(path: Path, fields: dict[str, str], settings: Settings | None):
    """The letter, date, parents and child a provenance names; a crafted or damaged one is a
    one-line InputError (its values are not echoed)."""
    try:
        letter = get_letter(fields["letter"], settings)
        when = date.fromisoformat(fields["date"])
        parents = tuple(int(i) for i in fields["parents"].split("-") if i)  # none: to a school
        child = int(fields["child"]) if "child" in fields else None
    except (KeyError, ValueError, InputError):
        raise InputError(f"{path}: its ehe-letters provenance is damaged or not one") from None
    if any(i < 0 or i > 99 for i in parents) or (child is not None and not 0 <= child <= 99):
        raise InputError(f"{path}: its ehe-letters provenance is damaged or not one")
    return letter, when, parents, child


def verify_letter(
    path: Path,
    case_file: CaseFile,
    overrides: dict[str, str] | None = None,
    settings: Settings | None = None,
):
    """Return the findings for a produced letter (empty when it is exactly as produced).

    `path` is the letter's .docx, or its PDF (the provenance is in the PDF's metadata).  A
    letter produced with an override is produced again with it (its provenance names it).
    """
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    if path.suffix.lower() == ".pdf":
        from ehe_letters.letters.verify_pdf import pdf_provenance

        data, fields = None, parse_provenance(pdf_provenance(path))
    else:
        check_docx(path)  # a zip bomb is refused before anything is unpacked
        data = path.read_bytes()
        fields = parse_provenance(read_provenance(data))
    if not fields:
        raise InputError(f"{path}: no ehe-letters provenance; was it produced by ehe-letters?")
    if fields.get("case") != case_file.case.reference:
        named = fields.get("case") or ""
        other = f"case {named}" if REFERENCE.match(named) else "another case"
        raise InputError(f"{path}: produced for {other}, not {case_file.case.reference}")
    letter, when, parents, child = _provenance_fields(path, fields, settings)
    if overrides is None:
        overrides = _waived(fields)
    expected = [
        r
        for r in render_letter(
            letter.id,
            case_file,
            when,
            overrides,
            settings,
            # a notice to each parent is checked for its own addressee (as with --parent)
            parents if letter.addressed_to == "each-parent" else None,
            draft=fields.get("draft") == "not-approved",  # as it was made, approved or not
            enforce_approval=False,
            # a letter in both languages may have been part of a mailing (standard 4)
            mailing=fields.get("lang") == "cy+en",
        )
        if r.job.parent_indexes == parents and r.job.child_index == child
    ]
    if not expected:
        raise InputError(f"{path}: the case no longer has the addressee this letter was for")
    findings: list[Finding] = []
    if fields.get("template") != expected[0].template_sha256:
        message = (
            f"the {letter.id} template has changed since this letter was produced; "
            "differences below may come from the template"
        )
        findings.append(TEMPLATE_CHANGED.finding(message, str(path)))
    now = logo_sha256(case_file)
    if fields.get("logo") != now:
        if not now:
            message = "this letter was produced with a letterhead logo; the authority now has none"
        elif fields.get("logo"):
            message = "the authority's letterhead logo is not the one this letter was produced with"
        else:
            message = (
                "this letter was produced without a letterhead logo; the authority now has one"
            )
        findings.append(LOGO_CHANGED.finding(message, str(path)))
    if data is None:
        from ehe_letters.letters.verify_pdf import pdf_text_findings

        return findings + pdf_text_findings(path, expected[0].data, EDITED)
    actual_text = docx_text(data)
    expected_text = docx_text(expected[0].data)
    if actual_text != expected_text:
        changed = _changed_lines(expected_text, actual_text)
        message = (
            f"the text differs from the letter the case gives (lines {changed}): "
            "edited after it was produced?"
        )
        findings.append(EDITED.finding(message, str(path)))
    for finding in check_text(
        letter,
        _body(actual_text),
        nation=case_file.authority.nation,
        context=expected[0].job.context,
        file=str(path),
    ):
        findings.append(finding)
    return findings


def _waived(fields: dict[str, str]) -> dict[str, str]:
    """The rules a letter's provenance says were overridden when it was produced."""
    codes = [c for c in fields.get("overrides", "").split(",") if c]
    return {code: "overridden when the letter was produced" for code in codes}


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("[header:"))


def _changed_lines(a: str, b: str) -> str:
    """Line numbers (of the produced letter's text) that differ: no content, no personal data."""
    numbers = []
    matcher = difflib.SequenceMatcher(a=a.splitlines(), b=b.splitlines(), autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            numbers.extend(range(j1 + 1, max(j2, j1 + 1) + 1))
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (" ..." if len(numbers) > 5 else "")
