"""`ehe-letters check`: the shipped templates pass; broken copies fail with located findings."""

from __future__ import annotations

import json

from docx import Document

from ehe_letters.letters.catalogue import all_versions, get_letter


def _edited_copy(tmp_path, letter_id: str, old: str, new: str):
    doc = Document(get_letter(letter_id).template)
    changed = 0
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                changed += 1
    assert changed, f"{old!r} not found in {letter_id}"
    target = tmp_path / f"{letter_id}.docx"
    doc.save(target)
    return target


def test_shipped_templates_pass(cli):
    result = cli("check")
    assert result.code == 0, result.out
    assert f"{len(all_versions())} template(s) checked, 0 finding(s)" in result.err


def test_a_missing_required_clause_fails(cli, tmp_path):
    path = _edited_copy(
        tmp_path,
        "s437-notice",
        "section 437(1) of the Education Act 1996",
        "the Education Act 1996",
    )
    result = cli("check", path)
    assert result.code == 1
    assert "EHE201" in result.out and str(path) in result.out


def test_forbidden_wording_fails(cli, tmp_path):
    path = _edited_copy(
        tmp_path, "visit-offer", "This is an offer, not a requirement", "A home visit is required"
    )
    result = cli("check", path, "--format", "json")
    assert result.code == 1
    codes = {f["code"] for f in json.loads(result.out)}
    assert "EHE301" in codes


def test_smart_quotes_in_a_tag_are_reported_with_location(cli, tmp_path):
    path = _edited_copy(
        tmp_path,
        "welcome",
        '{%p if children | selectattr("special_school")',
        "{%p if children | selectattr(“special_school”)",
    )
    result = cli("check", path, "--format", "json")
    findings = json.loads(result.out)
    ehe403 = [f for f in findings if f["code"] == "EHE403"]
    assert result.code == 1 and ehe403
    assert ehe403[0]["file"] == str(path) and "paragraph" in ehe403[0]["location"]


def test_not_a_docx(cli, tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("hello", encoding="utf-8")
    result = cli("check", path)
    assert result.code == 1 and "EHE408" in result.out


def test_bad_format_option(cli):
    assert cli("check", "--format", "xml").code == 2


def test_a_smart_quote_inside_an_s437_tag_fails(cli, tmp_path):
    path = _edited_copy(tmp_path, "s437-notice", 'join(", ")', "join(“, ”)")
    result = cli("check", path)
    assert result.code == 1
    assert "EHE403" in result.out
