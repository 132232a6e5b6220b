"""Compulsory school age, Education Act 1996 s8."""

from __future__ import annotations

from datetime import date

import pytest

from ehe_letters.errors import LawError
from ehe_letters.law import (
    birthday,
    csa_edge_case,
    csa_end,
    csa_start,
    is_compulsory_school_age,
    prescribed_days,
    school_leaving_date,
)


def test_prescribed_days() -> None:
    assert prescribed_days(2026) == [date(2026, 3, 31), date(2026, 8, 31), date(2026, 12, 31)]


@pytest.mark.parametrize(
    ("dob", "start"),
    [
        (date(2020, 1, 15), date(2025, 3, 31)),  # 5th birthday Jan -> 31 March
        (date(2020, 5, 10), date(2025, 8, 31)),  # 5th birthday May -> 31 August
        (date(2020, 10, 2), date(2025, 12, 31)),  # 5th birthday Oct -> 31 December
        (date(2019, 3, 31), date(2024, 3, 31)),  # 5th birthday on a prescribed day: that day
        (date(2019, 8, 31), date(2024, 8, 31)),
        (date(2019, 12, 31), date(2024, 12, 31)),
        (date(2019, 4, 1), date(2024, 8, 31)),  # day after a prescribed day
        (date(2019, 9, 1), date(2024, 12, 31)),
        (date(2020, 1, 1), date(2025, 3, 31)),  # across the new year
        (date(2007, 9, 23), date(2012, 12, 31)),  # IPSEA example child
        (date(2016, 2, 29), date(2021, 3, 31)),  # 29 Feb: 5th birthday taken as 1 March 2021
    ],
)
def test_csa_start(dob: date, start: date) -> None:
    assert csa_start(dob) == start


@pytest.mark.parametrize(
    ("year", "leaving"),
    [
        (2021, date(2021, 6, 25)),
        (2024, date(2024, 6, 28)),
        (2025, date(2025, 6, 27)),
        (2026, date(2026, 6, 26)),
        (2027, date(2027, 6, 25)),
        (2028, date(2028, 6, 30)),  # 30 June itself is a Friday
        (1998, date(1998, 6, 26)),
    ],
)
def test_school_leaving_date(year: int, leaving: date) -> None:
    assert school_leaving_date(year) == leaving
    assert leaving.weekday() == 4


def test_school_leaving_date_before_1998_refused() -> None:
    with pytest.raises(LawError):
        school_leaving_date(1997)


@pytest.mark.parametrize(
    ("dob", "end"),
    [
        (date(2007, 9, 23), date(2024, 6, 28)),  # IPSEA: born 23 Sep 2007 -> 28 June 2024
        (date(2008, 1, 15), date(2024, 6, 28)),  # s8(3)(c): 16 before the leaving date
        (date(2008, 6, 28), date(2024, 6, 28)),  # s8(3)(b): 16 on the leaving date
        (date(2008, 7, 10), date(2024, 6, 28)),  # s8(3)(a): 16 in July -> the June date before
        (date(2008, 8, 31), date(2024, 6, 28)),  # s8(3)(a): 16 on 31 August
        (date(2008, 9, 1), date(2025, 6, 27)),  # 16 on 1 September: next year's date
        (date(2016, 2, 29), date(2032, 6, 25)),  # 29 Feb birth, 16th birthday in a leap year
        (date(2011, 2, 28), date(2027, 6, 25)),
    ],
)
def test_csa_end(dob: date, end: date) -> None:
    assert csa_end(dob) == end


def test_birthday_29_february() -> None:
    assert birthday(date(2016, 2, 29), 5) == date(2021, 3, 1)
    assert birthday(date(2016, 2, 29), 16) == date(2032, 2, 29)


def test_is_compulsory_school_age() -> None:
    dob = date(2020, 1, 15)
    assert not is_compulsory_school_age(dob, date(2025, 3, 30))
    assert is_compulsory_school_age(dob, date(2025, 3, 31))
    july = date(2008, 7, 10)  # 16th birthday after the leaving date
    assert is_compulsory_school_age(july, date(2024, 6, 28))  # ceases at the END of that day
    assert not is_compulsory_school_age(july, date(2024, 6, 29))
    assert not is_compulsory_school_age(july, date(2024, 7, 9))  # still 15, but no longer CSA
    assert not is_compulsory_school_age(date(2026, 1, 1), date(2026, 6, 1))  # a baby


@pytest.mark.parametrize(
    ("dob", "flag"),
    [
        (date(2010, 8, 31), False),
        (date(2010, 9, 1), True),
        (date(2010, 9, 7), True),
        (date(2010, 9, 8), False),
        (date(2007, 9, 23), False),
    ],
)
def test_csa_edge_case(dob: date, flag: bool) -> None:
    assert csa_edge_case(dob) is flag


def test_age_on_counts_whole_years_with_the_birthday_rule() -> None:
    from ehe_letters.law import age_on

    assert age_on(date(2012, 4, 4), date(2026, 12, 14)) == 14
    assert age_on(date(2012, 4, 4), date(2026, 4, 3)) == 13
    assert age_on(date(2012, 4, 4), date(2026, 4, 4)) == 14
    assert age_on(date(2012, 2, 29), date(2027, 2, 28)) == 14  # 15 on 1 March in 2027
    assert age_on(date(2012, 2, 29), date(2027, 3, 1)) == 15
