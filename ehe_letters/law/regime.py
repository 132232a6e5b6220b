"""Which statutory regime governs a letter: Education Act 1996 or the commenced CWSA 2026."""

from __future__ import annotations

from datetime import date

from ehe_letters.errors import LawError
from ehe_letters.law.calendar import Nation, check_date, check_nation
from ehe_letters.law.parameters import parameter, parameter_spec

EA1996 = "EA1996"
CWSA2026 = "CWSA2026"


def cwsa2026_commencement(on: date, nation: Nation = "england") -> date | None:
    """Return the configured CWSA 2026 Part 2 commencement date for a nation, or None.

    [NV] Commencement status is unverified; the conservative reading is "not commenced" until a
    date is configured in cwsa2026_commencement.yaml.
    """
    check_date(on, "letter date")
    check_nation(nation)
    first = next(iter(parameter_spec("cwsa2026_commencement")["values"]))
    if on < first:
        return None  # before Royal Assent
    value = parameter("cwsa2026_commencement", on).get(nation)
    if value is not None and (isinstance(value, bool) or not isinstance(value, date)):
        raise LawError(f"cwsa2026_commencement for {nation} must be a date or null, not {value!r}")
    return value


def regime_on(letter_date: date, nation: Nation = "england") -> str:
    """Return "EA1996" or, once commencement is configured on or before the date, "CWSA2026".

    [NV] Transitional provisions are unverified; a letter dated on or after a configured
    commencement date is treated as under the new regime.
    """
    commenced = cwsa2026_commencement(letter_date, nation)
    return CWSA2026 if commenced is not None and commenced <= letter_date else EA1996
