"""Every PDF the toolkit writes is checked against GOV.UK Notify's printable areas: `render
--pdf` refuses, `batch --pdf` fails the row (errors.csv, the code, no personal data) and leaves
the letter out of the print file, `specimens --pdf` notes it.  The template under test is the
welcome letter with its side margins narrowed to 10 mm, as an edit in Word might."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, batch, mailing_rows, write_csv
from docx import Document
from docx.shared import Mm

from ehe_letters.review.approvals import approve
from ehe_letters.settings import load_settings


@pytest.fixture
def narrow_templates(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    for path in (folder / "welcome.docx", folder / "cy" / "welcome.docx"):  # both languages
        document = Document(path)
        section = document.sections[0]
        section.left_margin = section.right_margin = Mm(10)
        document.save(path)
    # approved as edited, so that what these tests see is the printable areas alone
    settings = load_settings(templates=folder)
    for letter_id in ("welcome", "cy/welcome"):
        approve(letter_id, "Test", "margins narrowed", date(2026, 12, 1), settings)
    monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(folder))
    return folder


def test_render_pdf_refuses_a_letter_outside_the_areas(cli, tmp_path, narrow_templates):
    out = tmp_path / "out"
    out.mkdir()
    case = EXAMPLES / "welcome.yaml"
    result = cli("render", "welcome", case, "-o", out, "--date", "2026-12-01", "--pdf")
    assert result.code == 1, result.err
    lines = result.err.strip().splitlines()
    assert lines and all(" refused: " in line for line in lines)
    assert any("page 1: PDF001 refused: text at " in line for line in lines)
    assert "Siân" not in result.err and "Ffion" not in result.err  # positions, never text
    assert list(out.iterdir()) == []  # all or nothing: no .docx or .pdf left behind


def test_batch_pdf_fails_the_row_and_leaves_it_out_of_the_print_file(
    cli, tmp_path, narrow_templates
):
    out = tmp_path / "out"
    rows = mailing_rows()[:2]
    source = write_csv(tmp_path / "two.csv", rows)
    result = batch(cli, source, out, "--pdf", "--merge")
    assert result.code == 1
    errors = list(csv.DictReader((out / "errors.csv").read_text("utf-8").splitlines()))
    assert {e["row"] for e in errors} == {"2", "3"}
    assert {e["field"] for e in errors} <= {"PDF001", "PDF002"}
    assert any(e["field"] == "PDF001" for e in errors)
    assert len([e for e in errors if e["row"] == "2"]) <= 4  # at most 3 findings, then a count
    text = (out / "errors.csv").read_text("utf-8")
    for row in rows:  # no personal data: names and addresses never appear
        assert row["Parent Surname"] not in text and row["Address 1"] not in text
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert all(len(entry["files"]) == 1 for entry in manifest["letters"])  # no PDF listed
    assert manifest["print_file"]["letters"] == 0


def test_specimens_pdf_notes_a_letter_outside_the_areas(cli, tmp_path, narrow_templates):
    out = tmp_path / "specimens"
    result = cli("specimens", "--out", out, "--pdf", "--date", "2026-12-01")
    assert result.code == 1
    index = json.loads((out / "index.json").read_text("utf-8"))
    welcome = next(s for s in index["letters"] if s["letter"] == "welcome")
    assert welcome["files"] == ["welcome.docx"]
    assert any("PDF001 error" in note for note in welcome["notes"])
    others = [s for s in index["letters"] if s["letter"] != "welcome"]
    assert all(len(s["files"]) == 2 for s in others), [s["notes"] for s in others]
