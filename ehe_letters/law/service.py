"""Deemed service of letters, notices and orders (Interpretation Act 1978 s7, 1985 PD, CPR 6.26)."""

from __future__ import annotations

from datetime import date, time, timedelta
from enum import StrEnum

from ehe_letters.errors import InputError, LawError
from ehe_letters.law.calendar import (
    Nation,
    add_business_days,
    check_date,
    check_nation,
    is_business_day,
    next_business_day,
    on_or_after_business_day,
)
from ehe_letters.law.parameters import parameter


class ServiceMethod(StrEnum):
    """How a letter was delivered to the parent."""

    HAND = "hand"
    LEFT_AT_ADDRESS = "left-at-address"
    FIRST_CLASS_POST = "first-class-post"
    SECOND_CLASS_POST = "second-class-post"
    POST = "post"  # class not recorded: treated as second class (1985 PD para 4)
    EMAIL = "email"


def service_method(method: ServiceMethod | str) -> ServiceMethod:
    """Return the ServiceMethod for a method name, or raise InputError for an unknown one."""
    try:
        return ServiceMethod(method)
    except ValueError:
        known = ", ".join(m.value for m in ServiceMethod)
        raise InputError(f"unknown service method {method!r}; use one of: {known}") from None


def _rules(sent: date, method: ServiceMethod) -> dict:
    return parameter("deemed_service", sent)[method.value]


def practice_direction_date(sent: date, method: ServiceMethod | str, nation: Nation) -> date:
    """Return the 1985 Practice Direction deemed delivery date of a posted letter.

    [S/NV] First class: 2nd working day after posting; second class or class not recorded:
    4th working day after posting (PD para 4 treats an unrecorded class as second class).
    """
    rule = _rules(sent, service_method(method))
    if rule["rule"] != "business-days-after":
        raise InputError(f"{method} is not a postal method")
    return add_business_days(sent, int(rule["business_days"]), nation)


def cpr_6_26_date(sent: date, nation: Nation) -> date:
    """Return the CPR 6.26 first-class date: 2nd day after posting, or the next business day."""
    days = int(_rules(sent, ServiceMethod.FIRST_CLASS_POST)["cpr_6_26_days"])
    return on_or_after_business_day(sent + timedelta(days=days), nation)


def deemed_service_date(
    sent: date,
    method: ServiceMethod | str,
    nation: Nation = "england",
    statutory: bool | None = None,
    *,
    delivered_at: time | None = None,
) -> date:
    """Return the date on which a letter is deemed served on the parent.

    [NV] No verified rule says which deeming rule applies to EA 1996 notices; the conservative
    reading, which never shortens the parent's time, is used:
    - hand (and e-mail for informal letters): that day if it is a business day, else the next
      business day; a recorded `delivered_at` at or after 16:30 moves it to the next business
      day;
    - left-at-address: the next business day after the day it was left (CrimPR r 4.11);
    - first-class-post: the later of the 1985 PD date (2nd business day after posting) and the
      CPR 6.26 date (2nd day after posting, or the next business day);
    - second-class-post and post (class not recorded): 4th business day after posting.
    E-mail is refused as service of a statutory letter (`statutory` true: a fact of the letter,
    from its metadata) or of a letter not known to be informal (`statutory` None): a courtesy
    copy may be recorded, never as service.
    """
    check_date(sent, "sending date")
    check_nation(nation)
    method = service_method(method)
    if delivered_at is not None and not isinstance(delivered_at, time):
        raise InputError(f"delivery time must be a time of day (HH:MM), not {delivered_at!r}")
    rule = _rules(sent, method)
    if method is ServiceMethod.EMAIL and not rule.get("statutory_service", False):
        if statutory is not False:
            what = "a statutory notice" if statutory else "a letter not identified as informal"
            raise LawError(
                f"e-mail is not service of {what}: no verified rule allows e-mail service of "
                "EA 1996 notices or orders (s572 [NV]); serve on paper, an e-mail copy is a "
                "courtesy only"
            )
    if rule["rule"] == "same-business-day":
        cutoff = time.fromisoformat(str(rule["cutoff"]))
        if delivered_at is not None and delivered_at >= cutoff and is_business_day(sent, nation):
            return next_business_day(sent, nation)
        return on_or_after_business_day(sent, nation)
    if rule["rule"] == "next-business-day":
        return next_business_day(sent, nation)
    deemed = practice_direction_date(sent, method, nation)
    if method is ServiceMethod.FIRST_CLASS_POST:
        deemed = max(deemed, cpr_6_26_date(sent, nation))
    return deemed
