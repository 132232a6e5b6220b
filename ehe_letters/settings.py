"""The toolkit's settings, built once from their sources and passed down explicitly.

Each value comes from the first of: a command-line option, an environment variable, the
workspace file (``ehe-letters.toml``, found by walking up from the current folder), the
packaged default.  Relative paths in the workspace file are relative to that file; relative
paths in options and environment variables to the current folder.

Library functions take ``settings: Settings | None = None``; ``None`` means
:func:`library_settings`: the packaged defaults plus the environment variables, no workspace
lookup (what a program that imports the toolkit, with no workspace of its own, expects).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ehe_letters.data import packaged_templates
from ehe_letters.errors import InputError

__all__ = [
    "ENVIRONMENT",
    "NAMES",
    "UNAPPROVED",
    "OPTIONS",
    "WORKSPACE_FILE",
    "Origin",
    "Settings",
    "find_workspace_file",
    "library_settings",
    "load_settings",
    "settings_or_default",
]

WORKSPACE_FILE = "ehe-letters.toml"
NAMES = ("templates", "authority", "soffice", "converters", "unapproved", "register")
ENVIRONMENT = {
    "templates": "EHE_LETTERS_TEMPLATES",
    "authority": "EHE_LETTERS_AUTHORITY",
    "soffice": "EHE_LETTERS_SOFFICE",
    "converters": "EHE_LETTERS_CONVERTERS",
    "unapproved": "EHE_LETTERS_UNAPPROVED",
    "register": "EHE_LETTERS_REGISTER",
}
# What render and batch do with an informal letter whose template does not match its approval
# (a statutory notice is always refused, unless --draft marks it "DRAFT — not approved").
UNAPPROVED = ("warn", "refuse")
OPTIONS = {name: f"--{name}" for name in NAMES}

Kind = Literal["option", "environment", "workspace", "default"]


@dataclass(frozen=True)
class Origin:
    """Where a setting came from: its kind and the option, variable or file that gave it."""

    kind: Kind
    where: str = ""

    def __str__(self) -> str:
        return {
            "option": f"option {self.where}",
            "environment": f"environment variable {self.where}",
            "workspace": f"workspace file {self.where}",
            "default": "packaged default",
        }[self.kind]

    def key(self, name: str) -> str:
        """Name the setting as its source spells it, for error messages."""
        if self.kind == "workspace":
            return f"{self.where}: {name}"
        return self.where or name


_DEFAULT = Origin("default")


@dataclass(frozen=True)
class Settings:
    """The effective settings: templates folder, authority file, LibreOffice, converters, and
    the register (the letter book: a database URL, or a path made into a SQLite URL).

    ``authority`` None: case files must name their own authority; ``soffice`` None: LibreOffice
    is searched for on the PATH and in the usual places; ``converters`` None: a batch chooses
    (as many as its workers, at most 4); ``unapproved``: "warn" (the default) or "refuse" an
    informal letter whose template does not match its approval; ``register`` None: nothing is
    recorded.  ``workspace`` is the folder holding the ``ehe-letters.toml`` used, if any;
    ``origins`` says where each value came from.
    """

    templates: Path = field(default_factory=packaged_templates)
    authority: Path | None = None
    soffice: str | None = None
    converters: int | None = None
    unapproved: str = "warn"
    register: str | None = None
    workspace: Path | None = None
    origins: Mapping[str, Origin] = field(default_factory=dict, hash=False, compare=False)

    def origin(self, name: str) -> Origin:
        """Return where the setting ``name`` came from."""
        return self.origins.get(name, _DEFAULT)

    def describe(self) -> dict[str, Any]:
        """Return the settings and their origins as JSON-ready data (``ehe-letters config``)."""
        values = {
            name: {
                "value": None if (value := getattr(self, name)) is None else str(value),
                "source": self.origin(name).kind,
                "from": self.origin(name).where or None,
            }
            for name in NAMES
        }
        if values["converters"]["value"] is not None:
            values["converters"]["value"] = self.converters
        if self.register is not None:  # a server's password is never shown
            from ehe_letters.register.location import shown_url

            values["register"]["value"] = shown_url(self.register)
        workspace = str(self.workspace / WORKSPACE_FILE) if self.workspace else None
        return {"workspace": workspace, "settings": values}


def find_workspace_file(start: Path) -> Path | None:
    """Return the nearest ``ehe-letters.toml`` in ``start`` or a folder above it, or None."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        path = candidate / WORKSPACE_FILE
        if path.is_file():
            return path
    return None


