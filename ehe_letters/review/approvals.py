"""Legal approval of templates: ``approvals.toml`` and ``CHANGELOG.md`` in the templates folder.

``approvals.toml`` holds one table per letter: the sha256 of the approved ``.docx`` and of
the letter's metadata ``.toml`` (its wording rules, period and facts), the approver's role (not
a person's name), the ISO date and a short note::

    [s437-notice]
    sha256 = "9f2c..."
    toml_sha256 = "51ab..."
    approved_by = "Solicitor, Legal Services"
    date = 2026-11-26
    note = "Initial review"

A record without ``toml_sha256`` (written before the metadata was approved too) approves the
``.docx`` alone.  A template whose files no longer have the approved sha256 is
"changed-since-approval" and
``ehe-letters check`` reports it (EHE501); a template with no record is "never-approved"
(EHE502).  Each approval is also appended to ``CHANGELOG.md`` for people to read.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from ehe_letters.errors import InputError, TemplateProblem
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import LETTER_IDS, Letter, get_letter
from ehe_letters.settings import Settings

__all__ = [
    "Approval",
    "append_changelog",
    "approval_status",
    "approvals_path",
    "approve",
    "changed_files",
    "file_sha256",
    "load_approvals",
    "metadata_path",
    "save_approvals",
]

Status = Literal["approved", "changed-since-approval", "never-approved"]

_HEADER = (
    "# Legal approvals of the letter templates: one table per letter, written by\n"
    "# 'ehe-letters template approve'. sha256 is the approved .docx file, toml_sha256 the\n"
    "# letter's approved metadata (.toml); any later edit to either makes 'ehe-letters check'\n"
    "# fail (EHE501), and render and batch refuse a notice from it, until it is approved again.\n"
)
_CHANGELOG_HEADER = """# Template changelog

Every change to a letter template (`templates/<id>.docx`) and its legal approval, newest last.
`ehe-letters template approve` appends an entry; add the reason for the change by hand when the
note does not say it. The approved file's hash is in `approvals.toml`; the wording difference
is shown by `ehe-letters template diff LETTER` (or `git log -p templates/LETTER.docx` once
`ehe-letters template setup-git` has been run).
"""


@dataclass(frozen=True)
class Approval:
    """One template's approval: the approved files' sha256, who (a role), when, and why."""

    sha256: str
    approved_by: str
    date: date
    note: str = ""
    toml_sha256: str = ""  # the letter's metadata .toml ("": not covered by this approval)


def metadata_path(letter: Letter) -> Path:
    """Return the metadata file (``<id>.toml``) beside a letter's template."""
    return letter.template.with_suffix(".toml")


def approvals_path(folder: Path) -> Path:
    """Return the approvals file of a templates folder."""
    return folder / "approvals.toml"


def file_sha256(path: Path) -> str:
    """Return the sha256 (hex) of a file's bytes."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def load_approvals(folder: Path) -> dict[str, Approval]:
    """Read the approvals of a templates folder (none yet: an empty dict)."""
    path = approvals_path(folder)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateProblem(f"{path}: cannot read approvals: {exc}") from None
    approvals = {}
    for letter_id, record in data.items():
        try:
            when = record["date"]
            when = when if isinstance(when, date) else date.fromisoformat(str(when))
            approvals[letter_id] = Approval(
                str(record["sha256"]),
                str(record["approved_by"]),
                when,
                str(record.get("note", "")),
                str(record.get("toml_sha256", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise TemplateProblem(f"{path}: [{letter_id}]: bad or missing key {exc}") from None
    return approvals


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string, except that TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def save_approvals(folder: Path, approvals: dict[str, Approval]) -> Path:
    """Write the approvals file: letters in catalogue order, keys in a fixed order."""
    order = [i for i in LETTER_IDS if i in approvals] + sorted(set(approvals) - set(LETTER_IDS))
    chunks = [_HEADER]
    for letter_id in order:
        a = approvals[letter_id]
        metadata = f"toml_sha256 = {_toml_string(a.toml_sha256)}\n" if a.toml_sha256 else ""
        chunks.append(
            f"\n[{_toml_key(letter_id)}]\n"
            f"sha256 = {_toml_string(a.sha256)}\n"
            f"{metadata}"
            f"approved_by = {_toml_string(a.approved_by)}\n"
            f"date = {a.date.isoformat()}\n"
            f"note = {_toml_string(a.note)}\n"
        )
    path = approvals_path(folder)
    write_atomic(path, "".join(chunks).encode("utf-8"))
    path.chmod(0o644)  # a project file, not personal data (write_atomic makes 0600)
    return path


def append_changelog(folder: Path, letter_id: str, approval: Approval) -> Path:
    """Append one approval to the folder's CHANGELOG.md, creating it with its header."""
    path = folder / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8") if path.exists() else _CHANGELOG_HEADER
    note = " ".join(approval.note.split()) or "(no note)"
    entry = (
        f"\n## {approval.date.isoformat()} · {letter_id}\n\n"
        f"- Approved by: {approval.approved_by}\n"
        f"- Note: {note}\n"
        f"- File: `{letter_id}.docx`, sha256 `{approval.sha256[:12]}`\n"
    )
    if approval.toml_sha256:
        entry += f"- Metadata: `{letter_id}.toml`, sha256 `{approval.toml_sha256[:12]}`\n"
    write_atomic(path, (text.rstrip("\n") + "\n" + entry).encode("utf-8"))
    path.chmod(0o644)
    return path


def approve(
    letter_id: str, by: str, note: str, today: date, settings: Settings | None = None
) -> Approval:
    """Record the current template file of a letter as approved; return the record."""
    letter = get_letter(letter_id, settings)
    by = " ".join(by.split())
    if not by:
        raise InputError("--by: give the approver's role, e.g. 'Solicitor, Legal Services'")
    folder = letter.template.parent
    approval = Approval(
        file_sha256(letter.template),
        by,
        today,
        " ".join(note.split()),
        file_sha256(metadata_path(letter)),
    )
    approvals = load_approvals(folder)  # a Welsh version's folder is templates/cy/: its own
    approvals[letter.id] = approval
    save_approvals(folder, approvals)
    append_changelog(folder, letter.id, approval)
    return approval


def changed_files(letter: Letter, record: Approval, path: Path | None = None) -> list[Path]:
    """The letter's files that differ from their approval: the template (or ``path``) and, when
    the approval covers it, the metadata ``.toml``."""
    template = path or letter.template
    changed = [template] if file_sha256(template) != record.sha256 else []
    if record.toml_sha256 and file_sha256(metadata_path(letter)) != record.toml_sha256:
        changed.append(metadata_path(letter))
    return changed


def approval_status(letter: Letter, path: Path | None = None) -> tuple[Status, Approval | None]:
    """Compare a letter's template file (or ``path``), and its metadata, with its approval."""
    record = load_approvals(letter.template.parent).get(letter.id)
    if record is None:
        return "never-approved", None
    changed = changed_files(letter, record, path)
    return ("changed-since-approval" if changed else "approved"), record
