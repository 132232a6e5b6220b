"""Compulsory school age, Education Act 1996 s8(2) and (3)."""

from __future__ import annotations

from datetime import date, timedelta

from ehe_letters.errors import InputError, LawError
from ehe_letters.law.calendar import check_date
from ehe_letters.law.parameters import parameter

_FRIDAY = 4


def birthday(dob: date, age: int) -> date:
    """Return the day on which a person born on dob attains an age.

    [NV] A 29 February birth is taken to attain the age on 1 March in a non-leap year (Family
    Law Reform Act 1969 s9 fixes the time as the commencement of the anniversary; which day is
    the anniversary in a non-leap year is not verified). For compulsory school age the choice
    between 28 Feb and 1 Mar never changes the result: both lead to the same prescribed day
    (31 March) and the same school year.
    """
    check_date(dob, "date of birth")
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February in a non-leap year
        return date(dob.year + age, 3, 1)


def age_on(dob: date, on: date) -> int:
    """Return the age in whole years of a person born on dob, on a day (birthday() rules)."""
    check_date(dob, "date of birth")
    years = on.year - dob.year
    return years if birthday(dob, years) <= on else years - 1


def prescribed_days(year: int) -> list[date]:
    """Return the prescribed days (s8(2)) falling in a calendar year, in order.

    [S] 31 March, 31 August, 31 December per the Start of Compulsory School Age Order 1998
    (text [NV]).
    """
    entries = parameter("csa_prescribed_days", date(year, 1, 1))
    return sorted(date(year, int(md[:2]), int(md[3:])) for md in entries)


def csa_start(dob: date) -> date:
    """Return the day a child begins to be of compulsory school age (s8(2)).

    The 5th birthday if it is a prescribed day, otherwise the next prescribed day. [S] The
    prescribed days rest on secondary sources (the 1998 Order's text is [NV]).
    """
    fifth = birthday(dob, 5)
    for day in prescribed_days(fifth.year) + prescribed_days(fifth.year + 1):
        if day >= fifth:
            return day
    raise LawError(f"no prescribed day after {fifth.isoformat()}")  # pragma: no cover


def school_leaving_date(year: int) -> date:
    """Return the school leaving date of a calendar year: the last Friday in June (s8(3), (4)(b)).

    [S] Rule from the School Leaving Date Order 1997 (text [NV]); applied from 1998 only.
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"year must be a whole number, not {year!r}")
    rule = parameter("school_leaving_date_rule", date(year, 1, 1))
    if rule != "last-friday-of-june":
        raise LawError(f"unknown school leaving date rule {rule!r}")
    june_30 = date(year, 6, 30)
    return june_30 - timedelta(days=(june_30.weekday() - _FRIDAY) % 7)


def csa_end(dob: date) -> date:
    """Return the last day of compulsory school age (s8(3)): a school leaving date.

    The child ceases to be of compulsory school age at the end of the leaving date of the school
    year in which the 16th birthday falls: (b) a birthday on the leaving date ends it that day;
    (c) a birthday before it ends it on that year's date; (a) a birthday after the June leaving
    date but before the next school year begins also ends it on that June date, before the
    birthday. [NV] The school year is taken to begin on 1 September (s579 defines it by school
    terms); birthdays on 1-7 September are flagged by csa_edge_case for manual confirmation.
    """
    sixteenth = birthday(dob, 16)
    leaving = school_leaving_date(sixteenth.year)
    if sixteenth < date(sixteenth.year, 9, 1):
        return leaving  # s8(3)(b), (c), or (a) for a summer birthday after the leaving date
    return school_leaving_date(sixteenth.year + 1)  # s8(3)(c)


def is_compulsory_school_age(dob: date, on: date) -> bool:
    """Tell whether a child is of compulsory school age on a date (s8(2) and (3)).

    From the start of csa_start(dob) to the end of csa_end(dob); see those for the [S]/[NV]
    points (prescribed days, leaving date, start of the school year).
    """
    check_date(on, "date")
    return csa_start(dob) <= on <= csa_end(dob)


def csa_edge_case(dob: date) -> bool:
    """Tell whether the 16th birthday falls on 1-7 September and needs manual confirmation.

    [NV] Whether such a birthday is "before the beginning of the school year next following"
    (s8(3)(a)) depends on the school's term dates (s579), not a fixed date.
    """
    sixteenth = birthday(dob, 16)
    return sixteenth.month == 9 and sixteenth.day <= 7


def year_group(dob: date, on: date) -> str:
    """Return the year group a child of that age is normally in on a day: 'Reception',
    'Year 1' ... 'Year 13' (the school year taken to begin on 1 September).

    [NV] By age on 31 August before the school year begins, as schools in England and Wales
    place pupils (age 4: Reception, 5: Year 1 ...); "school year" itself is defined by terms
    (s579), so a day in early September may belong to the year before. A child may be taught
    outside this year group: letters say it is the year group for the child's age.
    """
    start = on.year if on.month >= 9 else on.year - 1
    years = age_on(dob, date(start, 8, 31)) - 4
    if years < 0:
        raise InputError("the child is below Reception age on that day")
    return "Reception" if years == 0 else f"Year {years}"
