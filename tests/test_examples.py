"""Golden tests: every example renders, and its text matches a reviewed snapshot.

The snapshots in tests/golden/ are the wording legal reviews.  When a wording change is
intended, run `make golden`, read the diff, and commit it with the template change.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES

from ehe_letters.docx.text import docx_text
from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.letters.produce import render_letter
from ehe_letters.models.loading import load_case_file

GOLDEN = Path(__file__).parent / "golden"
WHEN = date(2026, 12, 1)
FORBIDDEN = re.compile(r"\{\{|\{%|%\}|\}\}|\bNone\b|\bnan\b|undefined", re.IGNORECASE)


def test_every_letter_has_an_example():
    assert sorted(
        p.stem for p in EXAMPLES.glob("*.yaml") if not p.stem.startswith("authority")
    ) == sorted(LETTER_IDS)


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_example_renders_and_matches_its_snapshot(letter_id):
    case_file = load_case_file(EXAMPLES / f"{letter_id}.yaml")
    results = render_letter(letter_id, case_file, WHEN)
    assert results
    for result in results:
        text = docx_text(result.data)
        assert not FORBIDDEN.search(text), FORBIDDEN.search(text).group(0)
        for child in case_file.case.children:
            assert child.full_name in text
        for index in result.job.parent_indexes:
            parent = case_file.case.parents[index]
            assert parent.full_name in text
        snapshot = GOLDEN / (Path(result.name).stem + ".txt")
        if os.environ.get("UPDATE_GOLDEN"):
            snapshot.write_text(text, encoding="utf-8")
        assert snapshot.exists(), f"no snapshot {snapshot.name}: run `make golden` and review it"
        assert text == snapshot.read_text(encoding="utf-8"), (
            f"{result.name} differs from {snapshot.name}; if intended, run `make golden` and review"
        )


def test_no_stale_snapshots():
    expected = set()
    for letter_id in LETTER_IDS:
        case_file = load_case_file(EXAMPLES / f"{letter_id}.yaml")
        expected |= {Path(r.name).stem + ".txt" for r in render_letter(letter_id, case_file, WHEN)}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected
