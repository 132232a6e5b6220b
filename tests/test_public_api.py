"""The short public API in ehe_letters/__init__.py: every name resolves, and the example works."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import EXAMPLES

import ehe_letters


@pytest.mark.parametrize("name", ehe_letters.__all__)
def test_every_public_name_resolves(name):
    assert getattr(ehe_letters, name) is not None


def test_all_lists_exactly_the_api():
    assert set(ehe_letters.__all__) == {"__version__", *ehe_letters._API}


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        ehe_letters.render  # noqa: B018


def test_the_docstring_example_renders_and_refuses(tmp_path):
    case = ehe_letters.load_case_file(EXAMPLES / "s437-notice.yaml")
    letters = ehe_letters.render_letter("s437-notice", case, date(2026, 12, 1))
    written = ehe_letters.write_letters(letters, tmp_path / "out", case.case.reference)
    assert [p.name for p in written] == [letter.name for letter in letters]
    assert all(p.stat().st_size > 0 for p in written)
    with pytest.raises(ehe_letters.InputError, match="case.inputs.sao_intention: required"):
        ehe_letters.render_letter("sao-intention", case, date(2026, 12, 1))
    intention = ehe_letters.load_case_file(EXAMPLES / "sao-intention.yaml")
    with pytest.raises(ehe_letters.Refused) as refused:  # before the s437 notice was served
        ehe_letters.render_letter("sao-intention", intention, date(2026, 6, 5))
    assert "EHE111" in {f.code for f in refused.value.findings}
