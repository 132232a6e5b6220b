"""Case-file paths (``case.parents[0].address.lines``) looked up in the models: what a path
names, and the fields known at a place, for mappings and for "did you mean" in errors."""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = ["FIELD_NAME", "closest_field", "field_kind", "fields_at", "shown_key"]

# What an unknown key must look like to be shown in a message (else it is not echoed).
FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, without Annotated, Optional and None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [alt for arg in get_args(annotation) for alt in _unwrap(arg)]
    if annotation is type(None):
        return []
    return [annotation]


def _step(annotation: Any, step: str | int) -> list[Any]:
    """The annotations found one step (a field name, or an index) below `annotation`."""
    found = []
    for alt in _unwrap(annotation):
        origin = get_origin(alt)
        if isinstance(step, int):
            if origin in (list, tuple):
                found += [get_args(alt)[0]] if get_args(alt) else []
        elif isinstance(alt, type) and issubclass(alt, BaseModel):
            field = alt.model_fields.get(step)
            if field is None:
                field = next((f for f in alt.model_fields.values() if f.alias == step), None)
            if field is not None:
                found.append(field.annotation)
        elif origin is dict:
            found.append(get_args(alt)[1])
    return found


def _root():
    from ehe_letters.models import Case, CaseFile

    return CaseFile, Case


def _walk(steps: tuple[str | int, ...]) -> list[Any]:
    case_file, case = _root()
    if steps and isinstance(steps[0], str) and steps[0] not in case_file.model_fields:
        current: list[Any] = [case]  # a path relative to the case (a row without 'case.')
    else:
        current = [case_file]
    for step in steps:
        current = [found for annotation in current for found in _step(annotation, step)]
        if not current:
            return []
    return current


def field_kind(steps: tuple[str | int, ...]) -> str | None:
    """What a path names: "model" (e.g. a parent), "list" (of values), "value", or None when
    the models have no such field."""
    kinds = set()
    for annotation in _walk(steps):
        for alt in _unwrap(annotation):
            if isinstance(alt, type) and issubclass(alt, BaseModel):
                kinds.add("model")
            elif get_origin(alt) in (list, tuple):
                kinds.add("list")
            elif get_origin(alt) is dict:
                kinds.add("model")
            elif get_origin(alt) is Literal or isinstance(alt, type):
                kinds.add("value")
    if not kinds:
        return None
    for kind in ("value", "list", "model"):
        if kind in kinds:
            return kind
    return None


def fields_at(steps: tuple[str | int, ...]) -> list[str]:
    """The field names known at a place (empty when the place is not a model)."""
    names: list[str] = []
    for annotation in _walk(steps):
        for alt in _unwrap(annotation):
            if isinstance(alt, type) and issubclass(alt, BaseModel):
                names += [f.alias or n for n, f in alt.model_fields.items()]
    return names


def closest_field(key: str, steps: tuple[str | int, ...]) -> str | None:
    """The known field closest to an unknown key (None when none is close)."""
    found = difflib.get_close_matches(key, fields_at(steps), n=1, cutoff=0.6)
    return found[0] if found else None


def shown_key(key: Any) -> str | None:
    """The key as it may be shown in a message, or None when it must not be echoed."""
    return key if isinstance(key, str) and FIELD_NAME.match(key) else None
