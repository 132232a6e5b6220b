"""The Jinja environment every letter is rendered with: autoescape on, and a missing value is
an error naming its case-file path, never a blank."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined, UndefinedError

__all__ = ["PathUndefined", "make_environment"]


class PathUndefined(StrictUndefined):
    """StrictUndefined whose message names the case-file path of the missing value."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        owner = getattr(self._undefined_obj, "path", None)
        name = self._undefined_name
        field = f"{owner}.{name}" if owner else (name or "a value")
        return (
            f"{field.lstrip('.')}: the letter needs this field but the case file does not give it"
        )


def _no_none(value: Any) -> Any:
    if value is None:
        raise UndefinedError("a value the letter prints is empty (None)")
    return value


def make_environment() -> Environment:
    """Return the Jinja environment every letter is rendered with."""
    return Environment(autoescape=True, undefined=PathUndefined, finalize=_no_none)
