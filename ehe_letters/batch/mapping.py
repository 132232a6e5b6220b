"""A mapping file (TOML): an export's column names onto case-file paths, checked when loaded.

    date_format = "%d/%m/%Y"            # how the export writes dates (a time after it is ignored)

    [columns]
    "Case Ref" = "case.reference"
    "Parent/Carer Name" = { path = "case.parents[0]", parse = "person-name" }
    "Address Line 1" = "case.parents[0].address.lines[+]"   # [+]: appended, blanks skipped
    "Address Line 2" = "case.parents[0].address.lines[+]"

    [values]                             # fixed values for every row (optional)
    "case.parents[0].relationship" = "parent"

Every path must be a field of the case model; two columns (or a column and a value) onto one
single-valued field is an error, naming both, when the mapping is loaded.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ehe_letters.errors import InputError
from ehe_letters.models.paths import field_kind, fields_at

__all__ = ["Mapping", "Target", "check_paths", "load_mapping", "path_steps", "set_path"]

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\+)\]")
PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*(\[\+\])?$")
PARSERS = ("person-name",)
APPEND = "+"
_PERSON_FIELDS = ("title", "given_names", "family_name")


@dataclass(frozen=True)
class Target:
    """Where a column goes: a case-file path, and how its cells are read."""

    path: str
    parse: str | None = None

    @property
    def append(self) -> bool:
        return self.path.endswith("[+]")

    @property
    def base(self) -> str:
        """The path without a final [+]."""
        return self.path.removesuffix("[+]")


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, Target]
    values: dict[str, Any]
    date_format: str | None = None
    source: str = ""

    def column_of(self, path: str) -> str | None:
        """The column that fills a path (for messages), if one does."""
        for column, target in self.columns.items():
            if (
                path == target.path
                or path.startswith(target.base + ".")
                or (target.append and path.startswith(target.base + "["))
            ):
                return column
        return None


@lru_cache(maxsize=1024)
def path_steps(path: str) -> tuple[str | int, ...]:
    return tuple(
        name if name else (APPEND if index == APPEND else int(index))
        for name, index in _STEP.findall(path)
    )


def set_path(target: dict, path: str, value: Any) -> None:
    """Set a value at a path like case.children[0].given_names, creating dicts and lists; a
    final [+] appends to the list."""
    steps = path_steps(path)
    node: Any = target
    for step, following in zip(steps, steps[1:], strict=False):
        empty: Any = [] if not isinstance(following, str) or following == APPEND else {}
        if isinstance(step, int):
            while len(node) <= step:
                node.append(None)
            if node[step] is None:
                node[step] = empty
            node = node[step]
        else:
            node = node.setdefault(step, empty)
    last = steps[-1]
    if last == APPEND:
        node.append(value)
        return
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _shown(text: Any) -> str:
    return repr(text) if isinstance(text, str) and PATH.match(text) else "(not a case-file path)"


def _kind_problem(target: Target) -> str | None:
    """What is wrong with a target's path (None: it names a field of the right kind)."""
    steps = path_steps(target.base)
    kind = field_kind(steps)
    if kind is None:
        return "is not a field of the case file (see schemas/case-file.schema.json)"
    if target.parse == "person-name":
        if target.append or not set(_PERSON_FIELDS) <= set(fields_at(steps)):
            return "is not a person (parse = 'person-name' needs a path like case.parents[0])"
        return None
    if target.append and kind != "list":
        return "is not a list, so it cannot end in [+]"
    if not target.append and kind != "value":
        return "is a group of fields, not one field: map a column to one of its fields"
    return None


def _target(source: str, column: str, spec: Any) -> Target:
    if isinstance(spec, dict):
        unknown = set(spec) - {"path", "parse"}
        if unknown or "path" not in spec:
            raise InputError(f"{source}: columns.{column!r}: a table needs path (and parse)")
        parse = spec.get("parse")
        if parse is not None and parse not in PARSERS:
            raise InputError(
                f"{source}: columns.{column!r}: parse must be one of {', '.join(PARSERS)}"
            )
        spec_path = spec["path"]
    else:
        spec_path, parse = spec, None
    if not isinstance(spec_path, str) or not PATH.match(spec_path):
        raise InputError(
            f"{source}: columns.{column!r}: {_shown(spec_path)} is not a case-file path"
        )
    target = Target(spec_path, parse)
    problem = _kind_problem(target)
    if problem:
        raise InputError(f"{source}: columns.{column!r}: {spec_path} {problem}")
    return target


def _single_paths(target: Target) -> list[str]:
    """The single-valued fields a target fills."""
    if target.parse == "person-name":
        return [f"{target.base}.{name}" for name in _PERSON_FIELDS]
    return [] if target.append else [target.path]


def _check_overlaps(source: str, columns: dict[str, Target], values: dict[str, Any]) -> None:
    owner: dict[str, str] = {}
    for column, target in columns.items():
        for path in _single_paths(target):
            if path in owner:
                raise InputError(
                    f"{source}: columns {owner[path]!r} and {column!r} both map to {path}, "
                    "which holds one value (a list can take several with [+])"
                )
            owner[path] = column
    appended = {t.base: c for c, t in columns.items() if t.append}
    for path in owner:
        base = re.sub(r"\[\d+\]$", "", path)
        if base != path and base in appended:
            raise InputError(
                f"{source}: columns {appended[base]!r} and {owner[path]!r} both fill {base} "
                "(one with [+], one by position): use [+] for all of them"
            )
    for path in values:
        if path in owner:
            raise InputError(f"{source}: values: {path} is also filled by column {owner[path]!r}")


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; a problem is one InputError naming the file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a readable TOML mapping file: {exc}") from None
    source = str(path)
    unknown = set(data) - {"columns", "values", "date_format"}
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(
            f"{path}: unknown key {_shown(key) if PATH.match(key) else '(not shown)'}"
            "; the keys are columns, values and date_format"
        )
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError(f"{path}: [columns] must map column names to case-file paths")
    targets = {column: _target(source, column, spec) for column, spec in columns.items()}
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise InputError(f"{path}: [values] must map case-file paths to values")
    for target in values:
        problem = None if PATH.match(target) and "[+]" not in target else "is not a case-file path"
        problem = problem or _kind_problem(Target(target))
        if problem:
            raise InputError(f"{path}: values: {_shown(target)} {problem}")
    _check_overlaps(source, targets, values)
    date_format = data.get("date_format")
    if date_format is not None and not isinstance(date_format, str):
        raise InputError(f'{path}: date_format must be text such as "%d/%m/%Y"')
    return Mapping(targets, dict(values), date_format, source)


def check_paths(source: str, header: tuple[str, ...]) -> None:
    """Without a mapping, every column name must be a case-file path (one error at start)."""
    seen: set[str] = set()
    for column in header:
        if not column:
            continue
        if not PATH.match(column):
            raise InputError(
                f"{source}: column {column!r} is not a case-file path; give --mapping FILE"
            )
        target = Target(column)
        problem = _kind_problem(target)
        if problem:
            raise InputError(f"{source}: column {column!r} {problem}")
        if column in seen and not target.append:
            raise InputError(f"{source}: column {column!r} appears twice in the header row")
        seen.add(column)
