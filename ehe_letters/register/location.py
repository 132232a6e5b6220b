"""Where the register is: a SQLAlchemy URL, or a file path made into a SQLite URL.

A path (``register.sqlite``, relative to the workspace file or the current folder) becomes
``sqlite:///ABSOLUTE/PATH``; anything with ``://`` is taken as a database URL as it is
(``postgresql+psycopg://user@host/ehe``).  A password in a URL is never shown or logged.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ehe_letters.errors import InputError

__all__ = ["create_private", "register_url", "shown_url", "sqlite_path"]


def register_url(value: str, base: Path) -> str:
    """The database URL of a ``--register`` value: a URL as given, a path as a SQLite URL."""
    if not value:
        raise InputError("register: give a file path or a database URL")
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError:
            raise InputError(f"register: {shown_url(value)} is not a database URL") from None
        return value
    path = Path(os.path.abspath(base / os.path.expanduser(value)))
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def shown_url(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("://", 1)[0] + "://***"


def create_private(path: Path) -> None:
    """Create an empty register file readable by its owner only (0600), if it is not there."""
    if path.exists():
        return
    if not path.parent.is_dir():
        raise InputError(f"register: {path.parent}: no such folder")
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise InputError(f"register: {path}: cannot create: {exc.strerror}") from None
