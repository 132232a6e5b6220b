"""The one way the toolkit writes a file: under a temporary name, then renamed into place.

A crash never leaves a half-written file under its final name, and every file is created
readable by its owner only (letters hold personal data).  Temporary files are named
``.NAME.PID.N.part`` in the target's folder; a batch clears stale ones on start.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["move_atomic", "temporary_name", "write_atomic", "write_atomic_with"]

_SEQUENCE = itertools.count()


def temporary_name(path: Path) -> str:
    """The temporary name a file is written under before it is renamed to `path`."""
    return os.path.join(path.parent, f".{path.name}.{os.getpid()}.{next(_SEQUENCE)}.part")


def _open_private(tmp: str, folder: Path) -> int:
    try:
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` atomically; the folder is created (owner only) when missing.

    `durable` also flushes the file to disk before the rename (slow: a batch passes False for
    each letter and syncs once before writing its manifest; --resume re-checks every letter's
    checksum, so a letter damaged by a power cut is produced again).  Plain os-level calls: a
    letter costs four system calls, not fourteen.
    """
    path = Path(path)
    tmp = temporary_name(path)
    fd = _open_private(tmp, path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic_with(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path` atomically through `write(stream)` (e.g. a PDF writer's ``write``)."""
    path = Path(path)
    tmp = temporary_name(path)
    fd = _open_private(tmp, path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def move_atomic(src: Path, target: Path) -> None:
    """Move a finished file to `target` atomically, across file systems too (owner only)."""
    os.chmod(src, 0o600)
    try:
        os.replace(src, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = temporary_name(Path(target))
        try:
            shutil.copyfile(src, tmp)
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        Path(src).unlink(missing_ok=True)
