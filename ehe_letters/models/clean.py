"""Text Word can hold: characters XML 1.0 does not allow are taken out of input data, each time
with a warning naming the field (never the value).

XML 1.0 allows tab, line feed, carriage return and the characters from U+0020 up, except the
surrogates and U+FFFE, U+FFFF.  A vertical tab (Excel writes one for a line break inside a cell)
or a form feed becomes a space; every other such character is removed.  A letter holding one
would be a .docx that neither Word, LibreOffice nor python-docx can open.
"""

from __future__ import annotations

import re
from typing import Any

from ehe_letters.models.paths import FIELD_NAME

__all__ = ["LINE_BREAKS", "clean_data", "clean_text", "has_disallowed"]

_DISALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AS_SPACE = re.compile("[\x0b\x0c]")
LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c]")

MESSAGE = "characters Word cannot hold were removed (a vertical tab or form feed became a space)"


def has_disallowed(text: str) -> bool:
    return _DISALLOWED.search(text) is not None


def clean_text(text: str) -> str:
    """The text without the characters XML 1.0 does not allow (VT and FF become spaces)."""
    if not _DISALLOWED.search(text):
        return text
    return _DISALLOWED.sub("", _AS_SPACE.sub(" ", text))


def _path(prefix: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def clean_data(data: Any, prefix: str = "", notes: list[str] | None = None) -> Any:
    """Return the data with every string cleaned; `notes` gets the path of each changed one."""
    if isinstance(data, str):
        cleaned = clean_text(data)
        if cleaned is not data and notes is not None:
            notes.append(prefix)
        return cleaned
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            # Keys are not cleaned (a key Word cannot hold is an unknown field anyway), and one
            # that does not look like a field name is never shown.
            name = key if isinstance(key, str) and FIELD_NAME.match(key) else "(a key)"
            out[key] = clean_data(value, _path(prefix, name), notes)
        return out
    if isinstance(data, list):
        return [clean_data(v, _path(prefix, i), notes) for i, v in enumerate(data)]
    return data
