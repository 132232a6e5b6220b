"""What a letter recites of the case history: the latest notice of each kind (with how it was
served and the day it is treated as served, computed by the law package), the latest decision
and the other events a letter reads (``previous.*``); for a letter to one parent, only what
concerns that parent."""

from __future__ import annotations

from typing import Any

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter, sibling
from ehe_letters.letters.values import PathDict, dump, long_date
from ehe_letters.letters.words import recital_words
from ehe_letters.models import Case, EventType, ServiceMethod

__all__ = ["previous"]


def _served(letter: Letter, event: Any, path: str, nation: str, language: str) -> dict[str, str]:
    """What a notice recorded in the history recites of its service: how and when it was sent,
    and the day it is treated as served (computed by the law package, never typed)."""
    notice = sibling(letter, event.letter)
    if not notice.statutory:
        return {}
    if event.method is None or event.method == ServiceMethod.EMAIL:
        raise InputError(
            f"{path}.method: record how the {event.letter} was served (hand, left-at-address, "
            "first-class-post, second-class-post or post): the letter recites it"
        )
    served = law.deemed_service_date(
        event.date, event.method, nation, statutory=True, delivered_at=event.time
    )
    return {
        "sent_by": recital_words(event.method, language),
        "sent_on": long_date(event.date, language),
        "served_on": long_date(served, language),
    }


# Events a letter to one parent recites only when they are that parent's own.
_BY_PARENT = (
    EventType.NOTICE_SERVED,
    EventType.AMENDMENT_REQUESTED,
    EventType.REVOCATION_REQUESTED,
)
# The other events whose latest a letter may read as previous.<type> (dashes as underscores).
_RECORDED = (
    EventType.SCHOOL_INFORMED,
    EventType.AMENDMENT_REQUESTED,
    EventType.REVOCATION_REQUESTED,
    EventType.REVOCATION_DECISION,
)


def previous(
    case: Case, letter: Letter, nation: str, parent: int | None = None, language: str = "en"
) -> PathDict:
    """The latest notice of each kind served, the latest decision and the latest school told of
    an order (s437(5)), from the history; a statutory letter's recitals of an earlier notice's
    service (``sent_by``, ``sent_on``, ``served_on``).  With `parent`, only the notices served
    on that parent: a notice recites only what happened to the parent it is addressed to."""
    found: dict[str, Any] = {}
    for index, event in sorted(enumerate(case.history), key=lambda pair: pair[1].date):
        path = f"case.history[{index}]"
        if event.type in _BY_PARENT and parent is not None and event.parent != parent:
            continue
        if event.type == EventType.NOTICE_SERVED and event.letter:
            values = dump(event, path, language)
            if letter.statutory:
                values.update(_served(letter, event, path, nation, language))
            found[event.letter.replace("-", "_")] = values
        elif event.type == EventType.DECISION:
            found["decision"] = dump(event, path, language)
        elif event.type in _RECORDED:
            found[event.type.value.replace("-", "_")] = dump(event, path, language)
    return PathDict(found, "case.history")
