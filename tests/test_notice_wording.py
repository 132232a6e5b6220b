"""What a s437 notice says of its period and of the next step, for the parent it is served on."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLES, example_case

from ehe_letters.docx.text import docx_text
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile
from ehe_letters.models.loading import read_data

WHEN = date(2026, 12, 1)


def _text(data: dict) -> str:
    letters = render_letter("s437-notice", CaseFile.model_validate(data), WHEN)
    return docx_text(letters[0].data)


def test_the_period_is_stated_as_it_is_with_the_statutory_minimum():
    text = _text(example_case("s437-notice"))  # 21 days, first class on Tuesday 1 December
    assert (
        "The period specified in this notice ends on 23 December 2026: it is 21 days, beginning "
        "with the day on which the notice is served. Section 437(2) requires at least 15 days."
    ) in text
    assert "not less than 21 days" not in text


def test_a_period_moved_off_a_weekend_states_the_days_to_the_date_named():
    data = example_case("s437-notice")
    data["case"]["inputs"]["s437"]["period_days"] = 17  # would end on Saturday 19 December
    text = _text(data)
    assert "ends on 21 December 2026: it is 19 days" in text


def test_without_a_plan_the_next_step_is_a_s438_notice_and_a_choice_of_school():
    text = _text(example_case("s437-notice"))
    assert "notice of our intention (section 438 of the Education Act 1996)" in text
    assert "at least 15 days to tell us that you have chosen one of the schools" in text


@pytest.mark.parametrize(
    ("nation", "plan_names_school", "plan_route"),
    [
        ("england", None, True),  # England: any EHC plan (s441)
        ("england", "Westmere Park Academy", True),
        ("wales", "Ysgol y Bryn", True),  # Wales: an IDP naming a school (s441A)
        ("wales", None, False),
    ],
)
def test_a_child_with_a_plan_is_promised_no_15_day_choice(nation, plan_names_school, plan_route):
    data = example_case("s437-notice")
    if nation == "wales":
        data["authority"] = read_data(EXAMPLES / "authority-wales.yaml")
        for parent in data["case"]["parents"]:  # the English wording (Welsh: test_welsh.py)
            parent["preferred_language"] = "en"
    child = data["case"]["children"][0]
    child["has_ehc_plan"] = True
    if plan_names_school:
        child["plan_names_school"] = plan_names_school
    text = _text(data)
    plan = "EHC plan" if nation == "england" else "IDP"
    section = "section 441 " if nation == "england" else "section 441A "
    said = f"has an {plan}, the order would name the school named in the plan ({section}"
    assert (said in text) == plan_route
    assert ("15 days to tell us" in text) != plan_route
    assert "choose a different school" not in text


def _order_text(school_type: str, informed: bool = False) -> str:
    data = example_case("school-attendance-order")
    data["case"]["inputs"]["school_attendance_order"]["school"]["type"] = school_type
    if informed:
        name = data["case"]["inputs"]["school_attendance_order"]["school"]["name"]
        event = {"type": "school-informed", "date": "2026-12-01", "school": name}
        data["case"]["history"].append(event)
    letters = render_letter("school-attendance-order", CaseFile.model_validate(data), WHEN)
    return docx_text(letters[0].data)


def test_an_academy_named_in_an_order_is_not_called_maintained():
    text = _order_text("academy")
    assert "is a maintained school" not in text
    assert "The school is an Academy. It is not a maintained school" in text
    assert "We have informed" not in text


def test_a_maintained_school_is_said_to_be_informed_only_when_that_is_recorded():
    assert "The school is a maintained school: its governing body must admit" in _order_text(
        "community"
    )
    assert "We have informed" not in _order_text("voluntary-aided")
    assert "We have informed its governing body and head teacher of this order" in _order_text(
        "foundation", informed=True
    )
    assert "is a maintained school" not in _order_text("independent")


def test_a_school_without_a_type_is_one_line_naming_the_field(cli, tmp_path, write_case):
    data = example_case("school-attendance-order")
    del data["case"]["inputs"]["school_attendance_order"]["school"]["type"]
    result = cli("render", "school-attendance-order", write_case(data), "-o", tmp_path / "o")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"error: {tmp_path / 'case.yaml'}: "
        "case.inputs.school_attendance_order.school.type: Field required"
    ]
    assert not (tmp_path / "o").exists()


def test_an_order_recites_each_notice_as_sent_and_treated_as_served():
    text = _order_text("academy")
    assert (
        "A notice under section 437(1) of the Education Act 1996 was sent to you by first class "
        "post on 1 June 2026 and treated as served on you on 3 June 2026"
    ) in text
    assert (
        "A notice of our intention to serve this order was sent to you by first class post on "
        "5 October 2026 and treated as served on you on 7 October 2026."
    ) in text


def test_a_notice_served_without_a_recorded_method_is_one_line_naming_it(cli, tmp_path, write_case):
    data = example_case("school-attendance-order")
    index, event = next(
        (i, e) for i, e in enumerate(data["case"]["history"]) if e.get("letter") == "s437-notice"
    )
    del event["method"]
    result = cli("render", "school-attendance-order", write_case(data), "-o", tmp_path / "o")
    assert result.code == 2
    assert result.err.startswith(f"error: case.history[{index}].method: record how the s437-notice")
    assert len(result.err.strip().splitlines()) == 1


def test_a_recorded_time_of_hand_delivery_after_the_cut_off_moves_service_a_day():
    data = example_case("school-attendance-order")
    event = next(e for e in data["case"]["history"] if e.get("letter") == "s437-notice")
    event.update({"method": "hand", "time": "17:05"})  # Monday 1 June 2026, after 16:30
    letters = render_letter("school-attendance-order", CaseFile.model_validate(data), WHEN)
    text = docx_text(letters[0].data)
    assert "was given to you by hand on 1 June 2026 and treated as served on you on 2 June" in text
