"""Statutory periods and the deadline result."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ehe_letters.errors import InputError, LawError
from ehe_letters.law import (
    ServiceMethod,
    compute_deadline,
    earliest_deadline,
    minimum_period,
    notice_deadline,
)


def test_earliest_deadline_counts_service_day_as_day_one() -> None:
    assert earliest_deadline(date(2026, 12, 1)) == date(2026, 12, 15)
    assert earliest_deadline(date(2026, 12, 1), 21) == date(2026, 12, 21)
    assert earliest_deadline(date(2026, 12, 1), 1) == date(2026, 12, 1)


def test_minimum_periods() -> None:
    assert minimum_period("s437_minimum_period", date(2026, 11, 26)) == 15
    assert minimum_period("s438_selection_period", date(2026, 11, 26)) == 15
    with pytest.raises(InputError, match="no statutory response period"):
        minimum_period("deemed_service", date(2026, 11, 26))


def test_notice_deadline_moves_off_bank_holiday() -> None:
    # deemed served Mon 15 Mar 2027; day 15 is Easter Monday 29 Mar
    assert notice_deadline("s437_minimum_period", date(2027, 3, 15), "england") == date(2027, 3, 30)


def test_notice_deadline_period_checks() -> None:
    served = date(2026, 12, 1)
    assert notice_deadline("s438_selection_period", served, "wales", 15) == date(2026, 12, 15)
    assert notice_deadline("s437_minimum_period", served, "england", 28) == date(2026, 12, 29)
    with pytest.raises(LawError, match=r"Education Act 1996, s437\(2\) requires at least 15 days"):
        notice_deadline("s437_minimum_period", served, "england", 14)
    with pytest.raises(LawError, match=r"s438\(3\)"):
        notice_deadline("s438_selection_period", served, "england", 1)
    for bad in (0, -3, 15.0, True):
        with pytest.raises(InputError):
            notice_deadline("s437_minimum_period", served, "england", bad)  # type: ignore[arg-type]


def test_notice_deadline_uses_period_in_force_on_letter_date() -> None:
    with pytest.raises(LawError, match="data starts on 1996-11-01"):
        notice_deadline(
            "s437_minimum_period", date(1996, 10, 14), "england", letter_date=date(1996, 10, 10)
        )


def test_letter_date_after_service_is_refused() -> None:
    with pytest.raises(InputError, match="after the deemed service date"):
        notice_deadline(
            "s437_minimum_period", date(2026, 12, 1), "england", letter_date=date(2026, 12, 2)
        )


def test_compute_deadline_result_and_json() -> None:
    result = compute_deadline(
        "s437_minimum_period", date(2026, 12, 24), "first-class-post", "wales"
    )
    assert result.method is ServiceMethod.FIRST_CLASS_POST
    assert result.period_days == 15
    assert result.deemed_served == date(2026, 12, 30)
    assert result.earliest_deadline == date(2027, 1, 13)
    assert result.deadline == date(2027, 1, 13)
    data = result.as_json()
    assert json.loads(json.dumps(data)) == data
    assert data["sent"] == "2026-12-24"
    assert data["deemed_served"] == "2026-12-30"
    assert data["deadline"] == "2027-01-13"
    assert data["method"] == "first-class-post"
    assert data["nation"] == "wales"
    assert any("s437(2)" in ref for ref in data["references"])
    assert any("1985" in ref for ref in data["references"])


def test_compute_deadline_longer_period() -> None:
    result = compute_deadline("s437_minimum_period", date(2026, 11, 30), "hand", period_days=21)
    assert result.period_days == 21 and result.minimum_days == 15
    assert result.earliest_deadline == date(2026, 12, 14)  # the statutory minimum's end
    assert result.period_end == date(2026, 12, 20)  # a Sunday
    assert result.deadline == date(2026, 12, 21)


def test_compute_deadline_bad_inputs() -> None:
    with pytest.raises(InputError, match="no statutory response period"):
        compute_deadline("policy_periods", date(2026, 12, 1), "hand")
    with pytest.raises(InputError, match="nation"):
        compute_deadline("s437_minimum_period", date(2026, 12, 1), "hand", "scotland")  # type: ignore[arg-type]
    with pytest.raises(LawError, match="e-mail"):
        compute_deadline("s438_selection_period", date(2026, 12, 1), "email")
