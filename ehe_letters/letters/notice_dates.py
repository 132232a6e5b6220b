"""Dates of statutory notices: when a notice is served and when its period ends.

Shared by the letter context (which prints the dates) and the legal checks (which test them),
so both always agree.  Pure code over the law module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter, all_letters, get_letter
from ehe_letters.models import Authority, Case, Event, EventType, ServiceMethod
from ehe_letters.settings import Settings

__all__ = [
    "ServiceDates",
    "closures_of",
    "deadline_for",
    "earliest_registration",
    "last_event",
    "notices_with_a_period",
    "period_end_of",
    "policy_days",
    "register_by",
    "service_dates",
]

# The authority policy (authority.policy, else law/parameters/policy_periods.yaml) that gives the
# period of a notice when its inputs name none, by the parameter of the notice's minimum.
_POLICY_PERIOD = {"s437_minimum_period": "s437_period_days"}


def policy_days(authority: Authority, key: str, on: date) -> int:
    """An authority policy period (``s437_period_days``, ``sao_register_days`` ...): the
    authority's own (authority.policy), else the toolkit's documented default in force on a day."""
    own = getattr(authority.policy, key, None)
    return own if own is not None else int(law.parameter("policy_periods", on)[key])


def closures_of(authority: Authority) -> law.Closures:
    """The days the authority's office is closed, as the law package takes them."""
    return tuple((c.from_, c.to) for c in authority.closures)


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


def service_dates(
    letter: Letter, inputs: Any, letter_date: date, authority: Authority
) -> ServiceDates:
    """Compute service and deadline dates for a letter's inputs (which carry a `service`).

    A notice whose inputs name no period gives the authority's policy period (s437: 21 days by
    default); the date named never falls on a day the authority's office is closed."""
    service, nation = inputs.service, authority.nation
    sent = service.sent_on or letter_date
    if letter.period is None:
        deemed = law.deemed_service_date(sent, service.method, nation, statutory=letter.statutory)
        return ServiceDates(service.method, sent, deemed)
    days = inputs.period_days
    if days is None and letter.period in _POLICY_PERIOD:
        days = policy_days(authority, _POLICY_PERIOD[letter.period], letter_date)
    dates = law.compute_deadline(  # the one source of a notice's dates
        letter.period,
        sent,
        service.method,
        nation,
        days,
        letter_date=letter_date,
        closures=closures_of(authority),
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


def register_by(inputs: Any, dates: ServiceDates, authority: Authority, letter_date: date) -> date:
    """The date a school attendance order requires the child to be registered by: the one given
    (case.inputs.school_attendance_order.register_by), else the earliest the authority's policy
    allows -- ``sao_register_days`` days beginning with the day the order is served, moved off
    a weekend, bank holiday or closure.  Rule EHE121 refuses a given date before that."""
    return inputs.register_by or earliest_registration(dates.deemed_served, authority, letter_date)


def earliest_registration(served: date, authority: Authority, letter_date: date) -> date:
    """The earliest date an order may require registration by, under the authority's policy."""
    days = policy_days(authority, "sao_register_days", letter_date)
    return law.on_or_after_business_day(
        served + timedelta(days=days - 1), authority.nation, closures_of(authority)
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
