"""A council's workspace: ``ehe-letters init DIR`` and the files it starts with.

The workspace holds ``ehe-letters.toml`` (its settings, read by every command run in it or in
a folder below: see :mod:`ehe_letters.settings`), ``authority.yaml`` (a copy of the fictional
example authority, to edit), ``templates/`` (copies of every shipped letter, with the wording
rules, approvals and changelog), ``cases/`` (one fictional example case per letter, without an
``authority:`` so that the workspace's is used; readable by the owner only), ``.gitattributes``,
``.gitignore`` and a README for the team.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from ehe_letters import __version__
from ehe_letters.data import packaged_examples, packaged_templates
from ehe_letters.errors import InputError
from ehe_letters.files import write_atomic
from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.settings import WORKSPACE_FILE
from ehe_letters.workspace_text import GITATTRIBUTES, README, SETTINGS, gitignore

__all__ = ["init_workspace"]

MAILING = ("mailing.csv", "mailing-mapping.toml")
_AUTHORITY_KEY = re.compile(r"^authority:.*\n", re.MULTILINE)
_MODELINE = re.compile(r"^# yaml-language-server:.*\n", re.MULTILINE)
_AUTHORITY_NOTE = (
    "# No 'authority:' here: the workspace's authority.yaml is used (see ehe-letters.toml).\n"
)
_AUTHORITY_HEAD = (
    "# Your authority's details, used for every case file that names no authority of its own.\n"
    "# Replace these fictional details with your council's before sending any letter.\n"
)


def _case_text(text: str) -> str:
    """An example case without its modeline and its own ``authority:`` line."""
    text = _MODELINE.sub("", text)
    return _AUTHORITY_KEY.sub(_AUTHORITY_NOTE, text, count=1)


def _versioned(text: str) -> bytes:
    return text.replace("{version}", __version__).encode("utf-8")


def _files() -> list[tuple[str, bytes, int]]:
    """Every file of a new workspace: (path relative to it, content, mode)."""
    examples, templates = packaged_examples(), packaged_templates()
    files = [
        (WORKSPACE_FILE, _versioned(SETTINGS), 0o644),
        (
            "authority.yaml",
            _AUTHORITY_HEAD.encode() + (examples / "authority.yaml").read_bytes(),
            0o644,
        ),
        (".gitattributes", GITATTRIBUTES.encode(), 0o644),
        (".gitignore", gitignore([*(f"{i}.yaml" for i in LETTER_IDS), *MAILING]).encode(), 0o644),
        ("README.md", _versioned(README), 0o644),
    ]
    logo = yaml.safe_load((examples / "authority.yaml").read_text(encoding="utf-8")).get("logo")
    if logo:  # the example authority's letterhead logo, beside it (to replace with the council's)
        files.append((Path(logo).name, (examples / logo).read_bytes(), 0o644))
    for folder, prefix in ((templates, "templates"), (templates / "cy", "templates/cy")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):  # the letters, and their Welsh versions in cy/
            if path.is_file() and not path.name.startswith((".", "__")):
                files.append((f"{prefix}/{path.name}", path.read_bytes(), 0o644))
    for letter_id in LETTER_IDS:
        text = (examples / f"{letter_id}.yaml").read_text(encoding="utf-8")
        files.append((f"cases/{letter_id}.yaml", _case_text(text).encode("utf-8"), 0o600))
    for name in MAILING:
        files.append((f"cases/{name}", (examples / name).read_bytes(), 0o600))
    return files


def _check_target(folder: Path) -> bool:
    """Refuse a file or a non-empty folder; return whether the folder exists already."""
    if folder.is_dir():
        if any(folder.iterdir()):
            raise InputError(f"{folder}: not empty; give a new or empty folder for the workspace")
        return True
    if folder.exists():
        raise InputError(f"{folder}: is a file; give a new or empty folder for the workspace")
    return False


def init_workspace(folder: Path) -> list[Path]:
    """Create a council workspace in ``folder`` (new or empty); return the files written.

    All or nothing: on a failure, whatever this call created is removed again.
    """
    folder = Path(folder)
    existed = _check_target(folder)
    files = _files()
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "templates").mkdir(mode=0o755)
        (folder / "templates" / "cy").mkdir(mode=0o755)
        (folder / "cases").mkdir(mode=0o700)
        (folder / "cases").chmod(0o700)  # case files hold personal data
        for relative, data, mode in files:
            target = folder / relative
            write_atomic(target, data, durable=False)
            target.chmod(mode)
            written.append(target)
    except OSError as exc:
        _undo(folder, existed)
        raise InputError(f"{exc.filename or folder}: cannot write: {exc.strerror}") from None
    except BaseException:
        _undo(folder, existed)
        raise
    return written


def _undo(folder: Path, existed: bool) -> None:
    """Remove what init created: the folder's contents (it was empty), or the folder."""
    if not existed:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
