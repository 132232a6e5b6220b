"""Caches of what is read from a file, keyed by its path *and* its stamp (mtime, size).

A long-lived process (a library user, a batch) that reads a template again after it was
edited gets the edited one: the stamp changes, so the cached value is not used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

__all__ = ["cached_by_file", "file_stamp"]

T = TypeVar("T")


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Return a file's (mtime_ns, size), or None when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def cached_by_file(maxsize: int = 32) -> Callable[[Callable[[Path], T]], Callable[[Path], T]]:
    """Cache ``load(path)`` per path and stamp; at most ``maxsize`` values are kept."""

    def decorate(load: Callable[[Path], T]) -> Callable[[Path], T]:
        @lru_cache(maxsize=maxsize)
        def cached(path: Path, stamp: tuple[int, int] | None) -> T:
            return load(path)

        @wraps(load)
        def get(path: Path) -> T:
            return cached(path, file_stamp(path))

        get.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return get

    return decorate
