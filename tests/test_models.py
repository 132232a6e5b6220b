"""Validation of case data: good data passes, bad data fails naming the field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import example_case
from pydantic import ValidationError

from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.models import CaseFile, PostalAddress


def test_every_example_case_validates():
    for name in LETTER_IDS:
        CaseFile.model_validate(example_case(name))


@pytest.mark.parametrize(
    "postcode, expected",
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("WM1 4AB", "WM1 4AB"),
        ("  m1 1ae ", "M1 1AE"),
        ("CF10 1AA", "CF10 1AA"),
    ],
)
def test_postcodes_are_normalised(postcode, expected):
    address = PostalAddress(lines=["1 High Street"], town="Town", postcode=postcode)
    assert address.postcode == expected


@pytest.mark.parametrize("postcode", ["12345", "QQ1 1AA", "SW1A", "W1 1CC", ""])
def test_bad_postcodes_are_refused(postcode):
    with pytest.raises(ValidationError, match="postcode"):
        PostalAddress(lines=["1 High Street"], town="Town", postcode=postcode)


def _errors(data: dict) -> list[tuple]:
    with pytest.raises(ValidationError) as info:
        CaseFile.model_validate(data)
    return [tuple(e["loc"]) for e in info.value.errors()]


def test_date_of_birth_must_be_in_the_past():
    data = example_case("welcome")
    data["case"]["children"][0]["date_of_birth"] = (date.today() + timedelta(days=1)).isoformat()
    assert ("case", "children", 0, "date_of_birth") in _errors(data)


def test_impossible_dates_are_refused():
    data = example_case("welcome")
    data["case"]["children"][0]["date_of_birth"] = "2016-02-30"
    assert ("case", "children", 0, "date_of_birth") in _errors(data)


def test_email_must_be_an_email_address():
    data = example_case("information-request")
    data["case"]["parents"][0]["email"] = "not-an-address"
    assert ("case", "parents", 0, "email") in _errors(data)


def test_unknown_fields_are_refused():
    data = example_case("welcome")
    data["case"]["children"][0]["shoe_size"] = 4
    assert ("case", "children", 0, "shoe_size") in _errors(data)


def test_parent_address_is_required():
    data = example_case("welcome")
    del data["case"]["parents"][1]["address"]
    assert ("case", "parents", 1, "address") in _errors(data)


def test_s437_period_must_be_a_positive_number_of_days():
    data = example_case("s437-notice")
    data["case"]["inputs"]["s437"]["period_days"] = 0  # under 15 is refused by rule EHE106
    assert ("case", "inputs", "s437", "period_days") in _errors(data)


def test_history_may_not_point_at_a_missing_parent():
    data = example_case("sao-intention")
    data["case"]["history"][2]["parent"] = 5
    assert ("case",) in _errors(data)
