"""What a batch is started with and what it gives back: options, row results, outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ehe_letters.batch.limits import InputLimits
from ehe_letters.errors import EheLettersError
from ehe_letters.models.fields import REFERENCE

INVALID_REFERENCE = "(invalid reference)"


def shown_reference(reference: str | None) -> str:
    """A case reference as errors.csv may show it: only one that passes validation (so never
    a formula, nor personal data typed in the reference column)."""
    return reference if reference and REFERENCE.match(reference) else INVALID_REFERENCE


__all__ = [
    "INVALID_REFERENCE",
    "shown_reference",
    "BatchOptions",
    "BatchResult",
    "Interrupted",
    "NoProgress",
    "Output",
    "RowResult",
]


class Interrupted(EheLettersError):
    """The batch was stopped (Ctrl-C); finished letters are kept."""

    exit_code = 130


@dataclass(frozen=True)
class BatchOptions:
    letter_id: str
    input_path: Path
    out_dir: Path
    letter_date: date
    authority_path: Path | None = None
    mapping_path: Path | None = None
    pdf: bool = False
    merge: bool = False
    workers: int = 1
    resume: bool = False
    encoding: str | None = None
    draft: bool = False  # letters from an unapproved template, marked "DRAFT — not approved"
    limits: InputLimits = field(default_factory=InputLimits)
    mark: bool = False  # inserter marks in print.pdf (--mark, with --merge)


@dataclass
class Output:
    name: str
    sha256: str
    parents: list[int]
    child: int | None
    postcode: str
    pdf: list[dict] = field(default_factory=list)  # [{"path", "sha256", "pages"}] with --pdf
    print_pages: list[int] | None = None  # [first, last] in print.pdf with --merge
    fresh: bool = False  # written by this run (so its PDF must be made again)
    register: dict | None = None  # what the register records of it (with a register)
    language: str = "en"  # "en", "cy" or "cy+en" (both in one document, Welsh first)


@dataclass
class RowResult:
    row: int
    reference: str
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    written: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (field, message): warnings


@dataclass
class BatchResult:
    manifest: dict
    errors: list[tuple[int, str, str, str]]
    written: int
    skipped: int
    warnings: list = field(default_factory=list)  # findings for the whole batch (approval)
    notes: list[tuple[int, str, str, str]] = field(default_factory=list)
    recorded: list[int] | None = None  # the register entries added (None: no register)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


class NoProgress:
    """The progress interface run_batch calls; does nothing (the CLI's progress bar fills it)."""

    def total(self, rows: int) -> None: ...

    def row(self, result) -> None: ...

    def pdf_total(self, count: int) -> None: ...

    def pdf_done(self, ok: bool) -> None: ...
