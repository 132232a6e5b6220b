"""Templates under legal review: git text diffs, approvals (EHE501/EHE502), diffs, specimens.

Each test works on a copy of the templates in a fresh git repository (EHE_LETTERS_TEMPLATES
points at it), so the project's own templates and approvals are never touched.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest
from conftest import ROOT
from docx import Document

from ehe_letters.docx.text import docx_text
from ehe_letters.letters.catalogue import LETTER_IDS, get_letter
from ehe_letters.review.approvals import (
    Approval,
    approval_status,
    approve,
    load_approvals,
    save_approvals,
)
from ehe_letters.review.diff import template_fields
from ehe_letters.rules.approval import check_approval

APPROVED_ON = date(2026, 11, 20)
ROLE = "Solicitor, Legal Services"
OLD = "requiring him to satisfy them"
NEW = "requiring him to convince them"


def _git(repo, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def _copy_templates(target):
    """Copy the letter templates and their metadata (not the approvals) into ``target``."""
    for source, folder in (
        (ROOT / "templates", target),
        (ROOT / "templates" / "cy", target / "cy"),
    ):
        folder.mkdir(parents=True)  # the letters, and their Welsh versions
        for path in source.iterdir():
            if path.suffix in (".docx", ".toml") and path.name != "approvals.toml":
                shutil.copy2(path, folder / path.name)
    return target


def _edit(path, old: str, new: str) -> tuple[str, str]:
    """Replace ``old`` by ``new`` in one run of a .docx; return the paragraph before and after."""
    doc = Document(path)
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                before = paragraph.text
                run.text = run.text.replace(old, new, 1)
                doc.save(path)
                return before, paragraph.text
    raise AssertionError(f"{old!r} not found in {path}")


def _add_paragraph(path, text: str) -> None:
    doc = Document(path)
    doc.add_paragraph(text)
    doc.save(path)


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A copy of the templates, all approved on APPROVED_ON, and EHE_LETTERS_TEMPLATES set."""
    folder = _copy_templates(tmp_path / "templates")
    monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(folder))
    for letter_id in LETTER_IDS:
        approve(letter_id, ROLE, "baseline for the test", APPROVED_ON)
        if (folder / "cy" / f"{letter_id}.docx").exists():  # its Welsh version
            approve(f"cy/{letter_id}", ROLE, "baseline for the test", APPROVED_ON)
    return folder


