"""The dates informal letters and letters after a step name: the date a reply is asked for, and
the month the authority may next be in touch.  Policy, not law (law/parameters/
policy_periods.yaml, or the authority's own authority.policy); never a day the office is closed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.language import month_and_year
from ehe_letters.letters.notice_dates import closures_of
from ehe_letters.models import Authority, Case

__all__ = ["next_contact", "reply_by"]


def reply_by(letter: Letter, case: Case, letter_date: date, authority: Authority) -> date:
    """The date an informal letter asks for a reply by: given in the inputs, else policy; never
    a day the authority's office is closed (authority.closures)."""
    own = getattr(case.inputs, letter.inputs, None) if letter.inputs else None
    given = getattr(own, "reply_by", None)
    closures = closures_of(authority)
    if given is not None:
        if given <= letter_date:
            raise InputError(
                f"case.inputs.{letter.inputs}.reply_by: {given.isoformat()} is not after the "
                f"letter date {letter_date.isoformat()}"
            )
        for index, (first, last) in enumerate(closures):
            if first <= given <= last:
                raise InputError(
                    f"case.inputs.{letter.inputs}.reply_by: {given.isoformat()} falls while the "
                    f"office is closed (authority.closures[{index}]); choose a later date"
                )
        return given
    return _policy_reply_by(letter.id, letter_date, authority.nation, closures)


# Letters whose policy reply date is a number of business days after the letter date.
_BUSINESS_DAYS_TO_REPLY = {
    "concern-notification": "concern_reply_business_days",
    "sao-non-compliance": "non_compliance_reply_business_days",
}


@lru_cache(maxsize=256)
def _policy_reply_by(
    letter_id: str, letter_date: date, nation: str, closures: law.Closures = ()
) -> date:
    """The policy reply date for a letter dated on a day (the same for a whole mailing)."""
    policy = law.parameter("policy_periods", letter_date)
    if letter_id in _BUSINESS_DAYS_TO_REPLY:
        days = policy[_BUSINESS_DAYS_TO_REPLY[letter_id]]
        day = law.add_business_days(letter_date, days, nation)
    else:
        key = "welcome_reply_days" if letter_id == "welcome" else "information_request_reply_days"
        day = letter_date + timedelta(days=policy[key])
    return law.on_or_after_business_day(day, nation, closures)


def next_contact(
    given: date | None, authority: Authority, letter_date: date, language: str = "en"
) -> str:
    """The month we may next get in touch ("December 2027", in Welsh "Rhagfyr 2027"): the date
    given, else the letter date plus the authority's policy (authority.policy.
    next_contact_months, default 12)."""
    if given is None:
        months = getattr(authority.policy, "next_contact_months", None) or int(
            law.parameter("policy_periods", letter_date)["next_contact_months"]
        )
        year, month = divmod(letter_date.month - 1 + months, 12)
        given = date(letter_date.year + year, month + 1, 1)
    return month_and_year(given, language)
