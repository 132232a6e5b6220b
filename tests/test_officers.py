"""Several named officers per authority; case.officer chooses the contact on a case's letters."""

from __future__ import annotations

import csv
import json
from datetime import date

from conftest import batch, example_case, mailing_rows, write_csv

from ehe_letters.docx.text import docx_text
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile

WHEN = date(2026, 12, 1)


def _text(letter_id: str, officer: str | None) -> list[str]:
    data = example_case(letter_id)
    if officer:
        data["case"]["officer"] = officer
    letters = render_letter(letter_id, CaseFile.model_validate(data), WHEN)
    return [docx_text(letter.data) for letter in letters]


def test_without_an_officer_the_contact_is_the_authority_signatory():
    text = _text("s437-notice", None)[0]
    assert "Contact: Priya Natarajan / Telephone: 01632 960 124" in text
    assert "Please contact Priya Natarajan, Elective Home Education Officer" in text


def test_the_case_officer_is_the_contact_of_a_notice_and_the_statutory_officer_signs():
    text = _text("s437-notice", "swhitfield")[0]
    header = text.split("\n\n")[0]
    assert "Contact: Sam Whitfield / Telephone: 01632 960 127" in header
    assert "sam.whitfield@westmere.example.gov.uk" in header
    assert "Priya Natarajan" not in text
    assert "Please contact Sam Whitfield, Elective Home Education Officer" in text
    assert "Daniel Okafor\nHead of Inclusion" in text  # delegated authority still signs


def test_the_case_officer_signs_an_informal_letter_that_says_contact_me():
    text = _text("information-request", "swhitfield")[0]
    assert "please contact me using the details at the top of this letter" in text
    assert "Contact: Sam Whitfield" in text
    assert "Sam Whitfield\nElective Home Education Officer\nWestmere Borough Council" in text
    assert "Priya Natarajan" not in text


def test_an_unknown_officer_is_one_line_naming_case_officer(cli, tmp_path, write_case):
    data = example_case("welcome")
    data["case"]["officer"] = "nobody-here"
    case = write_case(data)
    result = cli("render", "welcome", case, "-o", tmp_path / "out", "--date", "2026-12-01")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"error: {case}: case.officer: not the id of one of the authority's officers "
        "(authority.officers)"
    ]
    assert "nobody-here" not in result.err  # the value is never echoed


def test_an_officer_id_must_be_a_short_id(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["case"]["officer"] = "Sam Whitfield"
    result = cli("render", "s437-notice", write_case(data), "-o", tmp_path / "out")
    assert result.code == 2 and "case.officer: String should match pattern" in result.err


def test_a_mailing_sets_the_officer_per_row(cli, tmp_path):
    rows = mailing_rows()[:3]
    rows[0]["Case Officer"], rows[1]["Case Officer"] = "swhitfield", ""
    rows[2]["Case Officer"] = "somebody-else"
    out = tmp_path / "out"
    result = batch(cli, write_csv(tmp_path / "mailing.csv", rows), out)
    assert result.code == 1, result.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    texts = {e["row"]: docx_text(out / e["files"][0]["path"]) for e in manifest["letters"]}
    assert "Contact: Sam Whitfield" in texts[2]
    assert "Contact: Priya Natarajan" in texts[3]
    errors = list(csv.DictReader((out / "errors.csv").read_text(encoding="utf-8").splitlines()))
    assert [(e["row"], e["field"]) for e in errors] == [("4", "case.officer (column Case Officer)")]
    assert "somebody-else" not in (out / "errors.csv").read_text(encoding="utf-8")