@pytest.fixture
def repo(tmp_path, templates, monkeypatch):
    """A git repository holding the approved templates and the project's .gitattributes."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Test\n\temail = test@example.org\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    shutil.copy2(ROOT / ".gitattributes", tmp_path / ".gitattributes")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "approved templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- approvals.toml -------------------------------------------------------------------------


def test_approvals_round_trip_and_stable_order(tmp_path):
    records = {
        "s437-notice": Approval("ab" * 32, 'Solicitor, "Legal" \\ Services', date(2026, 1, 2)),
        "welcome": Approval("cd" * 32, "Head of Legal", date(2025, 12, 31), "Né: line\nnext\x7f"),
    }
    path = save_approvals(tmp_path, records)
    assert load_approvals(tmp_path) == records
    text = path.read_text(encoding="utf-8")
    assert text.index("[welcome]") < text.index("[s437-notice]")  # catalogue order
    save_approvals(tmp_path, load_approvals(tmp_path))
    assert path.read_text(encoding="utf-8") == text


def test_no_approvals_file_means_no_approvals(tmp_path):
    assert load_approvals(tmp_path) == {}


def test_approve_records_the_file_and_appends_to_the_changelog(templates):
    record = approve(
        "welcome", "  Solicitor,  Legal Services ", "Reworded the opening", date.today()
    )
    assert record.approved_by == "Solicitor, Legal Services"
    assert approval_status(get_letter("welcome")) == ("approved", record)
    changelog = (templates / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Template changelog")
    last = changelog.rsplit("## ", 1)[1]
    assert "welcome" in last and "Reworded the opening" in last and record.sha256[:12] in last


# --- EHE501 / EHE502 ---------------------------------------------------------------------


def test_ehe501_passes_for_the_approved_file(templates):
    letter = get_letter("s437-notice")
    assert [f for f in check_approval(letter.template, letter) if f.code == "EHE501"] == []


def test_ehe501_fails_for_a_file_changed_since_approval(templates):
    letter = get_letter("s437-notice")
    _edit(letter.template, OLD, NEW)
    (finding,) = check_approval(letter.template, letter)
    assert finding.code == "EHE501" and finding.severity == "error"
    assert "s437-notice" in finding.message and APPROVED_ON.isoformat() in finding.message
    assert ROLE in finding.message and "approvals.toml" in finding.reference


def test_ehe502_passes_for_an_approved_template(templates):
    letter = get_letter("welcome")
    assert [f for f in check_approval(letter.template, letter) if f.code == "EHE502"] == []


def test_ehe502_fails_for_a_template_never_approved(tmp_path, monkeypatch):
    folder = _copy_templates(tmp_path / "templates")
    monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(folder))
    letter = get_letter("welcome")
    (finding,) = check_approval(letter.template, letter)
    assert finding.code == "EHE502" and "welcome" in finding.message
    assert approval_status(letter) == ("never-approved", None)


def test_the_shipped_templates_are_approved():
    for letter_id in LETTER_IDS:
        letter = get_letter(letter_id)
        status, record = approval_status(letter)
        assert status == "approved", f"{letter_id}: {status}: run ehe-letters template approve"
        assert record.approved_by and record.date


# --- Done when: check fails after an edit, approve makes it pass ---------------------------


def test_editing_one_word_fails_check_until_approved(cli, templates):
    assert cli("check").code == 0
    _edit(templates / "s437-notice.docx", OLD, NEW)
    result = cli("check")
    assert result.code == 1
    (line,) = result.out.splitlines()
    assert "EHE501" in line and "s437-notice" in line and APPROVED_ON.isoformat() in line
    result = cli(
        "template", "approve", "s437-notice", "--by", ROLE, "--note", "satisfy -> convince"
    )
    assert result.code == 0, result.err
    assert "s437-notice.docx" in result.out and ROLE in result.out
    assert cli("check").code == 0
    assert "satisfy -> convince" in (templates / "CHANGELOG.md").read_text(encoding="utf-8")


def test_approve_needs_a_role(cli, templates):
    result = cli("template", "approve", "welcome", "--by", "  ")
    assert result.code == 2 and "--by" in result.err


def test_approve_refuses_a_bad_date(cli, templates):
    result = cli("template", "approve", "welcome", "--by", ROLE, "--date", "2026-02-30")
    assert result.code == 2 and "--date" in result.err


# --- template text and git diff --------------------------------------------------------------


def test_template_text_prints_the_text_view(cli, templates):
    path = templates / "s437-notice.docx"
    result = cli("template", "text", path)
    assert result.code == 0 and result.out == docx_text(path)
    assert "{{ child.full_name }}" in result.out


def test_git_diff_shows_the_changed_sentence_after_setup(cli, repo):
    result = cli("template", "setup-git")
    assert result.code == 0, result.err
    assert "diff.docx.textconv" in result.out
    assert "template text" in _git(repo, "config", "diff.docx.textconv")
    before, after = _edit(repo / "templates" / "s437-notice.docx", OLD, NEW)
    lines = _git(repo, "diff", "--", "templates/s437-notice.docx").splitlines()
    assert f"-{before}" in lines and f"+{after}" in lines
    assert not any("Binary files" in line for line in lines)


# --- template diff ---------------------------------------------------------------------------


def test_template_diff_shows_wording_and_flags_a_field_the_model_lacks(cli, repo):
    path = repo / "templates" / "s437-notice.docx"
    before, after = _edit(path, OLD, NEW)
    _add_paragraph(path, "Shoe size: {{ child.shoe_size }}")
    _git(repo, "commit", "-q", "-am", "reworded; shoe size")
    result = cli("template", "diff", "s437-notice", "--from", "HEAD~1", "--to", "HEAD")
    assert result.code == 1
    lines = result.out.splitlines()
    assert f"-{before}" in lines and f"+{after}" in lines
    assert "+Shoe size: {{ child.shoe_size }}" in lines
    added = lines[lines.index("Fields added:") + 1]
    assert added.strip() == "child.shoe_size"
    assert any(line.startswith("BREAKING: child.shoe_size") for line in lines)


def test_template_diff_flags_a_field_the_example_case_lacks(cli, repo):
    path = repo / "templates" / "s437-notice.docx"
    _add_paragraph(path, "Why: {{ child.reason_for_home_education }}")
    result = cli("template", "diff", "s437-notice")  # approved version -> working copy
    assert result.code == 1
    assert "approved 2026-11-20" in result.out
    assert "  child.reason_for_home_education" in result.out.splitlines()
    assert "BREAKING: examples/s437-notice.yaml: " in result.out


def test_template_diff_of_a_wording_change_is_not_breaking(cli, repo):
    before, after = _edit(repo / "templates" / "s437-notice.docx", OLD, NEW)
    result = cli("template", "diff", "s437-notice", "--from", "approved", "--to", "working")
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert f"-{before}" in lines and f"+{after}" in lines
    assert "BREAKING" not in result.out
    assert lines[lines.index("Fields added:") + 1].strip() == "(none)"


def test_template_diff_without_the_approved_commit_falls_back_to_head(cli, repo, templates):
    _edit(templates / "welcome.docx", "introduces our team", "introduces the team")
    approve("welcome", ROLE, "not committed", APPROVED_ON)
    _edit(templates / "welcome.docx", "introduces the team", "presents the team")
    result = cli("template", "diff", "welcome")
    assert result.code == 0
    assert "no commit holds the approved welcome.docx" in result.err
    assert "(HEAD)" in result.out


def test_template_diff_of_an_unknown_revision_is_bad_input(cli, repo):
    result = cli("template", "diff", "welcome", "--from", "no-such-rev")
    assert result.code == 2 and "no-such-rev" in result.err


def test_template_fields_follow_loops():
    fields = template_fields(get_letter("visit-offer").template.read_bytes())
    assert "visit.attendees[].name" in fields and "addressee.names" in fields
    assert "visit" not in fields  # only the most specific paths


# --- specimens ------------------------------------------------------------------------------


def test_specimens_one_per_letter_with_an_index(cli, templates, tmp_path):
    out = tmp_path / "specimens"
    result = cli("specimens", "--out", out, "--date", "2026-12-01")
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(f"{i}.docx" for i in LETTER_IDS)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["letters"]
    assert [e["letter"] for e in index] == list(LETTER_IDS)
    for entry in index:
        letter = get_letter(entry["letter"])
        assert entry["files"] == [f"{letter.id}.docx"]
        assert entry["title"] == letter.title and entry["statutory_basis"]
        # a bilingual specimen (the Welsh authority's welcome) names both templates: cy+en
        assert approval_status(letter)[1].sha256 in entry["template_sha256"].split("+")
        assert entry["approval"] == "approved" and entry["approved_by"] == ROLE
        assert entry["approved_on"] == "2026-11-20"
    markdown = (out / "index.md").read_text(encoding="utf-8")
    assert all(f"[{i}.docx]({i}.docx)" in markdown for i in LETTER_IDS)


def test_specimens_report_changed_templates_and_refused_dates(cli, templates, tmp_path):
    _edit(templates / "s437-notice.docx", OLD, NEW)
    out = tmp_path / "specimens"
    assert cli("specimens", "--out", out, "--date", "2026-01-05").code == 0
    index = {e["letter"]: e for e in json.loads((out / "index.json").read_text())["letters"]}
    assert index["s437-notice"]["approval"] == "changed-since-approval"
    assert index["welcome"]["approval"] == "approved"
    refused = index["sao-intention"]
    assert refused["date"] == "2026-12-01" and refused["files"] == ["sao-intention.docx"]
    assert any("refused on 2026-01-05" in note for note in refused["notes"])


def test_specimens_with_pdf(cli, templates, tmp_path):
    out = tmp_path / "specimens"
    result = cli("specimens", "--out", out, "--pdf")
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(f"{i}.pdf" for i in LETTER_IDS)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["letters"]
    assert all(e["files"] == [f"{e['letter']}.docx", f"{e['letter']}.pdf"] for e in index)
    assert all((out / f"{i}.pdf").read_bytes().startswith(b"%PDF") for i in LETTER_IDS)
