"""The register's hooks into the letter pipeline and batch, importing SQLAlchemy only when a
register is configured (so every other command starts as fast as before)."""

from __future__ import annotations

from typing import Any

from ehe_letters.settings import Settings

__all__ = ["open_register", "record_batch", "record_letters"]


def open_register(settings: Settings | None) -> Any:
    """The settings' register (a store.Register), or None when none is configured."""
    if settings is None or settings.register is None:
        return None
    from ehe_letters.register.store import open_register as open_

    return open_(settings)


def record_batch(*args: Any) -> list[int]:
    """Record a batch's letters: see ``produced.record_batch``."""
    from ehe_letters.register.produced import record_batch as record

    return record(*args)


def record_letters(*args: Any) -> list[int]:
    """Record one render's letters: see ``produced.record_letters``."""
    from ehe_letters.register.produced import record_letters as record

    return record(*args)
