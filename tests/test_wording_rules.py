"""Every wording rule (EHE2xx, EHE3xx) against its passing and failing text in rules/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ehe_letters.letters.catalogue import all_letters, get_letter
from ehe_letters.letters.context import PathDict
from ehe_letters.rules.wording import check_text, wording_rules

CASES = yaml.safe_load((Path(__file__).parent / "rules" / "wording_rules.yml").read_text("utf-8"))


def _context(data: dict | None, path: str = "") -> PathDict | None:
    if data is None:
        return None
    return PathDict(
        {k: _context(v, f"{path}.{k}") if isinstance(v, dict) else v for k, v in data.items()}, path
    )


def _codes(case: dict, text: str) -> set[str]:
    letter = get_letter(case["letter"])
    context = _context(case.get("context"))
    findings = check_text(letter, text, nation=case.get("nation"), context=context)
    return {f.code for f in findings}


@pytest.mark.parametrize("case", CASES, ids=[c["code"] for c in CASES])
def test_passing_text_passes(case):
    assert case["code"] not in _codes(case, case["pass"])


@pytest.mark.parametrize("case", CASES, ids=[c["code"] for c in CASES])
def test_failing_text_fails(case):
    assert case["code"] in _codes(case, case["fail"])


def test_rule_codes_are_unique_per_letter():
    for letter in all_letters():
        codes = [r.code for r in wording_rules(letter)]
        assert len(codes) == len(set(codes)), letter.id
