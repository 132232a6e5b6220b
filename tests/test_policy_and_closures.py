"""The authority's own periods (authority.policy) and office closures (authority.closures)."""

from __future__ import annotations

from conftest import EXAMPLES, example_case

from ehe_letters.docx.text import docx_text
from ehe_letters.models.loading import read_data

CHRISTMAS = {"from": "2026-12-24", "to": "2027-01-01", "note": "Christmas closure"}


def _render_text(cli, tmp_path, write_case, data, letter, when="2026-12-01"):
    out = tmp_path / "out"
    result = cli("render", letter, write_case(data), "--date", when, "-o", out)
    assert result.code == 0, result.err
    return [docx_text(path.read_bytes()) for path in sorted(out.glob("*.docx"))], result


def test_a_s437_notice_without_a_period_gives_the_policy_21_days_and_no_warning(
    cli, tmp_path, write_case
):
    data = example_case("s437-notice")
    assert "period_days" not in data["case"]["inputs"]["s437"]
    texts, result = _render_text(cli, tmp_path, write_case, data, "s437-notice")
    # posted first class on Tuesday 1 December 2026: served Thursday 3 December; 21 days
    assert "ends on 23 December 2026: it is 21 days" in texts[0]
    assert "EHE107" not in result.err


def test_the_authority_s_own_policy_period_is_used(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["authority"]["policy"] = {"s437_period_days": 28}
    texts, _ = _render_text(cli, tmp_path, write_case, data, "s437-notice")
    assert "ends on 30 December 2026: it is 28 days" in texts[0]


def test_a_policy_period_below_15_days_is_refused_naming_the_field(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["authority"]["policy"] = {"s437_period_days": 14}
    result = cli("render", "s437-notice", write_case(data), "-o", tmp_path / "out")
    assert result.code == 2
    assert "authority.policy.s437_period_days" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_a_period_ending_in_a_closure_names_the_first_open_day_after_it(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["authority"]["closures"] = [CHRISTMAS]
    # posted first class on Tuesday 8 December: served Thursday 10 December; 21 days end on
    # Wednesday 30 December, while the office is closed: the notice names Monday 4 January 2027
    texts, _ = _render_text(cli, tmp_path, write_case, data, "s437-notice", "2026-12-08")
    assert "ends on 4 January 2027: it is 26 days" in texts[0]
    assert "30 December 2026" not in texts[0]


def test_an_informal_reply_date_never_falls_in_a_closure(cli, tmp_path, write_case):
    data = example_case("information-request")
    data["authority"]["closures"] = [CHRISTMAS]
    # 28 days after Friday 27 November 2026 is Friday 25 December: past the closure, 4 January
    texts, _ = _render_text(cli, tmp_path, write_case, data, "information-request", "2026-11-27")
    assert "by 4 January 2027" in texts[0]


def test_a_typed_reply_date_in_a_closure_is_one_line_naming_both(cli, tmp_path, write_case):
    data = example_case("concern-notification")
    data["authority"]["closures"] = [CHRISTMAS]
    data["case"]["inputs"]["concern"]["reply_by"] = "2026-12-29"
    result = cli("render", "concern-notification", write_case(data), "-o", tmp_path / "out")
    assert result.code == 2
    assert "case.inputs.concern.reply_by" in result.err and "authority.closures[0]" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_closure_ending_before_it_starts_is_refused(cli, tmp_path, write_case):
    data = example_case("welcome")
    data["authority"]["closures"] = [{"from": "2027-01-01", "to": "2026-12-24"}]
    result = cli("render", "welcome", write_case(data), "-o", tmp_path / "out")
    assert result.code == 2
    assert "authority.closures" in result.err


def test_an_order_names_the_policy_date_to_register_by(cli, tmp_path, write_case):
    data = example_case("school-attendance-order")
    assert "register_by" not in data["case"]["inputs"]["school_attendance_order"]
    texts, _ = _render_text(cli, tmp_path, write_case, data, "school-attendance-order")
    # handed over on Tuesday 1 December 2026: 15 days beginning with that day end on 15 December
    assert (
        "to become a registered pupil at Harbour Academy, Cliff Road, Westmere, WM1 8RB, by "
        "15 December 2026." in texts[0]
    )


def test_informal_letters_go_to_parents_living_with_the_child_unless_another_asks(
    cli, tmp_path, write_case
):
    data = example_case("concern-notification")
    texts, _ = _render_text(cli, tmp_path, write_case, data, "concern-notification")
    assert len(texts) == 2  # the father asked for them (receives_informal_letters)
    del data["case"]["parents"][1]["receives_informal_letters"]
    (tmp_path / "out").rename(tmp_path / "first")
    texts, _ = _render_text(cli, tmp_path, write_case, data, "concern-notification")
    assert len(texts) == 1 and "Hannah Marsh" in texts[0] and "Curtis Bell" not in texts[0]


def test_a_welsh_notice_quotes_s436a_3_as_it_applies_in_wales(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["authority"] = read_data(EXAMPLES / "authority-wales.yaml")
    data["authority"].pop("logo", None)
    for parent in data["case"]["parents"]:  # English letters (the Welsh ones: test_welsh.py)
        parent["preferred_language"] = "en"
    texts, _ = _render_text(cli, tmp_path, write_case, data, "s437-notice")
    assert (
        "means efficient full-time education … suitable to the child's age, ability and aptitude "
        "and to any additional learning needs the child may have (in the case of a local "
        "authority in Wales)" in texts[0]
    )
    assert "special educational needs" not in texts[0]


def test_a_welsh_enquiry_names_the_welsh_government_s_statutory_guidance(cli, tmp_path, write_case):
    data = example_case("information-request")
    data["authority"] = read_data(EXAMPLES / "authority-wales.yaml")
    data["authority"].pop("logo", None)
    for parent in data["case"]["parents"]:
        parent["preferred_language"] = "en"
    texts, _ = _render_text(cli, tmp_path, write_case, data, "information-request")
    assert "the Welsh Government's statutory guidance for local authorities" in texts[0]
    assert "Department for Education" not in texts[0]
