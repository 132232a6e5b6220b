"""The solicitor-readable deadline cases in deadlines.yml, one parametrised test."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, example_case

from ehe_letters.docx.text import docx_text
from ehe_letters.errors import LawError
from ehe_letters.law import compute_deadline, deemed_service_date, minimum_period
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.context import build_jobs, long_date
from ehe_letters.letters.produce import compiled
from ehe_letters.models import CaseFile
from ehe_letters.models.loading import read_data

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
    if "earliest_deadline" in case:
        assert result.earliest_deadline == case["earliest_deadline"]
    assert result.deadline >= result.earliest_deadline
    # earliest_deadline is always the end of the statutory minimum, whatever period is chosen
    assert (result.earliest_deadline - result.deemed_served).days == result.minimum_days - 1
    assert (result.period_end - result.deemed_served).days == result.period_days - 1
    assert result.deadline >= result.period_end


def test_cases_file_is_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert {"name", "notice", "sent", "method", "nation"} <= case.keys()
        assert isinstance(case["sent"], date)
        assert ("deadline" in case) != ("refused" in case)


# The same cases through the letter path: the notice rendered from its example case, sent on
# the case's date by its method, must state the case's dates.  (A recorded delivery time is a
# fact of a served notice's history, not an input of a letter, so those cases are left out.)
LETTER_CASES = [c for c in CASES if "deadline" in c and "delivered_at" not in c]


@pytest.mark.parametrize("case", LETTER_CASES, ids=[case["name"] for case in LETTER_CASES])
def test_deadline_case_in_the_rendered_notice(case: dict) -> None:
    letter = get_letter(case["notice"])
    data = example_case(case["notice"])
    if case["nation"] == "wales":
        data["authority"] = read_data(EXAMPLES / "authority-wales.yaml")
    inputs = data["case"]["inputs"][letter.inputs]
    inputs["service"] = {"method": case["method"], "sent_on": case["sent"].isoformat()}
    # the statutory minimum, as in the case, unless it says (not the authority's policy)
    inputs["period_days"] = case.get("period_days") or minimum_period(letter.period, case["sent"])
    case_file = CaseFile.model_validate(data)
    jobs = build_jobs(letter, case_file.case, case_file.authority, case["sent"])
    text = docx_text(compiled(letter.template).render(jobs[0].context))
    assert f"treated as served on you on {long_date(case['deemed_served'])}" in text
    assert long_date(case["deadline"]) in text
