"""The `deadline` command, and `render` refusing unlawful notices."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, example_case


def test_deadline_json(cli):
    result = cli(
        "deadline", "s437-notice", "--sent", "2026-12-18", "--method", "first-class-post", "--json"
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["notice"] == "s437-notice" and data["method"] == "first-class-post"
    assert data["sent"] == "2026-12-18"
    assert data["deemed_served"] == "2026-12-22"  # Friday + 2 working days
    assert data["period_days"] == 15
    assert data["earliest_deadline"] == "2027-01-05"
    assert data["deadline"] == "2027-01-05"


def test_deadline_over_christmas_moves_off_the_bank_holiday(cli):
    # Served Monday 14 December 2026 by hand: day 15 is Monday 28 December, a substitute
    # bank holiday, so the date named moves to Tuesday 29 December.
    result = cli("deadline", "sao-intention", "--sent", "2026-12-14", "--method", "hand", "--json")
    data = json.loads(result.out)
    assert data["earliest_deadline"] == "2026-12-28"
    assert data["deadline"] == "2026-12-29"


def test_deadline_longer_period(cli):
    result = cli(
        "deadline",
        "s437-notice",
        "--sent",
        "2026-12-01",
        "--method",
        "hand",
        "--period",
        "21",
        "--json",
    )
    assert json.loads(result.out)["deadline"] == "2026-12-21"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sent", "2026-12-01", "--method", "hand", "--period", "14"], "at least 15 days"),
        (["--sent", "2026-02-30", "--method", "hand"], "not a real date"),
        (["--sent", "01/12/2026", "--method", "hand"], "YYYY-MM-DD"),
        (["--sent", "2026-12-01", "--method", "pigeon"], "unknown service method"),
        (["--sent", "2026-12-01", "--method", "email"], "e-mail"),
        (["--sent", "2026-12-01", "--method", "hand", "--nation", "scotland"], "england or wales"),
    ],
)
def test_deadline_refusals_exit_2_with_one_line_and_no_dates(cli, args, message):
    result = cli("deadline", "s437-notice", *args, "--json")
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""


def test_deadline_unknown_notice(cli):
    result = cli("deadline", "welcome", "--sent", "2026-12-01", "--method", "hand")
    assert result.code == 2 and "unknown notice" in result.err


def test_render_refuses_a_notice_for_a_child_past_school_age(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["case"]["children"][0]["date_of_birth"] = "2009-08-01"
    out = tmp_path / "out"
    result = cli("render", "s437-notice", write_case(data), "-o", out, "--date", "2026-12-01")
    assert result.code == 1
    assert "EHE101 refused" in result.err
    assert not out.exists()


def test_render_refuses_a_period_under_15_days(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["case"]["inputs"]["s437"]["period_days"] = 14
    out = tmp_path / "o"
    result = cli("render", "s437-notice", write_case(data), "-o", out, "--date", "2026-12-01")
    assert result.code == 1
    assert "EHE106 refused" in result.err and "at least 15 days" in result.err
    assert not out.exists()


def test_render_refuses_email_service(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["case"]["inputs"]["s437"]["service"]["method"] = "email"
    result = cli(
        "render", "s437-notice", write_case(data), "-o", tmp_path / "o", "--date", "2026-12-01"
    )
    assert result.code == 1 and "EHE104 refused" in result.err
    assert not (tmp_path / "o").exists()


def test_render_refuses_an_sao_before_the_s438_period_ends(cli, tmp_path):
    result = cli(
        "render",
        "school-attendance-order",
        EXAMPLES / "school-attendance-order.yaml",
        "-o",
        tmp_path / "o",
        "--date",
        "2026-10-15",
    )
    assert result.code == 1
    assert "EHE114 refused" in result.err and "allowed from" in result.err
    assert not (tmp_path / "o").exists()


def test_override_needs_a_reason_and_is_recorded(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    del data["case"]["history"][0]
    path = write_case(data)
    refused = cli("render", "s437-notice", path, "-o", tmp_path / "a", "--date", "2026-12-01")
    assert refused.code == 1 and "EHE110" in refused.err
    no_reason = cli(
        "render",
        "s437-notice",
        path,
        "-o",
        tmp_path / "b",
        "--date",
        "2026-12-01",
        "--override",
        "EHE110",
    )
    assert no_reason.code == 2 and "--reason" in no_reason.err
    ok = cli(
        "render",
        "s437-notice",
        path,
        "-o",
        tmp_path / "c",
        "--date",
        "2026-12-01",
        "--override",
        "EHE110",
        "--reason",
        "urgent: child not seen since March",
    )
    assert ok.code == 0
    assert "EHE110 warning: overridden (urgent: child not seen since March)" in ok.err


def test_only_overridable_rules_can_be_overridden(cli, tmp_path):
    result = cli(
        "render",
        "s437-notice",
        EXAMPLES / "s437-notice.yaml",
        "-o",
        tmp_path / "o",
        "--override",
        "EHE101",
        "--reason",
        "x",
    )
    assert result.code == 2 and "not overridable" in result.err


def test_warnings_are_printed_but_the_letter_is_produced(cli, tmp_path):
    result = cli(
        "render",
        "school-attendance-order",
        EXAMPLES / "school-attendance-order.yaml",
        "-o",
        tmp_path / "o",
        "--date",
        "2026-12-01",
    )
    assert result.code == 0
    assert "EHE118 warning" in result.err
    assert len(result.out.split()) == 1


def _produce(cli, tmp_path, letter="s437-notice"):
    result = cli(
        "render",
        letter,
        EXAMPLES / f"{letter}.yaml",
        "-o",
        tmp_path / "out",
        "--date",
        "2026-12-01",
    )
    assert result.code == 0, result.err
    return [p for p in result.out.split()]


def test_verify_accepts_an_untouched_letter(cli, tmp_path):
    for path in _produce(cli, tmp_path):
        result = cli("verify", path, EXAMPLES / "s437-notice.yaml")
        assert result.code == 0, result.out
        assert "verified" in result.out


def test_verify_fails_on_a_notice_whose_date_was_edited_by_hand(cli, tmp_path):
    from docx import Document

    path = _produce(cli, tmp_path)[0]
    doc = Document(path)
    edited = 0
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if "23 December 2026" in run.text:
                run.text = run.text.replace("23 December 2026", "30 December 2026")
                edited += 1
    assert edited
    doc.save(path)
    result = cli("verify", path, EXAMPLES / "s437-notice.yaml")
    assert result.code == 1
    assert "EHE204" in result.out and "VER001" in result.out
    assert "30 December" not in result.out  # line numbers only, no content


def test_verify_needs_a_letter_produced_by_the_toolkit(cli, tmp_path):
    from docx import Document

    path = tmp_path / "plain.docx"
    Document().save(path)
    result = cli("verify", path, EXAMPLES / "s437-notice.yaml")
    assert result.code == 2 and "no ehe-letters provenance" in result.err


def test_verify_refuses_the_wrong_case(cli, tmp_path):
    path = _produce(cli, tmp_path)[0]
    result = cli("verify", path, EXAMPLES / "welcome.yaml")
    assert result.code == 2 and "produced for case" in result.err
