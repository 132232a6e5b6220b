"""Business days in England and Wales."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ehe_letters.errors import InputError, LawError
from ehe_letters.law import (
    NATIONS,
    add_business_days,
    bank_holidays,
    coverage_years,
    is_business_day,
    next_business_day,
    on_or_after_business_day,
)

HOLIDAYS_2026_2027 = [
    date(2026, 12, 25),  # Christmas Day, Friday
    date(2026, 12, 28),  # substitute for Boxing Day (Saturday 26th)
    date(2027, 1, 1),
    date(2027, 3, 26),  # Good Friday
    date(2027, 3, 29),  # Easter Monday
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 30),
    date(2027, 12, 27),  # substitute for Christmas Day (Saturday 25th)
    date(2027, 12, 28),  # substitute for Boxing Day (Sunday 26th)
]


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("day", HOLIDAYS_2026_2027, ids=str)
def test_bank_holidays_are_not_business_days(day: date, nation: str) -> None:
    assert day.weekday() < 5
    assert not is_business_day(day, nation)


@pytest.mark.parametrize("nation", NATIONS)
def test_ordinary_days(nation: str) -> None:
    assert is_business_day(date(2026, 12, 29), nation)  # Tuesday
    assert is_business_day(date(2027, 3, 1), nation)  # St David's Day is not a bank holiday
    assert not is_business_day(date(2026, 11, 28), nation)  # Saturday
    assert not is_business_day(date(2026, 11, 29), nation)  # Sunday


@pytest.mark.parametrize("year", [2026, 2027])
def test_england_and_wales_share_bank_holidays(year: int) -> None:
    assert bank_holidays(year, "england") == bank_holidays(year, "wales")
    assert len(bank_holidays(year, "wales")) >= 8


def test_next_business_day_is_strictly_after() -> None:
    assert next_business_day(date(2026, 12, 29)) == date(2026, 12, 30)
    assert next_business_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert on_or_after_business_day(date(2026, 12, 29)) == date(2026, 12, 29)
    assert on_or_after_business_day(date(2026, 12, 25)) == date(2026, 12, 29)


def test_add_business_days() -> None:
    assert add_business_days(date(2027, 12, 23), 4, "wales") == date(2027, 12, 31)
    assert add_business_days(date(2027, 3, 25), 2) == date(2027, 3, 31)
    assert add_business_days(date(2026, 11, 28), 0) == date(2026, 11, 28)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_add_business_days_rejects_bad_counts(bad: object) -> None:
    with pytest.raises(InputError):
        add_business_days(date(2026, 12, 1), bad)  # type: ignore[arg-type]


def test_coverage() -> None:
    first, last = coverage_years()
    assert first == 1996
    assert last >= 2027
    with pytest.raises(LawError, match="no bank-holiday data for 2031"):
        is_business_day(date(2031, 1, 6))
    with pytest.raises(LawError, match="no bank-holiday data for 1995"):
        is_business_day(date(1995, 6, 1), "wales")
    with pytest.raises(LawError, match=f"no bank-holiday data for {last + 1}"):
        next_business_day(date(last, 12, 31))


def test_bad_nation_and_date() -> None:
    with pytest.raises(InputError, match="nation must be one of england, wales"):
        is_business_day(date(2026, 12, 1), "scotland")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="calendar date"):
        is_business_day(datetime(2026, 12, 1, 10, 0))
    with pytest.raises(InputError):
        is_business_day("2026-12-01")  # type: ignore[arg-type]
