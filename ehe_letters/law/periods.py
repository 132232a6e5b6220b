"""Statutory response periods: s437(2) notice period and s438(3) selection period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache
from typing import Any

from ehe_letters.errors import InputError, LawError
from ehe_letters.law.calendar import (
    Closures,
    Nation,
    check_date,
    check_nation,
    on_or_after_business_day,
)
from ehe_letters.law.parameters import (
    parameter,
    parameter_names,
    parameter_reference,
    parameter_spec,
)
from ehe_letters.law.regime import EA1996, regime_on
from ehe_letters.law.service import ServiceMethod, deemed_service_date, service_method

# A notice's period is named by the legal parameter holding its minimum (e.g.
# "s437_minimum_period"); which notice has which period is a fact of the letter, in its metadata
# (templates/<id>.toml: `period`).


def _check_period(period_days: object) -> int:
    if isinstance(period_days, bool) or not isinstance(period_days, int) or period_days < 1:
        raise InputError(f"period must be a whole number of days >= 1, not {period_days!r}")
    return period_days


@cache
def period_parameters() -> tuple[str, ...]:
    """The legal parameters that are a notice's minimum period in days (``notice_period: true``)."""
    return tuple(n for n in parameter_names() if parameter_spec(n).get("notice_period"))


@cache
def _period_rule(period: str) -> str:
    """The citation of a period parameter for messages, e.g. 'Education Act 1996, s437(2)'."""
    if period not in period_parameters():
        raise InputError(
            f"no statutory response period {period!r}; use one of: {', '.join(period_parameters())}"
        )
    return parameter_spec(period)["reference"][0]["title"]


def minimum_period(period: str, on: date) -> int:
    """Return the minimum of a notice's period, in days, for a notice dated on a given day.

    `period` names the parameter: s437_minimum_period (s437(2) [P]) or s438_selection_period
    (s438(3) [NV], read conservatively as 15 days beginning with the day of service).
    """
    _period_rule(period)
    return int(parameter(period, check_date(on, "letter date")))


def earliest_deadline(deemed_served: date, period_days: int = 15) -> date:
    """Return the last day of a period "beginning with the day on which the notice is served".

    The service day is day 1, so the result is deemed service + (period - 1) calendar days.
    """
    check_date(deemed_served, "deemed service date")
    return deemed_served + timedelta(days=_check_period(period_days) - 1)


def notice_deadline(
    period: str,
    deemed_served: date,
    nation: Nation = "england",
    period_days: int | None = None,
    letter_date: date | None = None,
    closures: Closures = (),
) -> date:
    """Return the deadline to state in a notice: end of the period, moved to a business day
    (and past any closure of the authority's office it falls in).

    The period defaults to the statutory minimum in force on the letter date (the deemed service
    date if none is given); a longer period is allowed, a shorter one is a LawError. A period
    ending on a weekend or bank holiday is moved forward to the next business day, which never
    shortens the parent's time. s438 rests on [NV] text (see minimum_period).
    """
    check_nation(nation)
    check_date(deemed_served, "deemed service date")
    letter_date = deemed_served if letter_date is None else check_date(letter_date, "letter date")
    if letter_date > deemed_served:
        raise InputError(
            f"letter date {letter_date.isoformat()} is after the deemed service date "
            f"{deemed_served.isoformat()}"
        )
    if regime_on(letter_date, nation) != EA1996:
        raise LawError(
            "this is an Education Act 1996 notice but CWSA 2026 is configured as commenced "
            f"in {nation} by {letter_date.isoformat()}"
        )
    minimum = minimum_period(period, letter_date)
    days = minimum if period_days is None else _check_period(period_days)
    if days < minimum:
        raise LawError(
            f"a {days}-day period is too short: {_period_rule(period)} requires at least "
            f"{minimum} days beginning with the day of service"
        )
    return on_or_after_business_day(earliest_deadline(deemed_served, days), nation, closures)


@dataclass(frozen=True)
class DeadlineResult:
    """The dates of a notice with a period, and the rules they rest on: the one source of them.

    ``earliest_deadline`` is always the end of the statutory minimum (deemed service + 14 days
    for 15 days), whatever period is chosen; ``period_end`` the end of the chosen period;
    ``deadline`` the date named in the notice (``period_end``, moved off a weekend or bank
    holiday).  ``deadline``, every letter and every rule read their dates from here.
    """

    period: str  # the parameter naming the period's minimum, e.g. s437_minimum_period
    method: ServiceMethod
    nation: Nation
    sent: date
    deemed_served: date
    minimum_days: int
    period_days: int
    earliest_deadline: date
    period_end: date
    deadline: date
    references: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict with ISO dates."""
        return {
            "period": self.period,
            "method": self.method.value,
            "nation": self.nation,
            "sent": self.sent.isoformat(),
            "deemed_served": self.deemed_served.isoformat(),
            "minimum_days": self.minimum_days,
            "period_days": self.period_days,
            "earliest_deadline": self.earliest_deadline.isoformat(),
            "period_end": self.period_end.isoformat(),
            "deadline": self.deadline.isoformat(),
            "references": list(self.references),
        }


def compute_deadline(
    period: str,
    sent: date,
    method: ServiceMethod | str,
    nation: Nation = "england",
    period_days: int | None = None,
    *,
    letter_date: date | None = None,
    delivered_at: time | None = None,
    closures: Closures = (),
) -> DeadlineResult:
    """Compute every date of a notice with a period (s437, s438) from how and when it was sent.

    `letter_date` (default: the sending date) picks the law in force; `delivered_at` is the
    recorded time of a hand delivery (at or after 16:30 moves service to the next business
    day); `closures` the days the authority's office is closed, which the date named never
    falls in. Deemed service uses the conservative reading of deemed_service_date ([NV]);
    notice_deadline checks the period.
    """
    check_date(sent, "sending date")
    check_nation(nation)
    _period_rule(period)
    letter_date = sent if letter_date is None else min(check_date(letter_date, "letter date"), sent)
    method = service_method(method)
    deemed = deemed_service_date(sent, method, nation, statutory=True, delivered_at=delivered_at)
    deadline = notice_deadline(
        period, deemed, nation, period_days, letter_date=letter_date, closures=closures
    )
    minimum = minimum_period(period, letter_date)
    days = minimum if period_days is None else period_days
    return DeadlineResult(
        period=period,
        method=method,
        nation=nation,
        sent=sent,
        deemed_served=deemed,
        minimum_days=minimum,
        period_days=days,
        earliest_deadline=earliest_deadline(deemed, minimum),
        period_end=earliest_deadline(deemed, days),
        deadline=deadline,
        references=[
            parameter_reference(period),
            parameter_reference("deemed_service"),
            parameter_reference("calendar_coverage"),
        ],
    )
