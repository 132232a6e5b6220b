"""The register's service records as case history: the same Event model as the case file's.

``with_register_history`` is the one hook: the letter pipeline (``render_letter``, and so
``verify`` and every batch row) calls it on a case before the legal rules and the recitals read
its history.  A service recorded in the register becomes the event an officer would otherwise
type: a statutory notice ``notice-served`` (letter, parent, method, date, time, the date it
named), an information request ``informal-enquiry``, a concern letter ``concern-raised``, a
visit offer ``visit-offered``.  The same event in both is taken once; the same service
recorded differently in the two (another method, time or date named for the same letter,
parent and day) is an error naming both; a fact the case file leaves out is taken from the
register.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from ehe_letters.errors import InputError
from ehe_letters.models import CaseFile, Event, EventType
from ehe_letters.settings import Settings

__all__ = ["register_events", "service_event", "with_register_history"]

_INFORMAL = {
    "information-request": EventType.INFORMAL_ENQUIRY,
    "concern-notification": EventType.CONCERN_RAISED,
    "visit-offer": EventType.VISIT_OFFERED,
}
_NOTICE_KINDS = ("period-end", "register-by")  # the entries of statutory notices


def service_event(row: dict[str, Any]) -> Event | None:
    """The case-history event of one service entry (None for a letter that makes none)."""
    if row["named_kind"] in _NOTICE_KINDS:
        return Event(
            type=EventType.NOTICE_SERVED,
            date=row["sent_on"],
            time=time.fromisoformat(row["sent_time"]) if row["sent_time"] else None,
            letter=row["letter_id"],
            method=row["method"],
            parent=int(row["parents"]),
            deadline=row["named_date"] if row["named_kind"] == "period-end" else None,
        )
    kind = _INFORMAL.get(row["letter_id"])
    if kind is None:
        return None
    return Event(type=kind, date=row["sent_on"], letter=row["letter_id"])


def register_events(rows: list[dict[str, Any]]) -> list[tuple[int, Event]]:
    """The events of a case's service entries, with the number of the entry of each."""
    return [(row["seq"], e) for row in rows if (e := service_event(row)) is not None]


def _same_service(a: Event, b: Event) -> bool:
    return (a.type, a.letter, a.parent, a.date) == (b.type, b.letter, b.parent, b.date)


def _describe(event: Event) -> str:
    how = f" {event.method.value}" if event.method else ""
    at = f" at {event.time.strftime('%H:%M')}" if event.time else ""
    named = f", naming {event.deadline.isoformat()}" if event.deadline else ""
    return f"{event.date.isoformat()}{how}{at}{named}"


def merge_history(case_file: CaseFile, events: list[tuple[int, Event]]) -> CaseFile:
    """The case with the register's events added to its history (see the module docstring)."""
    case = case_file.case
    history = list(case.history)
    for seq, event in events:
        if event.parent is not None and event.parent >= len(case.parents):
            raise InputError(
                f"register entry {seq}: records the {event.letter} served on "
                f"case.parents[{event.parent}], which the case file does not list"
            )
        match = [i for i, e in enumerate(case.history) if _same_service(e, event)]
        if not match:
            history.append(event)
            continue
        typed = case.history[match[0]]
        if any(
            _differ(getattr(typed, f), getattr(event, f)) for f in ("method", "time", "deadline")
        ):
            raise InputError(
                f"case.history[{match[0]}] conflicts with register entry {seq}: the "
                f"{event.letter} served on case.parents[{event.parent}] is recorded as "
                f"{_describe(typed)} in the case file and {_describe(event)} in the register; "
                "correct the case file (or remove the event from it: the register has it)"
            )
        history[match[0]] = event  # the register's record is the complete one
    if history == case.history:
        return case_file
    return case_file.model_copy(update={"case": case.model_copy(update={"history": history})})


def _differ(typed: Any, recorded: Any) -> bool:
    """Two values of one fact disagree (a value the case file leaves out is no conflict)."""
    return typed is not None and typed != recorded


def with_register_history(case_file: CaseFile, settings: Settings | None) -> CaseFile:
    """The case with the service records the settings' register holds for it (if any)."""
    if settings is None or settings.register is None:
        return case_file
    from ehe_letters.register.chain import entry_hash
    from ehe_letters.register.store import RegisterError, open_register

    register = open_register(settings)
    assert register is not None
    rows = register.rows(case_reference=case_file.case.reference, kind="service")
    for row in rows:  # a record changed in the database is never taken as history
        if entry_hash(row) != row["sha256"]:
            raise RegisterError(
                f"register entry {row['seq']}: its recorded values do not match its hash "
                "(changed after recording); see ehe-letters register verify"
            )
    return merge_history(case_file, register_events(rows))
