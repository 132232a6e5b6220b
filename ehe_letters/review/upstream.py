"""A workspace's templates against the ones shipped with the toolkit: what differs, and taking them.

A council's workspace starts from copies of the shipped letters (``ehe-letters init``); a later
version of the toolkit may ship legal fixes.  :func:`compare_upstream` says, for each letter
(its ``.docx`` and ``.toml``) and for the shared ``wording-rules.toml``, whether the workspace's
file differs from the shipped one, with the wording diff (workspace first, shipped second);
:func:`take_upstream` copies the shipped files in.  A taken template then needs approval
(``ehe-letters check`` reports EHE501) unless the approval on record is of that very file.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ehe_letters import __version__
from ehe_letters.data import packaged_templates
from ehe_letters.errors import InputError
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import LETTER_IDS, get_letter, templates_dir
from ehe_letters.review.approvals import Approval, approval_status
from ehe_letters.review.diff import DiffReport, Version, diff_versions
from ehe_letters.rules.wording import SHARED
from ehe_letters.settings import Settings, settings_or_default

__all__ = ["ITEMS", "Taken", "Upstream", "compare_upstream", "take_upstream", "uses_shipped"]

SHARED_ITEM = "wording-rules"
ITEMS = (*LETTER_IDS, SHARED_ITEM)
SHIPPED = f"shipped with ehe-letters {__version__}"


@dataclass
class Upstream:
    """One letter (or the shared wording rules) compared with the shipped version."""

    name: str
    differs: list[str]  # file names whose bytes differ from the shipped ones
    lines: list[str] = field(default_factory=list)  # the diff, for people

    @property
    def same(self) -> bool:
        """Tell whether every file is the shipped one."""
        return not self.differs


@dataclass(frozen=True)
class Taken:
    """What ``take_upstream`` did: the files copied in and the letter's approval status now."""

    name: str
    copied: list[Path]
    status: str | None  # approved / changed-since-approval / never-approved; None: no template
    approval: Approval | None


def _files(name: str) -> list[str]:
    return [SHARED] if name == SHARED_ITEM else [f"{name}.docx", f"{name}.toml"]


def _check_name(name: str) -> None:
    if name not in ITEMS:
        raise InputError(f"unknown letter {name!r}; choose one of: {', '.join(ITEMS)}")


def uses_shipped(settings: Settings | None = None) -> bool:
    """Tell whether the templates in use are the shipped ones themselves (no workspace)."""
    folder = templates_dir(settings)
    return os.path.realpath(folder) == os.path.realpath(packaged_templates())


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _text_diff(name: str, ours: bytes | None, shipped: bytes) -> list[str]:
    mine = (ours or b"").decode("utf-8", "replace").splitlines()
    return list(
        difflib.unified_diff(
            mine,
            shipped.decode("utf-8", "replace").splitlines(),
            f"{name} (this workspace{'' if ours is not None else ': missing'})",
            f"{name} ({SHIPPED})",
            lineterm="",
        )
    )


def _docx_diff(name: str, ours: bytes | None, shipped: bytes, settings: Settings) -> list[str]:
    if ours is None:
        return [f"{name}: missing from this workspace"]
    letter = get_letter(name.removesuffix(".docx"), settings)
    report: DiffReport = diff_versions(
        letter, Version("this workspace", ours), Version(SHIPPED, shipped), date.today()
    )
    lines = report.lines()
    if not report.wording:
        lines[0] = f"{name}: the files differ, but not in their wording"
    return lines


def compare_upstream(settings: Settings | None = None, name: str | None = None) -> list[Upstream]:
    """Compare the workspace's templates (one letter, or all) with the shipped ones."""
    settings = settings_or_default(settings)
    if name is not None:
        _check_name(name)
    folder, shipped_folder = templates_dir(settings), packaged_templates()
    results = []
    for item in [name] if name else ITEMS:
        result = Upstream(item, [])
        for file_name in _files(item):
            ours, shipped = _read(folder / file_name), (shipped_folder / file_name).read_bytes()
            if ours == shipped:
                continue
            result.differs.append(file_name)
            if file_name.endswith(".docx"):
                result.lines += _docx_diff(file_name, ours, shipped, settings)
            else:
                result.lines += _text_diff(file_name, ours, shipped)
        results.append(result)
    return results


def take_upstream(name: str, settings: Settings | None = None) -> Taken:
    """Copy the shipped files of a letter (or the shared wording rules) into the workspace."""
    settings = settings_or_default(settings)
    _check_name(name)
    if uses_shipped(settings):
        raise InputError(
            "--take: the templates in use are the shipped ones; run it in a workspace "
            "(ehe-letters init DIR) or give --templates"
        )
    folder, shipped_folder = templates_dir(settings), packaged_templates()
    copied = []
    for file_name in _files(name):
        shipped = (shipped_folder / file_name).read_bytes()
        target = folder / file_name
        if _read(target) == shipped:
            continue
        try:
            write_atomic(target, shipped)
            target.chmod(0o644)  # a project file, not personal data (write_atomic makes 0600)
        except OSError as exc:
            raise InputError(f"{target}: cannot write: {exc.strerror}") from None
        copied.append(target)
    if name == SHARED_ITEM:
        return Taken(name, copied, None, None)
    status, record = approval_status(get_letter(name, settings))
    return Taken(name, copied, status, record)
