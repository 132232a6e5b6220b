"""Template values: dicts that know their case-file path, dates in long form (English or
Welsh), no None, and in a Welsh letter the Welsh text of the fields that have one.

Pure code shared by the letter context (context.py) and the recitals of the history
(recitals.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import UndefinedError

from ehe_letters.letters.language import long_date, when_and_time
from ehe_letters.letters.words import join_names

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


# Free text typed in the case or authority file whose Welsh is the field "<name>_cy" (e.g.
# case.inputs.concern.summary_cy): a Welsh letter prints the Welsh text, and fails naming the
# "_cy" field where it is missing (an empty list or text needs none); names fall back to English.
_TRANSLATED = frozenset(
    {
        "summary",
        "source",
        "how_we_heard",
        "detail",
        "venue",
        "reasons",
        "expedient_reasons",
        "role",
        "exam_centres",
        "drop_in_sessions",
        "forum_meetings",
        "networks",
        "return_to_school",
        "arrangements",
        "concern",  # case.inputs.off_rolling_challenge.concern (not case.inputs.concern: text only)
        "asks",
        "information_received",
        "information_considered",
        "information_not_received",
        "year_group",
        "note",
    }
)
# Names (the authority's, a team's, schools the family mentioned): their "_cy" when given, else
# the name as it is.
_NAMES = frozenset({"name", "team_name", "team", "schools_mentioned"})


class MissingWelsh:
    """The Welsh text of a field that the case file does not give.  It counts as defined, so
    that a paragraph shown `if field is defined` is not silently left out of the Welsh letter;
    printing it, testing it or looping over it fails with one line naming the "_cy" field."""

    __slots__ = ("field",)

    def __init__(self, field: str) -> None:
        self.field = field

    def _fail(self, *_args: Any) -> Any:
        raise UndefinedError(
            f"{self.field}: the letter needs this field but the case file does not give it"
        )

    __str__ = __bool__ = __iter__ = __len__ = _fail


def _in_welsh(value: dict, path: str) -> dict:
    """A mapping's values for a Welsh letter: "<name>_cy" stands in for "<name>" (the "_cy"
    fields themselves are never printed: plain() leaves them out)."""
    result = dict(value)
    for key in value.keys() & (_TRANSLATED | _NAMES):
        if isinstance(value[key], dict):
            continue  # a mapping of that name (case.inputs.concern), not text: see its fields
        welsh = value.get(f"{key}_cy")
        if welsh is not None:
            result[key] = welsh
        elif key in _TRANSLATED and value[key] not in ([], ""):
            result[key] = MissingWelsh(f"{path}.{key}_cy".lstrip("."))  # printing it fails
    return result


def plain(value: Any, path: str, language: str = "en") -> Any:
    """Convert dumped model data to template values: long dates, PathDicts, no None, and in a
    Welsh letter the Welsh text of the fields that have it."""
    if isinstance(value, dict):
        if language == "cy":
            value = _in_welsh(value, path)
        return PathDict(
            {
                k: v if isinstance(v, MissingWelsh) else plain(v, f"{path}.{k}", language)
                for k, v in value.items()
                if v is not None and not k.endswith("_cy")
            },
            path,
        )
    if isinstance(value, list):
        return [plain(v, f"{path}[{i}]", language) for i, v in enumerate(value)]
    if isinstance(value, datetime):
        return when_and_time(value, language)
    if isinstance(value, date):
        return long_date(value, language)
    return value


def dump(model: Any, path: str, language: str = "en") -> PathDict:
    return plain(model.model_dump(mode="python", exclude_none=True), path, language)
