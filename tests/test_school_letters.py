"""Letters addressed to a school: the school's address, no parent's data, refused until the step
they follow is recorded, and handled like any other letter by verify and batch."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import EXAMPLES, LETTER_DATE, example_case

from ehe_letters import law
from ehe_letters.docx.text import docx_text
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile
from ehe_letters.rules.lint_vars import context_type

SCHOOL_LETTERS = ("governing-body-notice", "s439-consultation", "school-off-rolling-challenge")
INPUTS = {
    "governing-body-notice": "governing_body_notice",
    "s439-consultation": "s439_consultation",
    "school-off-rolling-challenge": "off_rolling_challenge",
}


def _render(data: dict, letter_id: str):
    return render_letter(letter_id, CaseFile.model_validate(data), date(2026, 12, 1))


@pytest.mark.parametrize("letter_id", SCHOOL_LETTERS)
def test_addressed_to_the_school_with_no_parents_data(letter_id):
    data = example_case(letter_id)
    letters = _render(data, letter_id)
    assert len(letters) == 1 and letters[0].job.parent_indexes == ()
    text = docx_text(letters[0].data)
    school = data["case"]["inputs"][INPUTS[letter_id]]["school"]
    assert school["name"] in text and school["address"]["postcode"] in text
    assert school["head_teacher"]["family_name"] in text
    assert data["case"]["reference"] in text
    for parent in data["case"]["parents"]:
        assert parent["given_names"] not in text
        assert parent["address"]["postcode"] not in text
        assert parent["address"]["lines"][0] not in text


def test_only_the_notice_about_an_order_gives_the_date_of_birth():
    for letter_id in SCHOOL_LETTERS:
        shown = "date_of_birth" in context_type(get_letter(letter_id))["child"].fields
        assert shown == (letter_id == "governing-body-notice"), letter_id
        assert "parents" not in context_type(get_letter(letter_id))


def test_the_context_of_a_letter_to_a_school_holds_no_parent():
    letters = _render(example_case("s439-consultation"), "s439-consultation")
    context = letters[0].job.context
    assert "parents" not in context and "children" not in context
    assert set(context["case"]) == {"reference"}
    assert "date_of_birth" not in context["child"]
    assert context["child"]["year_group"] == "Year 6"


@pytest.mark.parametrize(
    ("letter_id", "change", "code"),
    [
        ("governing-body-notice", lambda d: d["case"]["history"].pop(5), "EHE150"),
        ("s439-consultation", lambda d: d["case"]["history"].pop(2), "EHE154"),
        (
            "school-off-rolling-challenge",
            lambda d: d["case"]["children"][0].update(school_last_attended="Another School"),
            "EHE157",
        ),
    ],
)
def test_refused_until_its_step_is_recorded(cli, write_case, tmp_path, letter_id, change, code):
    data = example_case(letter_id)
    change(data)
    target = tmp_path / "out.docx"
    result = cli("render", letter_id, write_case(data), "-o", target, "--date", LETTER_DATE)
    assert result.code == 1
    assert f"{code} refused" in result.err
    assert not target.exists()


def test_a_notice_to_a_governing_body_is_refused_for_an_independent_school(cli, write_case):
    data = example_case("governing-body-notice")
    data["case"]["inputs"]["governing_body_notice"]["school"]["type"] = "independent"
    result = cli("render", "governing-body-notice", write_case(data), "--date", LETTER_DATE)
    assert result.code == 1 and "EHE152 refused" in result.err


def test_an_academy_is_told_of_its_funding_agreement_not_s437_6():
    data = example_case("governing-body-notice")
    data["case"]["inputs"]["governing_body_notice"]["school"]["type"] = "academy"
    text = docx_text(_render(data, "governing-body-notice")[0].data)
    assert "funding agreement requires it to admit" in text
    assert "shall admit the child" not in text


def test_a_head_teacher_is_required(cli, write_case):
    data = example_case("s439-consultation")
    del data["case"]["inputs"]["s439_consultation"]["school"]["head_teacher"]
    result = cli("render", "s439-consultation", write_case(data), "--date", LETTER_DATE)
    assert result.code == 2
    assert "case.inputs.s439_consultation.school.head_teacher" in result.err


def test_parent_option_is_refused_for_a_letter_to_a_school(cli):
    result = cli(
        "render",
        "governing-body-notice",
        EXAMPLES / "governing-body-notice.yaml",
        "--parent",
        "0",
        "--date",
        LETTER_DATE,
    )
    assert result.code == 2 and "goes to the school" in result.err


def test_the_order_named_is_the_one_recorded_for_that_child(write_case):
    data = example_case("governing-body-notice")
    data["case"]["children"].append(
        {"given_names": "Ava", "family_name": "Morgan", "date_of_birth": "2015-06-01"}
    )
    data["case"]["inputs"]["governing_body_notice"]["child"] = 1
    with pytest.raises(Exception, match="EHE150"):
        _render(data, "governing-body-notice")  # the order recorded is Ellis's (child 0)


def test_verify_accepts_an_untouched_letter_to_a_school(cli, tmp_path):
    case = EXAMPLES / "s439-consultation.yaml"
    target = tmp_path / "letter.docx"
    assert cli("render", "s439-consultation", case, "-o", target, "--date", LETTER_DATE).code == 0
    result = cli("verify", target, case)
    assert result.code == 0, result.out + result.err


def test_batch_of_letters_to_schools(cli, tmp_path):
    source = tmp_path / "cases.json"
    data = example_case("governing-body-notice")
    source.write_text(json.dumps([data], default=str), encoding="utf-8")
    result = cli("batch", "governing-body-notice", source, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["totals"]["letters"] == 1


@pytest.mark.parametrize(
    ("born", "on", "group"),
    [
        ("2016-05-09", "2027-01-11", "Year 6"),
        ("2016-09-01", "2021-09-06", "Reception"),
        ("2016-08-31", "2021-09-06", "Year 1"),
        ("2012-04-04", "2026-12-01", "Year 10"),
    ],
)
def test_year_group_for_the_age(born, on, group):
    assert law.year_group(date.fromisoformat(born), date.fromisoformat(on)) == group


@pytest.mark.parametrize(
    ("facts", "problem"),
    [
        ('school_recipients = ["caretaker"]', "school_recipients must list"),
        ('school_recipients = ["head-teacher"]\nchild_fields = ["views"]', "child_fields may list"),
        ("", "school_recipients must list"),
    ],
)
def test_metadata_of_a_letter_to_a_school_is_checked(tmp_path, facts, problem):
    from ehe_letters.errors import TemplateProblem
    from ehe_letters.letters.catalogue import _load

    source = (get_letter("s439-consultation").template.with_suffix(".toml")).read_text("utf-8")
    head, _, rules = source.partition("[[rule]]")
    head = "\n".join(
        line for line in head.splitlines() if not line.startswith(("school_recipients", "child_"))
    )
    path = tmp_path / "s439-consultation.toml"
    path.write_text(f"{head}\n{facts}\n[[rule]]{rules}", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=problem):
        _load(path)
