"""Produce finished letters for a case: choose addressees, build contexts, render, verify."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehe_letters.docx.compiled import CompiledTemplate
from ehe_letters.errors import InputError, LawError
from ehe_letters.filecache import cached_by_file
from ehe_letters.letters.catalogue import Letter, get_letter
from ehe_letters.letters.context import LetterJob, build_jobs, require_inputs
from ehe_letters.models import Case, CaseFile
from ehe_letters.register.events import with_register_history
from ehe_letters.rules.approval import DRAFT_MARK, approval_for_use
from ehe_letters.rules.case_rules import check_case
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.wording import check_text
from ehe_letters.settings import Settings

__all__ = [
    "LetterSet",
    "Refused",
    "RenderedLetter",
    "compiled",
    "logo_sha256",
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
    """The part of a file name that comes from a case reference (safe on every system).

    One to one: "/" becomes "+" (which a reference cannot hold), so GL/2026/1 and GL-2026-1
    name different files; any other character a file name should not hold becomes ~ and its
    code in hex (a validated reference holds none).
    """
    return re.sub(
        r"[^A-Za-z0-9_.-]",
        lambda m: "+" if m.group() == "/" else f"~{ord(m.group()):x}~",
        reference,
    )


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


def provenance(
    letter_id: str,
    reference: str,
    when: date,
    job: LetterJob,
    sha256: str,
    logo: str | None = None,
    draft: bool = False,
    overrides: dict[str, str] | None = None,
) -> str:
    """The line written into each letter saying what it was produced from (no personal data):
    the letter, case, date, addressee, the template's sha256, the logo's (if any),
    ``draft=not-approved`` for a letter marked "DRAFT — not approved", and the codes of the rules
    overridden for it (their reasons are in the register, not in the letter)."""
    parents = "-".join(str(i) for i in job.parent_indexes)
    child = "" if job.child_index is None else f" child={job.child_index}"
    with_logo = f" logo={logo}" if logo else ""
    marked = " draft=not-approved" if draft else ""
    waived = f" overrides={','.join(sorted(overrides))}" if overrides else ""
    return (
        f"ehe-letters/1 letter={letter_id} case={reference} date={when.isoformat()} "
        f"parents={parents}{child} template={sha256}{with_logo}{marked}{waived}"
    )


def logo_sha256(case_file: CaseFile) -> str | None:
    """The sha256 of the letterhead logo of a case's authority (None without one)."""
    image = case_file.authority.logo_image
    return image.sha256 if image is not None else None


def parse_provenance(text: str) -> dict[str, str]:
    """Read a provenance line back into its fields ({} if it is not one)."""
    if not text.startswith("ehe-letters/1 "):
        return {}
    return dict(item.split("=", 1) for item in text.split()[1:] if "=" in item)


class Refused(LawError):
    """A letter refused by the legal, wording or PDF rules; carries the findings."""

    def __init__(self, findings: list[Finding], source: str = "") -> None:
        prefix = f"{source}: " if source else ""
        lines = [
            f"{prefix}{f.location + ': ' if f.location else ''}{f.code} refused: {f.message}"
            for f in findings
        ]
        super().__init__(lines[0], problems=lines)
        self.findings = findings


def refuse_on_errors(findings: list[Finding], source: str = "") -> list[Finding]:
    """Raise Refused listing the error findings; return the warnings."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise Refused(errors, source)
    return findings


def _selected(
    letter: Letter, case: Case, parents: tuple[int, ...] | None
) -> tuple[int, ...] | None:
    """Check a --parent selection: indexes of the case's parents, for a notice to each parent.

    Without one, a notice to each parent goes to every parent but those recorded as not to be
    served (``not_served_reason``; rule EHE123 warns of each).
    """
    if parents is None:
        if letter.addressed_to != "each-parent":
            return None
        unserved = {i for i, p in enumerate(case.parents) if p.not_served_reason}
        return tuple(i for i in range(len(case.parents)) if i not in unserved) if unserved else None
    if letter.addressed_to != "each-parent":
        to = "the school" if letter.addressed_to == "school" else "the parents at each address"
        raise InputError(f"--parent: the {letter.id} letter goes to {to}, not to one parent")
    for index in parents:
        if not 0 <= index < len(case.parents):
            raise InputError(
                f"--parent {index}: the case has {len(case.parents)} parent(s), "
                f"numbered from 0 (case.parents[0])"
            )
        if case.parents[index].not_served_reason:
            raise InputError(
                f"--parent {index}: case.parents[{index}] is recorded as not to be served "
                "(not_served_reason)"
            )
    return tuple(sorted(set(parents)))


def render_letter(
    letter_id: str,
    case_file: CaseFile,
    letter_date: date,
    overrides: dict[str, str] | None = None,
    settings: Settings | None = None,
    parents: tuple[int, ...] | None = None,
    draft: bool = False,
    enforce_approval: bool = True,
) -> LetterSet:
    """Render one letter for a case: one file per addressee (and per child for notices).

    The case is checked against the legal rules first and every produced letter against its
    wording rules; an error refuses the whole set (nothing is returned), warnings come back
    with the letters.  `parents` (indexes into case.parents) limits a notice addressed to each
    parent to those parents (default: all of them; one that does not qualify refuses the whole
    set).  The template comes from ``settings.templates`` (None: the packaged
    templates, or $EHE_LETTERS_TEMPLATES).  With a register (``settings.register``), the
    services it records for the case count as part of the case's history.

    The template must match its approval (``rules/approval.py``): a statutory notice from one
    that does not is refused (NotApproved) unless ``draft``, which marks each letter "DRAFT —
    not approved"; an informal letter comes with a warning.  ``enforce_approval`` False skips
    that decision (a batch takes it once for all its rows; ``verify`` reproduces a letter as it
    was made), and ``draft`` then says whether the letters are marked.
    """
    letter = get_letter(letter_id, settings)
    case_file = with_register_history(case_file, settings)
    if enforce_approval:
        use = approval_for_use(letter, draft, settings)
        marked, approval_warnings = use.draft, list(use.warnings)
    else:
        marked, approval_warnings = draft, []
    case, authority = case_file.case, case_file.authority
    require_inputs(letter, case)  # before the rules, which read the letter's inputs
    parents = _selected(letter, case, parents)
    warnings = approval_warnings + refuse_on_errors(
        check_case(letter, case, authority, letter_date, overrides, parents)
    )
    jobs = build_jobs(letter, case, authority, letter_date)
    names = output_names(case.reference, letter_id, jobs)  # the same names with --parent
    if parents is not None:
        chosen = [
            (n, j)
            for n, j in zip(names, jobs, strict=True)
            if set(j.parent_indexes) <= set(parents)
        ]
        names, jobs = [n for n, _ in chosen], [j for _, j in chosen]
    template = compiled(letter.template)
    logo = logo_sha256(case_file)  # after build_jobs, which reads a logo not yet read
    results = []
    for name, job in zip(names, jobs, strict=True):
        data, text = template.render_with_text(
            job.context,
            provenance(
                letter_id,
                case.reference,
                letter_date,
                job,
                template.sha256,
                logo,
                marked,
                overrides,
            ),
            DRAFT_MARK if marked else "",
        )
        refuse_on_errors(
            check_text(letter, text, nation=authority.nation, context=job.context), name
        )
        results.append(RenderedLetter(name, data, job, template.sha256))
    return LetterSet(results, warnings)
