"""Dates of statutory notices: when a notice is served and when its period ends.

Shared by the letter context (which prints the dates) and the legal checks (which test them),
so both always agree.  Pure code over the law module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ehe_letters import law
from ehe_letters.letters.catalogue import Letter
from ehe_letters.models import Case, Event, EventType, ServiceMethod

__all__ = ["ServiceDates", "last_event", "period_end_of", "service_dates"]

PERIOD_NOTICES = ("s437-notice", "sao-intention")


@dataclass(frozen=True)
class ServiceDates:
    """How and when a notice is served, and (for notices with a period) when the period ends."""

    method: ServiceMethod
    sent: date
    deemed_served: date
    period_days: int | None = None
    earliest_deadline: date | None = None
    deadline: date | None = None


def service_dates(letter: Letter, inputs: Any, letter_date: date, nation: str) -> ServiceDates:
    """Compute service and deadline dates for a letter's inputs (which carry a `service`)."""
    service = inputs.service
    sent = service.sent_on or letter_date
    deemed = law.deemed_service_date(sent, service.method, nation, letter_id=letter.id)
    if letter.id not in PERIOD_NOTICES:
        return ServiceDates(service.method, sent, deemed)
    period = inputs.period_days
    deadline = law.notice_deadline(
        letter.id, deemed, nation, period_days=period, letter_date=min(letter_date, sent)
    )
    earliest = law.earliest_deadline(deemed, law.minimum_period(letter.id, letter_date))
    return ServiceDates(service.method, sent, deemed, period, earliest, deadline)


def last_event(
    case: Case, kind: EventType, letter_id: str | None = None, on_or_before: date | None = None
) -> Event | None:
    """Return the latest event of a kind (for a letter, up to a date), or None."""
    events = [
        e
        for e in case.history
        if e.type == kind
        and (letter_id is None or e.letter == letter_id)
        and (on_or_before is None or e.date <= on_or_before)
    ]
    return max(events, key=lambda e: e.date, default=None)


def period_end_of(event: Event, nation: str) -> date:
    """The end of the period in a notice recorded in the history.

    Conservative: the later of the date recorded in the event and the earliest lawful end
    computed from its sending date and method (second-class post when none is recorded).
    """
    method = event.method or ServiceMethod.POST
    if method == ServiceMethod.EMAIL:
        method = ServiceMethod.POST  # e-mail is never service; assume the slowest paper method
    deemed = law.deemed_service_date(event.date, method, nation)
    computed = law.earliest_deadline(deemed, law.minimum_period(event.letter, event.date))
    return max(computed, event.deadline) if event.deadline else computed
