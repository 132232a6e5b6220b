"""Dates of statutory notices: when a notice is served and when its period ends.

Shared by the letter context (which prints the dates) and the legal checks (which test them),
so both always agree.  Pure code over the law module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter, all_letters, get_letter
from ehe_letters.models import Case, Event, EventType, ServiceMethod
from ehe_letters.settings import Settings

__all__ = [
    "ServiceDates",
    "deadline_for",
    "last_event",
    "notices_with_a_period",
    "period_end_of",
    "service_dates",
]


@dataclass(frozen=True)
class ServiceDates:
    """How and when a notice is served, and (for notices with a period) when the period ends."""

    method: ServiceMethod
    sent: date
    deemed_served: date
    period_days: int | None = None
    earliest_deadline: date | None = None
    deadline: date | None = None
    minimum_days: int | None = None


def service_dates(letter: Letter, inputs: Any, letter_date: date, nation: str) -> ServiceDates:
    """Compute service and deadline dates for a letter's inputs (which carry a `service`)."""
    service = inputs.service
    sent = service.sent_on or letter_date
    if letter.period is None:
        deemed = law.deemed_service_date(sent, service.method, nation, statutory=letter.statutory)
        return ServiceDates(service.method, sent, deemed)
    dates = law.compute_deadline(  # the one source of a notice's dates
        letter.period, sent, service.method, nation, inputs.period_days, letter_date=letter_date
    )
    return ServiceDates(
        service.method,
        sent,
        dates.deemed_served,
        dates.period_days,
        dates.earliest_deadline,
        dates.deadline,
        dates.minimum_days,
    )


def last_event(
    case: Case,
    kind: EventType,
    letter_id: str | None = None,
    on_or_before: date | None = None,
    parent: int | None = None,
) -> Event | None:
    """Return the latest event of a kind (for a letter, up to a date, served on a parent)."""
    events = [
        e
        for e in case.history
        if e.type == kind
        and (letter_id is None or e.letter == letter_id)
        and (on_or_before is None or e.date <= on_or_before)
        and (parent is None or e.parent == parent)
    ]
    return max(events, key=lambda e: e.date, default=None)


def period_end_of(event: Event, notice: Letter, nation: str) -> date:
    """The end of the period in a notice recorded in the history.

    `notice` is the letter the event records serving (its metadata names the period).
    Conservative: the later of the date recorded in the event and the earliest lawful end
    computed from its sending date and method (second-class post when none is recorded).
    """
    method = event.method or ServiceMethod.POST
    if method == ServiceMethod.EMAIL:
        method = ServiceMethod.POST  # e-mail is never service; assume the slowest paper method
    if notice.period is None:
        raise ValueError(f"{notice.id} has no period")
    computed = law.compute_deadline(
        notice.period, event.date, method, nation, delivered_at=event.time
    ).earliest_deadline
    return max(computed, event.deadline) if event.deadline else computed


def notices_with_a_period(settings: Settings | None = None) -> list[str]:
    """The ids of the letters whose metadata gives them a period (s437, s438 notices)."""
    return [letter.id for letter in all_letters(settings) if letter.period is not None]


def deadline_for(
    notice: str,
    sent: date,
    method: ServiceMethod | str,
    nation: str,
    period_days: int | None = None,
    settings: Settings | None = None,
) -> law.DeadlineResult:
    """The dates of a notice given its id, without a case: `ehe-letters deadline`."""
    ids = notices_with_a_period(settings)
    if notice not in ids:
        raise InputError(f"unknown notice {notice!r}; choose one of: {', '.join(ids)}")
    period = get_letter(notice, settings).period
    assert period is not None
    return law.compute_deadline(period, sent, method, nation, period_days)
