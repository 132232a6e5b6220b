"""Regime selection is driven by the cwsa2026_commencement parameter."""

from __future__ import annotations

from datetime import date

import pytest

from ehe_letters.errors import LawError
from ehe_letters.law import CWSA2026, EA1996, cwsa2026_commencement, notice_deadline, regime_on
from ehe_letters.law import regime as regime_module


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_not_commenced(nation: str) -> None:
    assert cwsa2026_commencement(date(2026, 11, 26), nation) is None
    assert regime_on(date(2026, 11, 26), nation) == EA1996
    assert regime_on(date(2020, 1, 1), nation) == EA1996  # before Royal Assent


def test_configured_commencement(monkeypatch: pytest.MonkeyPatch) -> None:
    configured = {"england": date(2027, 9, 1), "wales": None}
    monkeypatch.setattr(regime_module, "parameter", lambda name, on: dict(configured))
    assert regime_on(date(2027, 8, 31), "england") == EA1996
    assert regime_on(date(2027, 9, 1), "england") == CWSA2026
    assert regime_on(date(2027, 9, 1), "wales") == EA1996
    with pytest.raises(LawError, match="CWSA 2026"):
        notice_deadline("s437_minimum_period", date(2027, 9, 6), "england")
    assert notice_deadline("s437_minimum_period", date(2027, 9, 6), "wales") == date(2027, 9, 20)


def test_bad_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regime_module, "parameter", lambda name, on: {"england": "soon"})
    with pytest.raises(LawError, match="must be a date or null"):
        regime_on(date(2027, 1, 1), "england")
