"""`ehe-letters check`: lint templates, check their wording rules and their legal approval."""

from __future__ import annotations

from pathlib import Path

from ehe_letters.docx.text import docx_text
from ehe_letters.errors import EheLettersError
from ehe_letters.letters.catalogue import LETTER_IDS, TRANSLATIONS, all_versions, get_letter
from ehe_letters.rules.approval import check_approval
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.lint import lint_template
from ehe_letters.rules.wording import check_text
from ehe_letters.settings import Settings

__all__ = ["check_templates"]


def check_templates(
    paths: list[Path] | None = None, settings: Settings | None = None
) -> list[Finding]:
    """Check the given templates (default: every letter of the settings) and return the findings.

    A template named for a letter is checked against that letter's metadata and approval in
    the settings' templates folder.
    """
    if paths:
        targets = [(p, _letter_of(p, settings)) for p in paths]
    else:
        targets = [(letter.template, letter) for letter in all_versions(settings)]
    findings: list[Finding] = []
    for path, letter in targets:
        lint = lint_template(path, letter, settings)
        findings += lint
        if letter is None:
            continue
        findings += check_approval(path, letter)
        if any(f.code == "EHE408" for f in lint):
            continue
        try:
            text = docx_text(path)
        except EheLettersError:
            continue
        for finding in check_text(letter, text, file=str(path)):
            findings.append(
                Finding(
                    finding.code,
                    finding.severity,
                    finding.message,
                    finding.reference,
                    str(path),
                    "template text",
                )
            )
    return findings


def _letter_of(path: Path, settings: Settings | None):
    """The letter a template file is (its Welsh version in a ``cy`` folder), or None."""
    if path.stem not in LETTER_IDS:
        return None
    welsh = path.parent.name == TRANSLATIONS
    return get_letter(f"{TRANSLATIONS}/{path.stem}" if welsh else path.stem, settings)
