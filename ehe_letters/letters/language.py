"""Which language each letter goes in, and the words of the layout in each language.

An authority bound by the Welsh Language Standards (No. 1) Regulations 2015
(``authority.welsh_language_standards``) writes to each addressee in the language they chose:
Welsh to those who chose Welsh, English (with a line welcoming Welsh) to those who chose
English, and both, Welsh first, when the choice is not known or when a letter to several people
jointly goes to one who chose Welsh and one who did not.  Every other authority writes English.

The addressee is a parent, or for a letter addressed to a school the school (its governing body
and head teacher): standards 1, 4, 5, 6 and 7 speak of correspondence with a "person", which a
governing body is, not only with an "individual" (a member of the public: standards 2 and 3),
so a school's choice counts in the same way (``School.preferred_language``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

from babel.dates import format_date, format_time

from ehe_letters.models import Authority, Parent, School

__all__ = [
    "LABELS",
    "LANGUAGES",
    "Language",
    "letter_languages",
    "long_date",
    "month_and_year",
    "preference",
    "when_and_time",
]

Language = Literal["en", "cy"]
LANGUAGES: tuple[Language, ...] = ("en", "cy")

_LOCALES = {"en": "en_GB", "cy": "cy"}

# The words of the letter's layout (sender block, headers, footers) in each language: the same
# labels tools/build_templates.py prints and letters/context.py checks.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "telephone": "Telephone",
        "our_reference": "Our reference",
        "date": "Date",
        "contact": "Contact",
        "reference": "Reference",
        "page": "Page",
        "of": "of",
        "signed": "Signed on behalf of",
    },
    "cy": {
        "telephone": "Ffôn",
        "our_reference": "Ein cyfeirnod",
        "date": "Dyddiad",
        "contact": "Cyswllt",
        "reference": "Cyfeirnod",
        "page": "Tudalen",
        "of": "o",
        "signed": "Llofnodwyd ar ran",
    },
}


def preference(addressee: Parent | School, authority: Authority) -> str:
    """A parent's or a school's language choice: 'cy', 'en' or 'unknown' (the default where the
    Standards apply: the authority has not asked yet); always 'en' where they do not."""
    if not authority.welsh_language_standards:
        return "en"
    return addressee.preferred_language or "unknown"


def letter_languages(
    addressees: Iterable[Parent | School], authority: Authority
) -> tuple[Language, ...]:
    """The languages of one letter to these addressees (jointly: the parents at one address, one
    parent, or the school a letter is addressed to), in the order they are printed: ('en',),
    ('cy',) or ('cy', 'en') for a bilingual letter, Welsh first."""
    choices = {preference(a, authority) for a in addressees}
    if not choices or choices == {"en"}:
        return ("en",)
    if choices == {"cy"}:
        return ("cy",)
    return ("cy", "en")  # not known, or one chose Welsh and another did not: both, Welsh first


@lru_cache(maxsize=4096)
def long_date(value: date, language: str = "en") -> str:
    """Format a date in full: 18 December 2026, or in Welsh 18 Rhagfyr 2026."""
    return format_date(value, format="d MMMM y", locale=_LOCALES[language])


def month_and_year(value: date, language: str = "en") -> str:
    """A month as a letter names it: December 2027, or in Welsh Rhagfyr 2027."""
    return format_date(value, format="MMMM y", locale=_LOCALES[language])


def when_and_time(value: datetime, language: str = "en") -> str:
    """A date and time as a letter prints it: '2:30 pm on 18 December 2026' (Welsh: 14:30)."""
    if language == "cy":
        return f"{format_time(value, 'HH:mm', locale='cy')} ar {long_date(value.date(), 'cy')}"
    return f"{format_time(value, 'h:mm a', locale='en_GB')} on {long_date(value.date())}"
