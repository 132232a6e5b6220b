"""LibreOffice user profiles kept between runs, so that a run starts LibreOffice, not a profile.

Creating a LibreOffice profile costs several seconds; a converter on a kept one starts in about
one.  The profiles live in a private cache folder of the machine user,
``$XDG_CACHE_HOME/ehe-letters/libreoffice`` (default ``~/.cache/...``; mode 0700, refused and
replaced by a temporary profile when another user owns it or others can read it), one folder a
slot: ``profile-0``, ``profile-1``, ...  A converter holds its slot's lock (``flock``) for its
whole life, so two runs at once never share a profile (LibreOffice would hand one run's files
to the other's process); a run that finds every slot taken uses a temporary profile.

A profile counts as good once a converter has converted a document on it (the file ``ok`` in
the slot); a slot without it (its creation was interrupted) is deleted and made again, and so
is one on which LibreOffice would not start or convert (corrupt): see ``Converter.start``.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

__all__ = ["KeptProfile", "cache_folder", "take_profile"]

SLOTS = 16
_MARK = "ok"


def cache_folder(environ: dict[str, str] | None = None) -> Path:
    """The private folder of kept profiles (not created here)."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ehe-letters" / "libreoffice"


def _private_folder(folder: Path) -> bool:
    """Create the folder owner-only, or tell whether an existing one is ours and private."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return False
    if info.st_mode & 0o077:
        try:
            folder.chmod(0o700)
        except OSError:
            return False
    return True


class KeptProfile:
    """One slot's profile, locked for this converter until ``release``."""

    def __init__(self, folder: Path, lock_fd: int) -> None:
        self.path, self._lock_fd = folder, lock_fd

    @property
    def good(self) -> bool:
        """Tell whether LibreOffice has converted a document on this profile before."""
        return (self.path / _MARK).is_file()

    def mark_good(self) -> None:
        self.path.mkdir(mode=0o700, exist_ok=True)
        (self.path / _MARK).write_text("converted a document on this profile\n", encoding="utf-8")

    def wipe(self) -> None:
        """Delete the profile, so that LibreOffice makes a fresh one."""
        shutil.rmtree(self.path, ignore_errors=True)

    def release(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing the file releases the flock
            self._lock_fd = -1


def take_profile(folder: Path | None = None) -> KeptProfile | None:
    """Lock a free slot's profile (made fresh if it never converted), or None if there is none."""
    try:
        import fcntl
    except ImportError:  # Windows: temporary profiles, as before
        return None
    folder = folder or cache_folder()
    if not _private_folder(folder):
        return None
    for slot in range(SLOTS):
        try:
            fd = os.open(folder / f"profile-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        profile = KeptProfile(folder / f"profile-{slot}", fd)
        if not profile.good:
            profile.wipe()  # interrupted while it was being made: start it again
        return profile
    return None
