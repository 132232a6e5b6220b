"""The one rule registry: every code has a reference and a passing and a failing case.

Cases live in tests/rules/, one YAML file per family; this file also runs the approval
(EHE5xx) and verification (VERxxx) cases, the other families' cases run in their own tests
(the PDF cases, PDFxxx, in test_pdf_areas.py).
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, example_case
from docx import Document
from images import png

from ehe_letters.letters.catalogue import all_versions, get_letter
from ehe_letters.letters.produce import render_letter
from ehe_letters.letters.verify import verify_letter
from ehe_letters.models import CaseFile
from ehe_letters.review.approvals import load_approvals, save_approvals
from ehe_letters.rules.approval import check_approval
from ehe_letters.rules.registry import FAMILIES, all_rules

RULES_DIR = Path(__file__).parent / "rules"


def _cases(name: str) -> list[dict]:
    return yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8"))


def _pass_fail(name: str) -> tuple[set[str], set[str]]:
    """The codes with a passing and with a failing case in one cases file."""
    cases = _cases(name)
    if name == "lint_cases.yml":  # expect: true (findings) or false (none)
        return {c["code"] for c in cases if not c["expect"]}, {
            c["code"] for c in cases if c["expect"]
        }
    return {c["code"] for c in cases if "pass" in c}, {c["code"] for c in cases if "fail" in c}


CASE_FILES = {
    "case": "case_rules.yml",
    "wording": "wording_rules.yml",
    "lint": "lint_cases.yml",
    "approval": "approval_cases.yml",
    "verify": "verify_cases.yml",
    "pdf": "pdf_cases.yml",
}


def test_every_rule_has_a_reference_and_a_passing_and_a_failing_case():
    rules = all_rules(all_versions())
    assert len({r.code for r in rules}) == len(rules)
    missing = []
    for family in FAMILIES:
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        assert family in CASE_FILES, f"no cases file for the {family} rules"
        passing, failing = _pass_fail(CASE_FILES[family])
        for rule in members:
            assert rule.summary and "\n" not in rule.summary, rule.code
            assert rule.reference.strip(), f"{rule.code} has no reference"
            assert rule.severity in ("error", "warning"), rule.code
            if rule.code not in passing:
                missing.append(f"{rule.code}: no passing case in {CASE_FILES[family]}")
            if rule.code not in failing:
                missing.append(f"{rule.code}: no failing case in {CASE_FILES[family]}")
        # ... and no case for a code that is not a rule of the family
        unknown = (passing | failing) - {r.code for r in members}
        assert not unknown, f"{CASE_FILES[family]}: cases for unknown codes {sorted(unknown)}"
    assert not missing, missing


def test_rules_command_lists_exactly_the_registry(cli):
    result = cli("rules", "--json")
    assert result.code == 0
    listed = [row["code"] for row in json.loads(result.out)]
    assert listed == [r.code for r in all_rules(all_versions())]
    assert {"EHE101", "EHE201", "EHE401", "EHE501", "VER001", "VER002"} <= set(listed)


# ------------------------------------------------------------------ approval cases (EHE5xx)


def _approval_findings(spec: dict, tmp_path: Path) -> set[str]:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    letter = get_letter(spec["letter"])
    template = folder / letter.template.name
    if spec["change"] == "edit":
        document = Document(template)
        document.add_paragraph("A sentence legal services have not seen.")
        document.save(template)
    elif spec["change"] == "metadata":
        toml = template.with_suffix(".toml")
        toml.write_text(toml.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif spec["change"] == "unapproved":
        approvals = load_approvals(folder)
        del approvals[letter.id]
        save_approvals(folder, approvals)
    else:
        assert spec["change"] == "none"
    moved = type(letter)(**{**letter.__dict__, "template": template})
    return {f.code for f in check_approval(template, moved)}


@pytest.mark.parametrize(
    "case",
    _cases("approval_cases.yml"),
    ids=lambda c: f"{c['code']}-{'pass' if 'pass' in c else 'fail'}",
)
def test_approval_case(case, tmp_path):
    codes = _approval_findings(case.get("pass") or case["fail"], tmp_path)
    assert (case["code"] in codes) == ("fail" in case), codes


# ------------------------------------------------------------------ verification cases (VERxxx)


def _verify_findings(spec: dict, tmp_path: Path, monkeypatch) -> set[str]:
    when = spec["date"] if isinstance(spec["date"], date) else date.fromisoformat(spec["date"])
    case_file = CaseFile.model_validate(example_case(spec["letter"]))
    produced = render_letter(spec["letter"], case_file, when)[0]
    path = tmp_path / produced.name
    path.write_bytes(produced.data)
    if spec["change"] == "edit-text":
        document = Document(path)
        run = next(r for p in document.paragraphs for r in p.runs if " still " in r.text)
        run.text = run.text.replace(" still ", " not ", 1)
        document.save(path)
    elif spec["change"] == "template":
        folder = tmp_path / "templates"
        shutil.copytree(ROOT / "templates", folder)
        template = folder / f"{spec['letter']}.docx"
        document = Document(template)
        document.add_paragraph("A sentence added to the template later.")
        document.save(template)
        monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(folder))
    elif spec["change"] == "logo":
        other = tmp_path / "another-logo.png"
        other.write_bytes(png(400, 100, 150, colour=(200, 16, 46)))
        data = example_case(spec["letter"])
        data["authority"]["logo"] = str(other)
        case_file = CaseFile.model_validate(data)
    else:
        assert spec["change"] == "none"
    return {f.code for f in verify_letter(path, case_file)}


@pytest.mark.parametrize(
    "case",
    _cases("verify_cases.yml"),
    ids=lambda c: f"{c['code']}-{'pass' if 'pass' in c else 'fail'}",
)
def test_verify_case(case, tmp_path, monkeypatch):
    codes = _verify_findings(case.get("pass") or case["fail"], tmp_path, monkeypatch)
    assert (case["code"] in codes) == ("fail" in case), codes
