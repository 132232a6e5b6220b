"""Read case files (JSON or YAML) and turn validation failures into one line per problem.

An authority's `logo` is a path relative to the file that gives it (the authority file, or the
case file when the authority is inline): it is resolved here, and the image is read and checked
once (`attach_logo`) and kept with the authority for every letter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ehe_letters.errors import InputError
from ehe_letters.models import Authority, CaseFile
from ehe_letters.settings import Settings

__all__ = [
    "attach_logo",
    "field_path",
    "load_authority",
    "load_case_file",
    "read_data",
    "validation_problems",
]


def read_data(path: Path) -> Any:
    """Parse a JSON or YAML file; a problem is a one-line InputError naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"{path}: invalid YAML{where}: {problem}") from None


def field_path(loc: tuple, prefix: str = "") -> str:
    """Render a pydantic error location as a path: case.parents[0].address.postcode."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "constrained-str") or str(part).startswith("function-"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(error: dict) -> str:
    msg = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def validation_problems(source: str, exc: ValidationError, prefix: str = "") -> list[str]:
    """Turn a pydantic ValidationError into one line per problem, without echoing the values."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = tuple(error["loc"])
        # An "authority" union (inline object or path) reports both branches; keep the object one.
        if loc[:1] == ("authority",) and len(loc) > 1 and loc[1] in ("str", "constrained-str"):
            continue
        if loc[:2] == ("authority", "Authority"):
            loc = ("authority", *loc[2:])
        lines.append(f"{source}: {field_path(loc, prefix)}: {_message(error)}")
    return lines


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


def load_authority(path: Path) -> Authority:
    """Read and validate an authority file (its logo read and checked too)."""
    data = _resolve_logo(read_data(path), path.parent)
    return attach_logo(_validate(Authority, data, str(path), "authority"), str(path))


def load_case_file(
    path: Path, authority: Authority | None = None, settings: Settings | None = None
) -> CaseFile:
    """Read a case file and validate it with its authority.

    The authority is, first found: ``authority``; the authority file of ``settings`` when it
    was given as an option (``--authority``); the case file's own (inline, or a path relative
    to the case file); the authority file of ``settings`` from the environment or the
    workspace (``EHE_LETTERS_AUTHORITY``, ``ehe-letters.toml``).
    """
    data = read_data(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping with 'authority' and 'case'")
    default = settings.authority if settings is not None else None
    if authority is None and default is not None:
        if settings.origin("authority").kind == "option" or "authority" not in data:
            authority = load_authority(default)
    if authority is not None:
        data = {**data, "authority": authority}
    elif isinstance(data.get("authority"), str):
        data = {**data, "authority": load_authority(path.parent / data["authority"])}
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
