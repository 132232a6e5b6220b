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

__all__ = ["RenderedLetter", "compiled", "output_name", "render_letter"]


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


def output_name(reference: str, letter_id: str, job: LetterJob, several: bool) -> str:
    """Return the file name of one letter: REF_letter[_p1_c1].docx."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "-", reference) + "_" + letter_id
    return f"{stem}_{job.suffix}.docx" if several else f"{stem}.docx"


def render_letter(letter_id: str, case_file: CaseFile, letter_date: date) -> list[RenderedLetter]:
    """Render one letter for a case: one file per addressee (and per child for notices)."""
    letter = get_letter(letter_id)
    case = case_file.case
    jobs = build_jobs(letter, case, case_file.authority, letter_date)
    template = compiled(letter.template)
    results = []
    for job in jobs:
        data = template.render(job.context)
        results.append(
            RenderedLetter(
                output_name(case.reference, letter_id, job, len(jobs) > 1),
                data,
                job,
                template.sha256,
            )
        )
    return results
