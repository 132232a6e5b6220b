"""Template values: dicts that know their case-file path, dates in UK long form, no None.

Pure code shared by the letter context (context.py) and the recitals of the history
(recitals.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_time

__all__ = ["PathDict", "dump", "join_names", "long_date", "plain"]


class PathDict(dict):
    """A dict that knows the case-file path it stands for (for 'missing field' messages)."""

    __slots__ = ("path",)

    def __init__(self, data: dict, path: str) -> None:
        super().__init__(data)
        self.path = path

    def __getattr__(self, name: str):
        """Let templates read `child.given_names` without Jinja's failed-attribute detour."""
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=4096)
def long_date(value: date) -> str:
    """Format a date the UK way in full: 18 December 2026."""
    return format_date(value, format="d MMMM y", locale="en_GB")


def plain(value: Any, path: str) -> Any:
    """Convert dumped model data to template values: long dates, PathDicts, no None."""
    if isinstance(value, dict):
        return PathDict(
            {k: plain(v, f"{path}.{k}") for k, v in value.items() if v is not None}, path
        )
    if isinstance(value, list):
        return [plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, datetime):
        return f"{format_time(value, 'h:mm a', locale='en_GB')} on {long_date(value)}"
    if isinstance(value, date):
        return long_date(value)
    return value


def dump(model: Any, path: str) -> PathDict:
    return plain(model.model_dump(mode="python", exclude_none=True), path)


def join_names(names: Iterable[str]) -> str:
    """Join names as people write them: 'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
