"""The solicitor-readable deadline cases in deadlines.yml, one parametrised test."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
import yaml

from ehe_letters.errors import LawError
from ehe_letters.law import compute_deadline, deemed_service_date
from ehe_letters.letters.catalogue import get_letter

CASES = yaml.safe_load((Path(__file__).parent / "deadlines.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_deadline_case(case: dict) -> None:
    at = time.fromisoformat(case["delivered_at"]) if "delivered_at" in case else None
    period = get_letter(case["notice"]).period  # the notice's period, from its metadata
    args = (period, case["sent"], case["method"], case["nation"], case.get("period_days"))
    if "refused" in case:
        if "deemed_served" in case:
            deemed = deemed_service_date(*args[1:4], statutory=True, delivered_at=at)
            assert deemed == case["deemed_served"]
        with pytest.raises(LawError, match=re.escape(case["refused"])):
            compute_deadline(*args, delivered_at=at)
        return
    result = compute_deadline(*args, delivered_at=at)
    assert result.deemed_served == case["deemed_served"]
    assert result.deadline == case["deadline"]
    assert result.deadline >= result.earliest_deadline
    assert (result.earliest_deadline - result.deemed_served).days == result.period_days - 1


def test_cases_file_is_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert {"name", "notice", "sent", "method", "nation"} <= case.keys()
        assert isinstance(case["sent"], date)
        assert ("deadline" in case) != ("refused" in case)
