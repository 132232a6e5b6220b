"""Legal parameters: file structure, dated lookup, references."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ehe_letters.errors import InputError, LawError
from ehe_letters.law import parameter, parameter_names, parameter_reference, parameter_spec

REQUIRED = {
    "s437_minimum_period",
    "s438_selection_period",
    "csa_prescribed_days",
    "school_leaving_date_rule",
    "deemed_service",
    "policy_periods",
    "calendar_coverage",
    "cwsa2026_commencement",
}


def test_required_parameters_exist() -> None:
    assert REQUIRED <= set(parameter_names())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_parameter_file_is_complete(name: str) -> None:
    spec = parameter_spec(name)
    assert spec["description"].strip()
    assert spec["verified"] in {"[P]", "[S]", "[NV]"}
    assert date(2026, 11, 26) <= spec["last_value_still_valid_on"] <= date.today()  # checked
    if spec["verified"] != "[P]":
        assert spec["conservative_reading"].strip()
    if spec["kind"] == "law":
        assert any("legislation.gov.uk" in ref["href"] for ref in spec["reference"])
    assert all(type(key) is date for key in spec["values"])


def test_s437_minimum_period_in_force() -> None:
    assert parameter("s437_minimum_period", date(1996, 11, 1)) == 15
    assert parameter("s437_minimum_period", date(2026, 11, 26)) == 15
    assert parameter("s438_selection_period", date(2026, 11, 26)) == 15


def test_datetime_is_read_as_its_date() -> None:
    assert parameter("s437_minimum_period", datetime(2026, 11, 26, 9, 30)) == 15


def test_date_before_first_entry_is_refused() -> None:
    with pytest.raises(LawError, match="data starts on 1996-11-01"):
        parameter("s437_minimum_period", date(1996, 10, 31))


def test_unknown_parameter_is_input_error() -> None:
    with pytest.raises(InputError, match="unknown legal parameter"):
        parameter("s999_period", date(2026, 1, 1))
    with pytest.raises(InputError):
        parameter("../errors", date(2026, 1, 1))


def test_returned_values_cannot_corrupt_the_data() -> None:
    parameter("policy_periods", date(2026, 1, 1))["welcome_reply_days"] = 1
    assert parameter("policy_periods", date(2026, 1, 1))["welcome_reply_days"] == 28


def test_policy_periods_are_marked_as_policy() -> None:
    spec = parameter_spec("policy_periods")
    assert spec["kind"] == "policy"
    assert parameter("policy_periods", date(2026, 11, 26)) == {
        "information_request_reply_days": 28,
        "concern_reply_business_days": 15,
        "welcome_reply_days": 28,
        "s437_period_days": 21,
        "sao_register_days": 15,
        "non_compliance_reply_business_days": 10,
        "next_contact_months": 12,
    }


def test_reference_text_names_section_url_and_marker() -> None:
    text = parameter_reference("s437_minimum_period")
    assert "Education Act 1996, s437(2)" in text
    assert "https://www.legislation.gov.uk/ukpga/1996/56/section/437" in text
    assert text.endswith("[P]")
    assert parameter_reference("s438_selection_period").endswith("[NV]")
