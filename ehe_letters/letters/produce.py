"""Produce finished letters for a case: choose addressees, build contexts, render, verify."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehe_letters.docx.bilingual import join_languages
from ehe_letters.docx.compiled import CompiledTemplate
from ehe_letters.errors import InputError, LawError
from ehe_letters.filecache import cached_by_file
from ehe_letters.letters.catalogue import Letter, get_letter, translation
from ehe_letters.letters.context import (
    LetterJob,
    PathDict,
    addressees,
    build_jobs,
    require_inputs,
)
from ehe_letters.letters.language import letter_languages
from ehe_letters.models import Case, CaseFile
from ehe_letters.register.events import with_register_history
from ehe_letters.rules.approval import DRAFT_MARK, approval_for_use
from ehe_letters.rules.case_facts import CASE_RULES
from ehe_letters.rules.case_parent_rules import missing_welsh
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
    language: str = "en"  # "en", "cy", or "cy+en": both in one document, Welsh first


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
    language: str = "en",
) -> str:
    """The line written into each letter saying what it was produced from (no personal data):
    the letter, case, date, addressee, the template's sha256 (each language's, joined by '+'),
    the logo's (if any), ``draft=not-approved`` for a letter marked "DRAFT — not approved", the
    codes of the rules overridden for it (their reasons are in the register, not in the letter)
    and, for a letter not in English only, its language(s)."""
    parents = "-".join(str(i) for i in job.parent_indexes)
    child = "" if job.child_index is None else f" child={job.child_index}"
    with_logo = f" logo={logo}" if logo else ""
    marked = " draft=not-approved" if draft else ""
    waived = f" overrides={','.join(sorted(overrides))}" if overrides else ""
    lang = f" lang={language}" if language != "en" else ""
    return (
        f"ehe-letters/1 letter={letter_id} case={reference} date={when.isoformat()} "
        f"parents={parents}{child} template={sha256}{with_logo}{marked}{waived}{lang}"
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


def _languages(letter: Letter, case_file: CaseFile, job: LetterJob, mailing: bool) -> tuple:
    """The languages of one letter, Welsh first (letters/language.py); in a mailing of an
    authority bound by the Welsh Language Standards, every letter has a Welsh version too
    (standard 4: the same correspondence sent to several persons)."""
    authority = case_file.authority
    languages = letter_languages(addressees(letter, case_file.case, job.parent_indexes), authority)
    if mailing and authority.welsh_language_standards and languages == ("en",):
        return ("cy", "en")
    return languages


def _in(letter: Letter, language: str) -> Letter:
    """The letter in a language, or a refusal (EHE127) naming the missing Welsh template."""
    version = translation(letter, language)
    if version is None:
        rule = CASE_RULES["EHE127"]
        raise Refused([rule.finding(missing_welsh(letter))])
    return version


def render_letter(
    letter_id: str,
    case_file: CaseFile,
    letter_date: date,
    overrides: dict[str, str] | None = None,
    settings: Settings | None = None,
    parents: tuple[int, ...] | None = None,
    draft: bool = False,
    enforce_approval: bool = True,
    mailing: bool = False,
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

    Each letter is in the language its addressees need (Welsh, English, or both in one document,
    Welsh first: letters/language.py); `mailing` marks a batch (standard 4).  A Welsh version
    must match its own approval in the same way.
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
    chosen = [
        (n, i, j)
        for i, (n, j) in enumerate(zip(names, jobs, strict=True))
        if parents is None or set(j.parent_indexes) <= set(parents)
    ]
    languages = [_languages(letter, case_file, job, mailing) for _, _, job in chosen]
    other_jobs = {}  # the same jobs in Welsh, built only when a letter needs it
    if any("cy" in langs for langs in languages):
        welsh = _in(letter, "cy")
        if enforce_approval:  # the Welsh template answers to its own approval
            use = approval_for_use(welsh, draft, settings)
            marked = marked or use.draft
            warnings += list(use.warnings)
        other_jobs["cy"] = (welsh, build_jobs(welsh, case, authority, letter_date, "cy"))
    logo = logo_sha256(case_file)  # after build_jobs, which reads a logo not yet read
    results = []
    for (name, index, job), langs in zip(chosen, languages, strict=True):
        parts = []
        for lang in langs:
            version, version_job = (
                (letter, job) if lang == "en" else (other_jobs[lang][0], other_jobs[lang][1][index])
            )
            context = version_job.context
            if len(langs) > 1:  # the Welsh part's later pages say "Tudalen 2 o 4 · Page 2 of 4"
                context = PathDict(dict(context), "")
                context["letter"] = dict(context["letter"], bilingual=True)
            parts.append((version, context))
        template_shas = "+".join(compiled(v.template).sha256 for v, _ in parts)
        language = "+".join(langs)
        line = provenance(
            letter_id,
            case.reference,
            letter_date,
            job,
            template_shas,
            logo,
            marked,
            overrides,
            language,
        )
        rendered = []
        for version, context in parts:
            data, text = compiled(version.template).render_with_text(
                context, line, DRAFT_MARK if marked else ""
            )
            refuse_on_errors(
                check_text(version, text, nation=authority.nation, context=context), name
            )
            rendered.append(data)
        data = rendered[0] if len(rendered) == 1 else join_languages(rendered)
        results.append(RenderedLetter(name, data, job, template_shas, language))
    return LetterSet(results, warnings)
