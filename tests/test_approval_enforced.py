"""Approval is enforced where letters are made (issue 11, item 5).

Before: only ``check`` noticed a template that no longer matched its approval; ``render`` and
``batch`` produced notices from it.  Now a statutory notice from such a template is refused
(exit 1, one line naming the template and the approval date), ``--draft`` produces it marked
"DRAFT — not approved" on every page and in its provenance, an informal letter comes with a
warning (or is refused when the workspace says ``unapproved = "refuse"``), and ``specimens``
marks the letters of unapproved templates.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, batch, example_case, mailing_rows, write_csv
from docx import Document

from ehe_letters.docx.compiled import read_provenance
from ehe_letters.review.approvals import load_approvals

MARK = "DRAFT — not approved"
DATE = "2026-12-01"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def _edit_docx(folder: Path, letter_id: str) -> None:
    document = Document(folder / f"{letter_id}.docx")
    document.add_paragraph("A sentence legal services have not seen.")
    document.save(folder / f"{letter_id}.docx")


def _approved_on(letter_id: str) -> str:
    return load_approvals(ROOT / "templates")[letter_id].date.isoformat()


def _headers(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if re.fullmatch(r"word/header\d*\.xml", name)
        }


def _render(cli, folder: Path, out: Path, letter_id: str = "s437-notice", *extra):
    return cli(
        "render", letter_id, EXAMPLES / f"{letter_id}.yaml", "--date", DATE, "-o", out,
        "--templates", folder, *extra,
    )  # fmt: skip


def test_a_notice_from_an_edited_template_is_refused(cli, tmp_path):
    folder = _copy(tmp_path)
    _edit_docx(folder, "s437-notice")
    result = _render(cli, folder, tmp_path / "out")
    assert result.code == 1, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(folder / "s437-notice.docx") in lines[0]
    assert _approved_on("s437-notice") in lines[0]
    assert "--draft" in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_notice_whose_metadata_changed_is_refused_too(cli, tmp_path):
    """The approval covers the letter's .toml (its wording rules and period) as well."""
    folder = _copy(tmp_path)
    toml = folder / "s437-notice.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    result = _render(cli, folder, tmp_path / "out")
    assert result.code == 1, result.err
    assert "s437-notice.toml" in result.err
    check = cli("check", "--templates", folder)
    assert check.code == 1 and "EHE501" in check.out and "s437-notice.toml" in check.out


def test_a_notice_never_approved_is_refused(cli, tmp_path):
    folder = _copy(tmp_path)
    text = (folder / "approvals.toml").read_text(encoding="utf-8")
    text = re.sub(r"\[sao-intention\][^\[]*", "", text)
    (folder / "approvals.toml").write_text(text, encoding="utf-8")
    result = _render(cli, folder, tmp_path / "out", "sao-intention")
    assert result.code == 1, result.err
    assert "never been approved" in result.err and "sao-intention" in result.err


def test_draft_marks_every_header_and_the_provenance(cli, tmp_path):
    folder = _copy(tmp_path)
    _edit_docx(folder, "s437-notice")
    result = _render(cli, folder, tmp_path / "out", "s437-notice", "--draft")
    assert result.code == 0, result.err
    written = [Path(p) for p in result.out.split()]
    assert written
    for path in written:
        headers = _headers(path)
        assert headers and all(MARK in xml for xml in headers.values()), path
        assert "draft=not-approved" in read_provenance(path)
        Document(path)  # opens
        verified = cli("verify", path, EXAMPLES / "s437-notice.yaml", "--templates", folder)
        assert verified.code == 0, verified.out + verified.err


def test_draft_changes_nothing_for_an_approved_template(cli, tmp_path):
    folder = _copy(tmp_path)
    result = _render(cli, folder, tmp_path / "out", "s437-notice", "--draft")
    assert result.code == 0, result.err
    for path in result.out.split():
        assert all(MARK not in xml for xml in _headers(Path(path)).values())
        assert "draft=" not in read_provenance(Path(path))


def test_an_informal_letter_warns_and_a_workspace_may_refuse_it(cli, tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    _edit_docx(folder, "welcome")
    result = _render(cli, folder, tmp_path / "out.docx", "welcome")
    assert result.code == 0, result.err
    assert "EHE501 warning" in result.err and str(folder / "welcome.docx") in result.err
    assert all(MARK not in xml for xml in _headers(tmp_path / "out.docx").values())
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "ehe-letters.toml").write_text(
        f'templates = "{folder}"\nunapproved = "refuse"\n', encoding="utf-8"
    )
    monkeypatch.chdir(workspace)
    result = cli(
        "render", "welcome", EXAMPLES / "welcome.yaml", "--date", DATE, "-o", tmp_path / "o2.docx"
    )
    assert result.code == 1, result.err
    assert "welcome.docx" in result.err and _approved_on("welcome") in result.err
    assert not (tmp_path / "o2.docx").exists()


def _notice_cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([example_case("s437-notice")], default=str), encoding="utf-8")
    return path


def test_batch_refuses_a_notice_before_any_row_and_draft_marks_it(cli, tmp_path):
    folder = _copy(tmp_path)
    _edit_docx(folder, "s437-notice")
    cases = _notice_cases(tmp_path)
    args = ("batch", "s437-notice", cases, "--date", DATE, "--templates", folder, "--out")
    result = cli(*args, tmp_path / "out")
    assert result.code == 1, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "s437-notice.docx" in result.err and _approved_on("s437-notice") in result.err
    assert not (tmp_path / "out").exists()
    result = cli(*args, tmp_path / "draft", "--draft")
    assert result.code == 0, result.err
    manifest = json.loads((tmp_path / "draft" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["template"]["draft"] == MARK
    letters = sorted((tmp_path / "draft" / "docx").glob("*.docx"))
    assert letters
    for path in letters:
        assert all(MARK in xml for xml in _headers(path).values())


def test_batch_of_an_informal_letter_warns_once(cli, tmp_path):
    folder = _copy(tmp_path)
    _edit_docx(folder, "welcome")
    source = write_csv(tmp_path / "mailing.csv", mailing_rows())
    result = batch(cli, source, tmp_path / "out", "--templates", folder)
    assert result.code == 0, result.err
    assert result.err.count("EHE501 warning") == 1


def test_specimens_mark_the_letters_of_unapproved_templates(cli, tmp_path):
    folder = _copy(tmp_path)
    _edit_docx(folder, "s437-notice")
    result = cli("specimens", "--out", tmp_path / "sp", "--date", DATE, "--templates", folder)
    assert result.code == 0, result.err
    assert all(MARK in xml for xml in _headers(tmp_path / "sp" / "s437-notice.docx").values())
    assert all(MARK not in xml for xml in _headers(tmp_path / "sp" / "welcome.docx").values())
    index = (tmp_path / "sp" / "index.md").read_text(encoding="utf-8")
    assert MARK in index


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler")
def test_a_draft_pdf_is_marked_on_every_page_within_the_printable_areas(cli, tmp_path):
    """render --pdf checks GOV.UK Notify's areas (PDF001-003) and refuses on a finding."""
    folder = _copy(tmp_path)
    _edit_docx(folder, "sao-intention")
    out = tmp_path / "out"
    result = _render(cli, folder, out, "sao-intention", "--draft", "--pdf")
    assert result.code == 0, result.err
    pdfs = [Path(p) for p in result.out.split() if p.endswith(".pdf")]
    assert pdfs
    for pdf in pdfs:
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
        assert len(pages) >= 2
        assert all(MARK in page for page in pages), [MARK in page for page in pages]
        assert cli("check-pdf", pdf).code == 0
