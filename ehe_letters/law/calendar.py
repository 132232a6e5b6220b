"""Business days in England and Wales: weekends and bank holidays (with substitute days).

Bank holidays come from the `holidays` package (country GB, subdivision ENG or WLS), never from a
hand-typed list, and only for the years in the `calendar_coverage` parameter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Literal, get_args

import holidays

from ehe_letters.errors import InputError, LawError
from ehe_letters.law.parameters import parameter, parameter_spec

Nation = Literal["england", "wales"]
NATIONS: tuple[str, ...] = get_args(Nation)
_SUBDIVISIONS = {"england": "ENG", "wales": "WLS"}


def check_nation(nation: str) -> Nation:
    """Return the nation unchanged if it is 'england' or 'wales', else raise InputError."""
    if nation not in _SUBDIVISIONS:
        raise InputError(f"nation must be one of {', '.join(NATIONS)}, not {nation!r}")
    return nation  # type: ignore[return-value]


def check_date(value: object, what: str = "date") -> date:
    """Return the value if it is a plain date (not a datetime), else raise InputError."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InputError(f"{what} must be a calendar date (YYYY-MM-DD), not {value!r}")
    return value


def coverage_years() -> tuple[int, int]:
    """Return the first and last calendar years with trusted bank-holiday data."""
    latest = parameter_spec("calendar_coverage")["values"]
    entry = parameter("calendar_coverage", max(latest))
    return int(entry["first_year"]), int(entry["last_year"])


@cache
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    """Return the bank holidays (including substitute days) of one nation and year."""
    first, last = coverage_years()
    if not first <= year <= last:
        raise LawError(
            f"no bank-holiday data for {year}: the toolkit covers {first}-{last} "
            "(calendar_coverage); extend it after checking the year's bank holidays"
        )
    return frozenset(holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year))


def bank_holidays(year: int, nation: Nation = "england") -> dict[date, str]:
    """Return the bank holidays of a year in England or Wales, with their names."""
    check_nation(nation)
    _bank_holidays(nation, year)  # coverage check
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return dict(sorted(calendar.items()))


def is_business_day(d: date, nation: Nation = "england") -> bool:
    """Tell whether a date is a business day: Monday to Friday and not a bank holiday."""
    check_date(d)
    check_nation(nation)
    return d.weekday() < 5 and d not in _bank_holidays(nation, d.year)


# Days an authority's office is closed: (first, last) pairs, both days closed.
Closures = tuple[tuple[date, date], ...]


def on_or_after_business_day(d: date, nation: Nation = "england", closures: Closures = ()) -> date:
    """Return the date itself if it is a business day, else the next business day; with
    `closures`, also the first day after any closure the date falls in (a date named for a
    reply or the end of a period never falls while the office is closed)."""
    while not is_business_day(d, nation) or any(a <= d <= b for a, b in closures):
        d += timedelta(days=1)
    return d


def next_business_day(d: date, nation: Nation = "england") -> date:
    """Return the first business day strictly after the date."""
    check_date(d)
    return on_or_after_business_day(d + timedelta(days=1), nation)


def add_business_days(d: date, n: int, nation: Nation = "england") -> date:
    """Return the n-th business day after the date (n = 0 returns the date itself)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InputError(f"number of business days must be a whole number >= 0, not {n!r}")
    check_date(d)
    check_nation(nation)
    for _ in range(n):
        d = next_business_day(d, nation)
    return d
