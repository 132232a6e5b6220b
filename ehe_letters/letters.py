"""Produce finished letters for a case: choose addressees, build contexts, render, verify."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .catalogue import get_letter
from .context import LetterJob, build_jobs
from .models import CaseFile
from .render import CompiledTemplate

__all__ = ["RenderedLetter", "compiled", "output_names", "render_letter"]


@dataclass(frozen=True)
class RenderedLetter:
    """One produced letter: its file name, its bytes and what it was produced from."""

    name: str
    data: bytes
    job: LetterJob
    template_sha256: str


@cache
def compiled(template: Path) -> CompiledTemplate:
    """Return the compiled template for a path, compiling it once per process."""
    return CompiledTemplate(template)


def output_names(reference: str, letter_id: str, jobs: list[LetterJob]) -> list[str]:
    """Return the file names of a case's letters: REF_letter.docx, REF_letter_p2.docx ..."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "-", reference) + "_" + letter_id
    by_parent = len({job.parent_indexes for job in jobs}) > 1
    by_child = len({job.child_index for job in jobs}) > 1
    names = []
    for job in jobs:
        suffix = job.suffix(by_parent, by_child)
        names.append(f"{stem}_{suffix}.docx" if suffix else f"{stem}.docx")
    return names


def render_letter(letter_id: str, case_file: CaseFile, letter_date: date) -> list[RenderedLetter]:
    """Render one letter for a case: one file per addressee (and per child for notices)."""
    letter = get_letter(letter_id)
    case = case_file.case
    jobs = build_jobs(letter, case, case_file.authority, letter_date)
    template = compiled(letter.template)
    names = output_names(case.reference, letter_id, jobs)
    return [
        RenderedLetter(name, template.render(job.context), job, template.sha256)
        for name, job in zip(names, jobs, strict=True)
    ]