def _read_workspace(path: Path) -> dict[str, Any]:
    """Read and check a workspace file: known keys only, each of the right type."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    for key, value in data.items():
        if key not in NAMES:
            raise InputError(f"{path}: unknown key {key!r} (known keys: {', '.join(NAMES)})")
        if key == "converters":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(f"{path}: converters: must be a whole number of at least 1")
        elif key == "unapproved":
            if value not in UNAPPROVED:
                raise InputError(f'{path}: unapproved: must be "warn" or "refuse"')
        elif not isinstance(value, str) or not value.strip():
            raise InputError(f"{path}: {key}: must be a non-empty string (a path)")
    return data


def _converters(value: Any, origin: Origin) -> int | None:
    text = str(value).strip()
    if not text.isdigit():
        raise InputError(f"{origin.key('converters')}: {text!r} is not a whole number")
    return int(text) or None  # 0: let the batch choose (as before)


def _unapproved(value: Any, origin: Origin) -> str:
    text = str(value).strip().lower()
    if text not in UNAPPROVED:
        raise InputError(f"{origin.key('unapproved')}: {text!r} is not 'warn' or 'refuse'")
    return text


def _path(value: str, base: Path) -> Path:
    return Path(os.path.abspath(base / os.path.expanduser(value)))


def _program(value: str, base: Path) -> str:
    """A program name is looked up on the PATH; a path is taken relative to ``base``."""
    value = os.path.expanduser(value)
    return str(_path(value, base)) if os.sep in value or "/" in value else value


def load_settings(
    *,
    templates: Path | str | None = None,
    authority: Path | str | None = None,
    soffice: str | None = None,
    converters: int | None = None,
    unapproved: str | None = None,
    register: str | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    find_workspace: bool = True,
) -> Settings:
    """Build the settings: the given options, else ``environ``, else the workspace, else defaults.

    ``environ`` defaults to ``os.environ`` and ``cwd`` to the current folder; the workspace
    file is looked for from ``cwd`` upwards unless ``find_workspace`` is False.
    """
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else Path(cwd)
    options = {"templates": templates, "authority": authority, "soffice": soffice}
    options["converters"] = converters
    options["unapproved"] = unapproved
    options["register"] = register
    workspace_file = find_workspace_file(cwd) if find_workspace else None
    workspace = _read_workspace(workspace_file) if workspace_file else {}
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for name in NAMES:
        if options[name] is not None:
            origin, raw, base = Origin("option", OPTIONS[name]), options[name], cwd
        elif environ.get(ENVIRONMENT[name], "").strip():
            origin, raw, base = (
                Origin("environment", ENVIRONMENT[name]),
                environ[ENVIRONMENT[name]],
                cwd,
            )
        elif name in workspace:
            origin, raw = Origin("workspace", str(workspace_file)), workspace[name]
            base = workspace_file.parent
        else:
            continue
        if name == "converters":
            value = _converters(raw, origin)
        elif name == "unapproved":
            value = _unapproved(raw, origin)
        elif name == "soffice":
            value = _program(str(raw).strip(), base)
        elif name == "register":
            from ehe_letters.register.location import register_url

            value = register_url(str(raw).strip(), base)
        else:
            value = _path(str(raw).strip(), base)
        if value is not None:
            values[name], origins[name] = value, origin
    root = workspace_file.parent if workspace_file else None
    return Settings(**values, workspace=root, origins=origins)


def library_settings() -> Settings:
    """Return the packaged defaults plus the environment variables (no workspace lookup)."""
    return load_settings(find_workspace=False)


def settings_or_default(settings: Settings | None) -> Settings:
    """Return ``settings``, or :func:`library_settings` when None."""
    return settings if settings is not None else library_settings()
