"""Issue 11, property-based: whatever a case file or a CSV row holds (any Unicode, control
characters, template syntax, formula prefixes, very long values), the command only exits 0, 1
or 2, never with a traceback, and every .docx it writes opens with python-docx."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import EXAMPLES, LETTER_DATE, example_case, mailing_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehe_letters.cli.main import main

NASTY = st.sampled_from(
    [
        "{{ x }}", "{%", "%}", "{{", "}}", "{% for a in b %}", "{{ cycler.__init__ }}",
        "=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\x0b", "\x0c", "\x00",
        "\ufffe", "\uffff", "\ud800", "\x1b[31m", "\n", "\r\n", '"', "'", "<w:t>", "&amp;",
        "]]>", "\u202e", "x" * 5000,
    ]
)  # fmt: skip
VALUE = st.lists(st.one_of(NASTY, st.text(max_size=30)), max_size=4).map("".join)
PROFILE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _run(*args) -> int:
    """Run the CLI in-process; any exception escaping it (a traceback) fails the test."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main([str(a) for a in args])
    assert code in (0, 1, 2)
    return code


def _all_open(folder: Path) -> list[Path]:
    letters = sorted(folder.rglob("*.docx"))
    for letter in letters:
        docx.Document(str(letter))
    return letters


CSV_COLUMNS = ["Case Ref", "Child Forename", "Parent Forename", "Parent Surname", "Address 1",
               "Address 2", "Town", "DOB", "Email"]  # fmt: skip


@PROFILE
@given(values=st.dictionaries(st.sampled_from(CSV_COLUMNS), VALUE, max_size=4))
def test_any_csv_row_gives_exit_0_1_or_2_and_letters_that_open(values):
    rows = copy.deepcopy(mailing_rows()[:2])
    rows[1].update(values)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "m.csv"
        with source.open("w", encoding="utf-8", newline="", errors="surrogatepass") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        out = Path(folder) / "out"
        _run(
            "batch", "welcome", source, "--out", out, "--authority",
            EXAMPLES / "authority.yaml", "--mapping", EXAMPLES / "mailing-mapping.toml",
            "--date", LETTER_DATE,
        )  # fmt: skip
        _all_open(out)


CASE_FIELDS = [
    ("parents", 0, "given_names"),
    ("parents", 0, "family_name"),
    ("parents", 0, "title"),
    ("parents", 0, "address", "lines", 0),
    ("parents", 0, "address", "town"),
    ("children", 0, "given_names"),
    ("children", 0, "school_last_attended"),
    ("reference",),
]


@PROFILE
@given(values=st.dictionaries(st.sampled_from(range(len(CASE_FIELDS))), VALUE, max_size=3))
def test_any_case_file_gives_exit_0_1_or_2_and_letters_that_open(values):
    case = example_case("welcome")
    for index, value in values.items():
        node = case["case"]
        *steps, last = CASE_FIELDS[index]
        for step in steps:
            node = node[step]
        node[last] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.json"
        path.write_text(json.dumps(case, default=str), encoding="utf-8")
        _run("render", "welcome", path, "-o", Path(folder) / "out", "--date", LETTER_DATE)
        _all_open(Path(folder) / "out")


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_a_letter_from_hostile_values_opens_in_libreoffice(tmp_path):
    case = example_case("welcome")
    parent = case["case"]["parents"][0]
    parent["family_name"] = "Jo\x0bhn {{ x }} {% if %} =SUM(A1) \x00\ufffe <w:t> &amp;"
    parent["address"]["lines"][0] = "@1 Mill\x0cStreet \x1b]]>"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert _run("render", "welcome", path, "-o", out, "--date", LETTER_DATE) == 0
    letter = _all_open(out)[0]
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(letter)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / (letter.stem + ".txt")).read_text(encoding="utf-8-sig")
    assert "{{ x }}" in text and "=SUM(A1)" in text
