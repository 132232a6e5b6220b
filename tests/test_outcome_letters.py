"""The letters that follow a step (issue 12): each is refused, naming its rule, until the step is
recorded; each outcome reads the decision recorded; the child's views are taken into account
without being quoted, and the reason for home education is never printed."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import example_case

from ehe_letters.docx.text import docx_text
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile

WHEN = date(2026, 12, 1)


def _text(data: dict, letter: str, when: date = WHEN) -> list[str]:
    return [docx_text(r.data) for r in render_letter(letter, CaseFile.model_validate(data), when)]


# Each letter, a change that removes the step it depends on, and the rule that refuses it.
REFUSED = [
    ("education-appears-suitable", lambda d: d["case"]["history"].pop(2), "EHE140"),
    ("s437-decision", lambda d: d["case"]["history"].pop(5), "EHE142"),
    ("s437-decision", lambda d: d["case"]["history"].pop(3), "EHE141"),
    ("sao-revocation-decision", lambda d: d["case"]["history"].pop(7), "EHE144"),
    ("sao-amendment", lambda d: d["case"]["history"].pop(6), "EHE147"),
    ("sao-amendment", lambda d: d["case"]["history"].pop(5), "EHE146"),
    ("sao-non-compliance", lambda d: d["case"]["history"].pop(5), "EHE148"),
]


@pytest.mark.parametrize(("letter", "change", "code"), REFUSED)
def test_refused_until_the_step_is_recorded(cli, write_case, tmp_path, letter, change, code):
    data = example_case(letter)
    change(data)
    out = tmp_path / "out"
    result = cli("render", letter, write_case(data), "-o", out, "--date", "2026-12-01")
    assert result.code == 1
    assert f"{code} refused" in result.err
    assert not out.exists()


def test_s437_decision_refused_before_the_period_ends_for_that_parent(cli, write_case, tmp_path):
    data = example_case("s437-decision")
    data["case"]["history"][3]["date"] = "2026-11-09"  # the father's notice posted later
    data["case"]["history"][3]["deadline"] = "2026-12-02"
    result = cli("render", "s437-decision", write_case(data), "-o", tmp_path / "o")
    assert result.code == 1
    assert "case.parents[1]: " in result.err and "EHE141 refused" in result.err
    assert "case.parents[0]: the period" not in result.err
    chosen = cli("render", "s437-decision", write_case(data), "-o", tmp_path / "p", "--parent", "0")
    assert chosen.code == 0, chosen.err


def test_s437_decision_satisfied_closes_the_notice():
    data = example_case("s437-decision")
    data["case"]["history"][5] = {"type": "decision", "date": "2026-11-24", "outcome": "satisfied"}
    text = _text(data, "s437-decision")[0]
    assert "Westmere Borough Council is satisfied that Callum Hurst is receiving suitable" in text
    assert "no further action under section 437" in text
    assert "school attendance order" not in text


def test_s437_decision_plan_route_and_not_expedient():
    data = example_case("s437-decision")
    data["case"]["children"][0]["has_ehc_plan"] = True
    text = _text(data, "s437-decision")[0]
    assert "the order will name the school named in the plan (section 441" in text
    assert "section 438" not in text
    data["case"]["history"][5]["expedient"] = False
    text = _text(data, "s437-decision")[0]
    assert "We do not at present consider it expedient" in text


def test_revocation_granted_in_england_and_refused_in_wales():
    data = example_case("sao-revocation-decision")
    text = _text(data, "sao-revocation-decision")[0]
    assert "refer the question to the Welsh Ministers" in text
    assert "Secretary of State" not in text
    data["case"]["history"][7]["outcome"] = "revoked"
    data["case"]["inputs"]["sao_revocation_decision"]["reasons"] = []
    text = _text(data, "sao-revocation-decision")[0]
    assert "revokes the school attendance order for Elis Morgan-Rees" in text
    assert "The order no longer has effect." in text
    assert "refer the question" not in text


def test_revocation_goes_to_the_parent_who_applied_only():
    data = example_case("sao-revocation-decision")
    data["case"]["parents"].append(
        {
            "given_names": "Non",
            "family_name": "Morgan",
            "address": {"lines": ["3 Stryd y Bont"], "town": "Glanmor", "postcode": "SA72 1AB"},
        }
    )
    results = render_letter("sao-revocation-decision", CaseFile.model_validate(data), WHEN)
    assert [r.job.parent_indexes for r in results] == [(0,)]


def test_views_taken_into_account_never_quoted_and_reason_never_printed():
    data = example_case("education-appears-suitable")
    views = data["case"]["children"][0]["views"]
    text = _text(data, "education-appears-suitable")[0]
    assert "taken into account what Maya told us" in text
    assert views not in text
    assert "philosophical" not in text.lower()
    del data["case"]["children"][0]["views"]
    assert "told us" not in _text(data, "education-appears-suitable")[0]


def test_child_invited_in_words_suited_to_age():
    data = example_case("welcome")
    assert "a note, an e-mail or a short chat" in _text(data, "welcome")[0]
    data["case"]["children"][0]["date_of_birth"] = "2019-02-01"  # 7 on the letter date
    text = _text(data, "welcome")[0]
    assert "a drawing or a few words you write down together" in text
    assert "never a condition" in text


def test_reason_must_be_a_category_of_the_nation(cli, write_case, tmp_path):
    data = example_case("welcome")  # a Welsh authority
    data["case"]["children"][0]["reason_for_home_education"] = "philosophical-or-preferential"
    result = cli("render", "welcome", write_case(data), "-o", tmp_path / "o")
    assert result.code == 2
    assert "case.children[0].reason_for_home_education" in result.err
    data["case"]["children"][0]["reason_for_home_education"] = "philosophical-or-lifestyle"
    assert cli("render", "welcome", write_case(data), "-o", tmp_path / "p").code == 0


def test_non_compliance_refused_while_a_revocation_awaits_a_decision(cli, write_case, tmp_path):
    data = example_case("sao-non-compliance")
    data["case"]["history"].append(
        {"type": "revocation-requested", "date": "2026-11-20", "parent": 0}
    )
    result = cli("render", "sao-non-compliance", write_case(data), "-o", tmp_path / "o")
    assert result.code == 1 and "EHE149 refused" in result.err


def test_amendment_recites_the_school_it_replaces():
    text = _text(example_case("sao-amendment"), "sao-amendment")[0]
    assert "It currently names Harbour Academy." in text
    assert "by substituting Westmere Park School" in text
    assert "From 1 December 2026, the order requires you" in text
