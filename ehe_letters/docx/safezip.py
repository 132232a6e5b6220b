"""Bounds on a .docx before it is read: a zip bomb (a few MB that unpack to gigabytes) is
refused with one line, never unpacked.

Python's zipfile never gives more bytes for a member than the size its header declares, so
checking the declared sizes bounds what reading can unpack.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from ehe_letters.errors import InputError

__all__ = ["MAX_DOCX_BYTES", "MAX_MEMBER_BYTES", "MAX_MEMBERS", "MAX_TOTAL_BYTES", "check_docx"]

MAX_DOCX_BYTES = 50 * 1024 * 1024  # the file itself
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # one member, unpacked
MAX_TOTAL_BYTES = 250 * 1024 * 1024  # all members, unpacked


def check_docx(source: Path | bytes, name: str | None = None) -> None:
    """Refuse a .docx too large to read safely (an InputError naming the file)."""
    where = name or ("<bytes>" if isinstance(source, bytes) else os.fspath(source))
    try:
        size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
        if size > MAX_DOCX_BYTES:
            raise InputError(f"{where}: larger than {MAX_DOCX_BYTES // (1024 * 1024)} MB")
        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except FileNotFoundError:
        raise InputError(f"{where}: no such file") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{where}: not a Word .docx file") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{where}: more than {MAX_MEMBERS} parts: not a letter")
    total = 0
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise InputError(f"{where}: a part unpacks to more than 100 MB (a zip bomb?)")
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{where}: unpacks to more than 250 MB (a zip bomb?)")
