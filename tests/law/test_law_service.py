"""Deemed service by method."""

from __future__ import annotations

from datetime import date, time

import pytest

from ehe_letters.errors import InputError, LawError
from ehe_letters.law import (
    ServiceMethod,
    cpr_6_26_date,
    deemed_service_date,
    practice_direction_date,
)
from ehe_letters.letters.catalogue import all_letters

FRIDAY = date(2026, 11, 27)


def test_method_values() -> None:
    assert [m.value for m in ServiceMethod] == [
        "hand",
        "left-at-address",
        "first-class-post",
        "second-class-post",
        "post",
        "email",
    ]
    assert ServiceMethod("post") is ServiceMethod.POST


def test_first_class_takes_the_later_of_pd_and_cpr() -> None:
    assert practice_direction_date(FRIDAY, "first-class-post", "england") == date(2026, 12, 1)
    assert cpr_6_26_date(FRIDAY, "england") == date(2026, 11, 30)
    assert deemed_service_date(FRIDAY, ServiceMethod.FIRST_CLASS_POST) == date(2026, 12, 1)


def test_cpr_date_rolls_to_business_day() -> None:
    # posted Wed 23 Dec 2026: 2nd day is Christmas Day, next business day Tue 29 Dec
    assert cpr_6_26_date(date(2026, 12, 23), "wales") == date(2026, 12, 29)
    assert deemed_service_date(date(2026, 12, 23), "first-class-post", "wales") == date(
        2026, 12, 29
    )


@pytest.mark.parametrize("method", ["second-class-post", "post"])
def test_second_class_and_unknown_class(method: str) -> None:
    assert deemed_service_date(FRIDAY, method) == date(2026, 12, 3)


def test_left_at_address_is_served_the_next_business_day() -> None:
    # CrimPR r 4.11: "served on the next business day after the day on which it was left"
    method = "left-at-address"
    assert deemed_service_date(date(2026, 12, 1), method) == date(2026, 12, 2)  # Tue -> Wed
    assert deemed_service_date(date(2026, 12, 18), method) == date(2026, 12, 21)  # Fri -> Mon
    assert deemed_service_date(date(2026, 11, 28), method) == date(2026, 11, 30)  # Sat -> Mon
    assert deemed_service_date(date(2026, 12, 24), method, "wales") == date(2026, 12, 29)
    early = deemed_service_date(date(2026, 12, 1), method, delivered_at=time(9))
    assert early == date(2026, 12, 2)  # however early it was left


@pytest.mark.parametrize("method", ["hand"])
def test_hand_delivery(method: str) -> None:
    assert deemed_service_date(date(2026, 12, 1), method) == date(2026, 12, 1)
    assert deemed_service_date(date(2026, 11, 28), method) == date(2026, 11, 30)
    assert deemed_service_date(date(2026, 12, 25), method, "wales") == date(2026, 12, 29)
    late = deemed_service_date(date(2026, 12, 1), method, delivered_at=time(16, 30))
    assert late == date(2026, 12, 2)
    early = deemed_service_date(date(2026, 12, 1), method, delivered_at=time(16, 29))
    assert early == date(2026, 12, 1)
    # a late delivery on a non-business day is still the next business day, not one more
    assert deemed_service_date(date(2026, 11, 28), method, delivered_at=time(18)) == date(
        2026, 11, 30
    )


def test_email_refused_for_statutory_letters() -> None:
    with pytest.raises(LawError, match="courtesy"):
        deemed_service_date(date(2026, 12, 1), "email", "england", statutory=True)


def test_email_refused_for_unidentified_letter() -> None:
    with pytest.raises(LawError):
        deemed_service_date(date(2026, 12, 1), "email")


def test_email_allowed_for_informal_letters() -> None:
    assert deemed_service_date(date(2026, 12, 1), "email", "england", statutory=False) == date(
        2026, 12, 1
    )
    assert deemed_service_date(date(2026, 12, 26), "email", "wales", statutory=False) == date(
        2026, 12, 29
    )


def test_statutory_letters_are_known_from_their_metadata() -> None:
    statutory = {letter.id for letter in all_letters() if letter.statutory}
    # the notices served on parents, and the two the Act requires of the authority towards a
    # school (s437(5), s439): signed with delegated authority, refused under another regime
    assert statutory == {
        "s437-notice",
        "sao-intention",
        "school-attendance-order",
        # issue 12: formal decisions and the amended order, signed with delegated authority
        "s437-decision",
        "sao-revocation-decision",
        "sao-amendment",
        "sao-non-compliance",
        "governing-body-notice",
        "s439-consultation",
    }


def test_bad_inputs() -> None:
    with pytest.raises(InputError, match="unknown service method"):
        deemed_service_date(FRIDAY, "pigeon")
    with pytest.raises(InputError, match="time of day"):
        deemed_service_date(FRIDAY, "hand", delivered_at="17:00")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not a postal method"):
        practice_direction_date(FRIDAY, "hand", "england")
