"""Every legal-process rule (EHE1xx) against its readable cases in rules/case_rules.yml."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import example_case

from ehe_letters.letters.catalogue import get_letter
from ehe_letters.models import CaseFile
from ehe_letters.rules.case_rules import check_case

CASES = yaml.safe_load((Path(__file__).parent / "rules" / "case_rules.yml").read_text("utf-8"))
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _walk(data, path: str):
    keys = [name or int(index) for name, index in _STEP.findall(path)]
    for key in keys[:-1]:
        data = data[key]
    return data, keys[-1]


def _findings(spec: dict) -> set[str]:
    data = example_case(spec["letter"])
    for path, value in (spec.get("set") or {}).items():
        parent, key = _walk(data, path)
        parent[key] = value.isoformat() if isinstance(value, date) else value
    for path in spec.get("delete") or []:
        parent, key = _walk(data, path)
        del parent[key]
    for path, value in (spec.get("append") or {}).items():
        parent, key = _walk(data, path)
        parent[key].append(value)
    case_file = CaseFile.model_validate(data)
    letter = get_letter(spec["letter"])
    if "template_regime" in spec:
        letter = dataclasses.replace(letter, regime=spec["template_regime"])
    if spec.get("without_welsh"):  # a templates folder with no Welsh version of the letter
        letter = dataclasses.replace(letter, template=Path("/no-welsh-templates") / letter.id)
    when = spec["date"] if isinstance(spec["date"], date) else date.fromisoformat(spec["date"])
    return {f.code for f in check_case(letter, case_file.case, case_file.authority, when)}


def _id(case: dict) -> str:
    return f"{case['code']}-{'pass' if 'pass' in case else 'fail'}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_rule_case(case):
    codes = _findings(case.get("pass") or case["fail"])
    if "pass" in case:
        assert case["code"] not in codes
    else:
        assert case["code"] in codes


def test_overridden_rule_becomes_a_recorded_warning():
    data = example_case("s437-notice")
    del data["case"]["history"][0]
    case_file = CaseFile.model_validate(data)
    findings = check_case(
        get_letter("s437-notice"),
        case_file.case,
        case_file.authority,
        date(2026, 12, 1),
        {"EHE110": "family moved in with a live concern"},
    )
    ehe110 = [f for f in findings if f.code == "EHE110"]
    assert ehe110 and ehe110[0].severity == "warning"
    assert "family moved in with a live concern" in ehe110[0].message
