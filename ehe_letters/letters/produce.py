"""Produce finished letters for a case: choose addressees, build contexts, render, verify."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehe_letters.docx.compiled import CompiledTemplate
from ehe_letters.errors import LawError
from ehe_letters.filecache import cached_by_file
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.context import LetterJob, build_jobs, require_inputs
from ehe_letters.models import CaseFile
from ehe_letters.rules.case_rules import check_case
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.wording import check_text
from ehe_letters.settings import Settings

__all__ = [
    "LetterSet",
    "Refused",
    "RenderedLetter",
    "compiled",
    "output_names",
    "render_letter",
]


@dataclass(frozen=True)
class RenderedLetter:
    """One produced letter: its file name, its bytes and what it was produced from."""

    name: str
    data: bytes
    job: LetterJob
    template_sha256: str


@dataclass(frozen=True)
class LetterSet:
    """The letters produced for one case, and the warnings to show and record with them."""

    letters: list[RenderedLetter]
    warnings: list[Finding]

    def __iter__(self):
        return iter(self.letters)

    def __len__(self) -> int:
        return len(self.letters)

    def __getitem__(self, index: int) -> RenderedLetter:
        return self.letters[index]


@cached_by_file(maxsize=16)
def compiled(template: Path) -> CompiledTemplate:
    """Return the compiled template for a path, compiled again only when the file changes."""
    return CompiledTemplate(template)


def safe_stem(reference: str) -> str:
    """The part of a file name that comes from a case reference (safe on every system)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", reference)


def output_names(reference: str, letter_id: str, jobs: list[LetterJob]) -> list[str]:
    """Return the file names of a case's letters: REF_letter.docx, REF_letter_p2.docx ..."""
    stem = safe_stem(reference) + "_" + letter_id
    by_parent = len({job.parent_indexes for job in jobs}) > 1
    by_child = len({job.child_index for job in jobs}) > 1
    names = []
    for job in jobs:
        suffix = job.suffix(by_parent, by_child)
        names.append(f"{stem}_{suffix}.docx" if suffix else f"{stem}.docx")
    return names


def provenance(letter_id: str, reference: str, when: date, job: LetterJob, sha256: str) -> str:
    """The line written into each letter saying what it was produced from (no personal data)."""
    parents = "-".join(str(i) for i in job.parent_indexes)
    child = "" if job.child_index is None else f" child={job.child_index}"
    return (
        f"ehe-letters/1 letter={letter_id} case={reference} date={when.isoformat()} "
        f"parents={parents}{child} template={sha256}"
    )


def parse_provenance(text: str) -> dict[str, str]:
    """Read a provenance line back into its fields ({} if it is not one)."""
    if not text.startswith("ehe-letters/1 "):
        return {}
    return dict(item.split("=", 1) for item in text.split()[1:] if "=" in item)


class Refused(LawError):
    """A letter refused by the legal or wording rules; carries the findings."""

    def __init__(self, findings: list[Finding], source: str = "") -> None:
        prefix = f"{source}: " if source else ""
        lines = [f"{prefix}{f.code} refused: {f.message}" for f in findings]
        super().__init__(lines[0], problems=lines)
        self.findings = findings


def refuse_on_errors(findings: list[Finding], source: str = "") -> list[Finding]:
    """Raise Refused listing the error findings; return the warnings."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise Refused(errors, source)
    return findings


def render_letter(
    letter_id: str,
    case_file: CaseFile,
    letter_date: date,
    overrides: dict[str, str] | None = None,
    settings: Settings | None = None,
) -> LetterSet:
    """Render one letter for a case: one file per addressee (and per child for notices).

    The case is checked against the legal rules first and every produced letter against its
    wording rules; an error refuses the whole set (nothing is returned), warnings come back
    with the letters.  The template comes from ``settings.templates`` (None: the packaged
    templates, or $EHE_LETTERS_TEMPLATES).
    """
    letter = get_letter(letter_id, settings)
    case, authority = case_file.case, case_file.authority
    require_inputs(letter, case)  # before the rules, which read the letter's inputs
    warnings = refuse_on_errors(check_case(letter, case, authority, letter_date, overrides))
    jobs = build_jobs(letter, case, authority, letter_date)
    template = compiled(letter.template)
    names = output_names(case.reference, letter_id, jobs)
    results = []
    for name, job in zip(names, jobs, strict=True):
        data, text = template.render_with_text(
            job.context, provenance(letter_id, case.reference, letter_date, job, template.sha256)
        )
        refuse_on_errors(
            check_text(letter, text, nation=authority.nation, context=job.context), name
        )
        results.append(RenderedLetter(name, data, job, template.sha256))
    return LetterSet(results, warnings)
