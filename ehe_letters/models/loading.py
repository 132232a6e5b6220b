"""Read case files (JSON or YAML) and turn validation failures into one line per problem.

An authority's `logo` is a path relative to the file that gives it (the authority file, or the
case file when the authority is inline): it is resolved here, and the image is read and checked
once (`attach_logo`) and kept with the authority for every letter.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ehe_letters.errors import InputError
from ehe_letters.models import Authority, CaseFile
from ehe_letters.models.clean import MESSAGE, clean_data
from ehe_letters.models.paths import FIELD_NAME, closest_field, shown_key
from ehe_letters.settings import Settings

MAX_FILE_BYTES = 10 * 1024 * 1024  # a case or authority file
MAX_NODES = 100_000  # values in one file (YAML aliases can make a small file huge)
AUTHORITY_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = [
    "attach_logo",
    "field_path",
    "load_authority",
    "load_case_file",
    "problem_lines",
    "read_data",
    "validation_problems",
]


def _read_text(path: Path) -> str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _count(data: Any, budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError("holds more than 100,000 values")
    if isinstance(data, dict):
        for value in data.values():
            _count(value, budget)
    elif isinstance(data, list):
        for value in data:
            _count(value, budget)


def read_data(path: Path, notes: list[str] | None = None, prefix: str = "") -> Any:
    """Parse a JSON or YAML file; a problem is a one-line InputError naming the file.

    Characters Word cannot hold are removed from every value; `notes` gets one warning line
    for each field changed (its path under `prefix`, never its value).
    """
    text = _read_text(path)
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
        _count(data, [MAX_NODES])
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"{path}: invalid YAML{where}: {problem}") from None
    changed: list[str] = []
    data = clean_data(data, prefix, changed)
    if notes is not None:
        notes += [f"{path}: {field}: {MESSAGE}" for field in changed]
    return data


def _parts(loc: tuple) -> list[str | int]:
    return [
        part
        for part in loc
        if isinstance(part, int)
        or not (part in ("function-after", "constrained-str") or str(part).startswith("function-"))
    ]


def field_path(loc: tuple, prefix: str = "") -> str:
    """Render a pydantic error location as a path: case.parents[0].address.postcode.

    A key that does not look like a field name (e.g. a line of some other file read as YAML)
    is shown as "(a key)", never echoed.
    """
    out = prefix
    for part in _parts(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if FIELD_NAME.match(str(part)) else "(a key)"
            out += f".{name}" if out else name
    return out


def _unknown_key(loc: tuple, prefix: str) -> tuple[str, str]:
    """Where an unknown key is, and what to say: the key only when it looks like a field
    name, then with the closest known field."""
    key, parent = loc[-1], tuple(_parts(loc[:-1]))
    steps = (*([prefix] if prefix else []), *parent)
    if shown_key(key) is None:
        where = field_path(loc[:-1], prefix) or "(top level)"
        return where, "an unknown key (not shown: it does not look like a field name)"
    close = closest_field(key, steps)
    hint = f"; did you mean {close!r}?" if close and close != key else ""
    return field_path(loc, prefix), f"unknown field{hint}"


def problem_lines(exc: ValidationError, prefix: str = "") -> list[tuple[tuple, str, str]]:
    """Each problem of a ValidationError as (loc, field path, message), values never echoed."""
    out = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = tuple(error["loc"])
        # An "authority" union (inline object or path) reports both branches; keep the object one.
        if loc[:1] == ("authority",) and len(loc) > 1 and loc[1] in ("str", "constrained-str"):
            continue
        if loc[:2] == ("authority", "Authority"):
            loc = ("authority", *loc[2:])
        if error["type"] == "extra_forbidden" and loc:
            where, message = _unknown_key(loc, prefix)
        else:
            where, message = field_path(loc, prefix), _message(error)
        out.append((loc, where, message))
    return out


def _message(error: dict) -> str:
    msg = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def validation_problems(source: str, exc: ValidationError, prefix: str = "") -> list[str]:
    """Turn a pydantic ValidationError into one line per problem, without echoing the values."""
    return [f"{source}: {where}: {message}" for _, where, message in problem_lines(exc, prefix)]


def _validate(model: type[BaseModel], data: Any, source: str, prefix: str = "") -> Any:
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a mapping of fields at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(source, exc, prefix)
        raise InputError(problems[0], problems=problems) from None


def _resolve_logo(data: Any, folder: Path) -> Any:
    """The authority data with a relative `logo` path made relative to `folder`."""
    if isinstance(data, dict) and isinstance(data.get("logo"), str) and data["logo"].strip():
        return {**data, "logo": str(folder / Path(data["logo"].strip()))}
    return data


def attach_logo(authority: Authority, source: str, logo: Any = None) -> Authority:
    """Read and check `authority.logo` once and keep the image with the authority.

    `logo` is an image already read (a batch worker gets it from the main process).  A missing
    file, a file that is not a PNG or JPEG (by its bytes) or one over 2 MB is a one-line
    InputError naming `source` and authority.logo.
    """
    from ehe_letters.docx.logo import LogoProblem, read_logo

    if authority.logo is None or authority.logo_image is not None:
        return authority
    try:
        authority._logo_image = logo if logo is not None else read_logo(Path(authority.logo))
    except LogoProblem as exc:
        raise InputError(f"{source}: authority.logo: {exc}") from None
    return authority


def load_authority(path: Path, notes: list[str] | None = None) -> Authority:
    """Read and validate an authority file (its logo read and checked too).

    Only a .yaml, .yml or .json file can be an authority file: a case file's `authority:`
    cannot make the toolkit read (and quote) some other file.
    """
    if Path(path).suffix.lower() not in AUTHORITY_SUFFIXES:
        raise InputError(f"{path}: an authority file must be .yaml, .yml or .json")
    data = _resolve_logo(read_data(path, notes, "authority"), path.parent)
    return attach_logo(_validate(Authority, data, str(path), "authority"), str(path))


def load_case_file(
    path: Path,
    authority: Authority | None = None,
    settings: Settings | None = None,
    notes: list[str] | None = None,
) -> CaseFile:
    """Read a case file and validate it with its authority.

    The authority is, first found: ``authority``; the authority file of ``settings`` when it
    was given as an option (``--authority``); the case file's own (inline, or a path relative
    to the case file); the authority file of ``settings`` from the environment or the
    workspace (``EHE_LETTERS_AUTHORITY``, ``ehe-letters.toml``).  `notes` gets a warning line
    for each field whose characters Word cannot hold were removed.
    """
    data = read_data(path, notes)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping with 'authority' and 'case'")
    default = settings.authority if settings is not None else None
    if authority is None and default is not None:
        if settings.origin("authority").kind == "option" or "authority" not in data:
            authority = load_authority(default, notes)
    if authority is not None:
        data = {**data, "authority": authority}
    elif isinstance(data.get("authority"), str):
        named = data["authority"].strip()
        if Path(named).suffix.lower() not in AUTHORITY_SUFFIXES:
            raise InputError(f"{path}: authority: must name a .yaml, .yml or .json file")
        data = {**data, "authority": load_authority(path.parent / named, notes)}
    elif "authority" not in data:
        raise InputError(
            f"{path}: authority: give the authority inline, as a file path, or with "
            "--authority (or work in a workspace: ehe-letters init)"
        )
    else:
        data = {**data, "authority": _resolve_logo(data["authority"], path.parent)}
    case_file = _validate(CaseFile, data, str(path))
    attach_logo(case_file.authority, str(path))
    return case_file
