"""Legal parameters as dated data: one YAML file per parameter in `parameters/`, openfisca style."""

from __future__ import annotations

import copy
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ehe_letters.errors import InputError, LawError

VERIFIED_MARKERS = frozenset({"[P]", "[S]", "[NV]"})
KINDS = frozenset({"law", "policy", "toolkit"})
_REQUIRED = ("description", "kind", "reference", "verified", "last_value_still_valid_on", "values")


def _check_spec(name: str, spec: Any) -> dict[str, Any]:
    """Validate one parameter file's structure and return it."""
    if not isinstance(spec, dict):
        raise LawError(f"parameter file {name}.yaml is not a mapping")
    missing = [key for key in _REQUIRED if key not in spec]
    if missing:
        raise LawError(f"parameter file {name}.yaml lacks {', '.join(missing)}")
    if spec["verified"] not in VERIFIED_MARKERS:
        raise LawError(f"parameter {name}: verified must be one of {sorted(VERIFIED_MARKERS)}")
    if spec["kind"] not in KINDS:
        raise LawError(f"parameter {name}: kind must be one of {sorted(KINDS)}")
    if spec["verified"] != "[P]" and not spec.get("conservative_reading"):
        raise LawError(f"parameter {name} is {spec['verified']} but states no conservative_reading")
    values = spec["values"]
    if not isinstance(values, dict) or not values:
        raise LawError(f"parameter {name}: values must be a non-empty mapping")
    if not all(type(key) is date for key in values):
        raise LawError(f"parameter {name}: every values key must be a YYYY-MM-DD date")
    refs = spec["reference"]
    if not isinstance(refs, list) or not all(
        isinstance(ref, dict) and ref.get("title") and ref.get("href") for ref in refs
    ):
        raise LawError(f"parameter {name}: reference must be a list of {{title, href}}")
    spec["values"] = dict(sorted(values.items()))
    return spec


@cache
def _load(name: str) -> dict[str, Any]:
    """Load and validate one parameter file from the package data."""
    if not name or not name.replace("_", "").isalnum():
        raise InputError(f"not a parameter name: {name!r}")
    path = resources.files("ehe_letters.law").joinpath("parameters", f"{name}.yaml")
    if not path.is_file():
        raise InputError(f"unknown legal parameter {name!r}; known: {', '.join(parameter_names())}")
    with path.open(encoding="utf-8") as handle:
        return _check_spec(name, yaml.safe_load(handle))


def parameter_names() -> list[str]:
    """List the names of all legal parameters shipped with the package."""
    folder = resources.files("ehe_letters.law").joinpath("parameters")
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def parameter_spec(name: str) -> dict[str, Any]:
    """Return a copy of a parameter's full record (description, references, marker, values)."""
    return copy.deepcopy(_load(name))


def parameter(name: str, on: date) -> Any:
    """Return the value of a parameter in force on a date (latest entry dated on or before it)."""
    if not isinstance(on, date):
        raise InputError(f"parameter {name}: date expected, got {on!r}")
    on_day = on.date() if isinstance(on, datetime) else on
    values = _load(name)["values"]
    in_force = [key for key in values if key <= on_day]
    if not in_force:
        first = next(iter(values))
        raise LawError(
            f"no value of {name} for {on_day.isoformat()}: the data starts on {first.isoformat()}"
        )
    return copy.deepcopy(values[in_force[-1]])


def parameter_reference(name: str) -> str:
    """Return a one-line citation of a parameter for messages: titles, URLs and verified marker."""
    spec = _load(name)
    cites = "; ".join(f"{ref['title']} <{ref['href']}>" for ref in spec["reference"])
    return f"{cites} {spec['verified']}"
