"""Statutory response periods: s437(2) notice period and s438(3) selection period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from ehe_letters.errors import InputError, LawError
from ehe_letters.law.calendar import Nation, check_date, check_nation, on_or_after_business_day
from ehe_letters.law.parameters import parameter, parameter_reference
from ehe_letters.law.regime import EA1996, regime_on
from ehe_letters.law.service import ServiceMethod, deemed_service_date, service_method

# notice id -> (parameter holding its minimum period, section named in messages)
NOTICE_PERIODS: dict[str, tuple[str, str]] = {
    "s437-notice": ("s437_minimum_period", "Education Act 1996 s437(2)"),
    "sao-intention": ("s438_selection_period", "Education Act 1996 s438(3)"),
}


def _check_period(period_days: object) -> int:
    if isinstance(period_days, bool) or not isinstance(period_days, int) or period_days < 1:
        raise InputError(f"period must be a whole number of days >= 1, not {period_days!r}")
    return period_days


def _notice_rule(notice: str) -> tuple[str, str]:
    if notice not in NOTICE_PERIODS:
        raise InputError(
            f"no statutory response period for {notice!r}; use one of: {', '.join(NOTICE_PERIODS)}"
        )
    return NOTICE_PERIODS[notice]


def minimum_period(notice: str, on: date) -> int:
    """Return the statutory minimum period in days for a notice dated on a given day.

    s437-notice: s437(2) [P]. sao-intention: s438(3) [NV], read conservatively as 15 days
    beginning with the day of service.
    """
    name, _section = _notice_rule(notice)
    return int(parameter(name, check_date(on, "letter date")))


def earliest_deadline(deemed_served: date, period_days: int = 15) -> date:
    """Return the last day of a period "beginning with the day on which the notice is served".

    The service day is day 1, so the result is deemed service + (period - 1) calendar days.
    """
    check_date(deemed_served, "deemed service date")
    return deemed_served + timedelta(days=_check_period(period_days) - 1)


def notice_deadline(
    notice: str,
    deemed_served: date,
    nation: Nation = "england",
    period_days: int | None = None,
    letter_date: date | None = None,
) -> date:
    """Return the deadline to state in a notice: end of the period, moved to a business day.

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
            f"{notice} is an Education Act 1996 notice but CWSA 2026 is configured as commenced "
            f"in {nation} by {letter_date.isoformat()}"
        )
    minimum = minimum_period(notice, letter_date)
    period = minimum if period_days is None else _check_period(period_days)
    if period < minimum:
        section = _notice_rule(notice)[1]
        raise LawError(
            f"a {period}-day period is too short for {notice}: {section} requires at least "
            f"{minimum} days beginning with the day of service"
        )
    return on_or_after_business_day(earliest_deadline(deemed_served, period), nation)


@dataclass(frozen=True)
class DeadlineResult:
    """A deadline computation with the dates and the rules it rests on."""

    notice: str
    method: ServiceMethod
    nation: Nation
    sent: date
    deemed_served: date
    period_days: int
    earliest_deadline: date
    deadline: date
    references: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict with ISO dates."""
        return {
            "notice": self.notice,
            "method": self.method.value,
            "nation": self.nation,
            "sent": self.sent.isoformat(),
            "deemed_served": self.deemed_served.isoformat(),
            "period_days": self.period_days,
            "earliest_deadline": self.earliest_deadline.isoformat(),
            "deadline": self.deadline.isoformat(),
            "references": list(self.references),
        }


def compute_deadline(
    notice: str,
    sent: date,
    method: ServiceMethod | str,
    nation: Nation = "england",
    period_days: int | None = None,
    *,
    delivered_at: time | None = None,
) -> DeadlineResult:
    """Compute deemed service and the deadline of a s437 notice or s438 notice of intention.

    The letter date is taken to be the sending date; `delivered_at` is the recorded time of a
    hand delivery (at or after 16:30 moves service to the next business day). Deemed service
    uses the conservative reading of deemed_service_date ([NV]); notice_deadline checks the
    period.
    """
    check_date(sent, "sending date")
    check_nation(nation)
    param_name, _section = _notice_rule(notice)
    method = service_method(method)
    deemed = deemed_service_date(sent, method, nation, notice, delivered_at=delivered_at)
    deadline = notice_deadline(notice, deemed, nation, period_days, letter_date=sent)
    period = minimum_period(notice, sent) if period_days is None else period_days
    return DeadlineResult(
        notice=notice,
        method=method,
        nation=nation,
        sent=sent,
        deemed_served=deemed,
        period_days=period,
        earliest_deadline=earliest_deadline(deemed, period),
        deadline=deadline,
        references=[
            parameter_reference(param_name),
            parameter_reference("deemed_service"),
            parameter_reference("calendar_coverage"),
        ],
    )
