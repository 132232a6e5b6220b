"""Issue 11, input hardening: each failure found by trying the toolkit as an unlucky admin or
an attacker would, reproduced, and what the toolkit does now."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import EXAMPLES, LETTER_DATE, batch, example_case, mailing_rows, write_csv

from ehe_letters.batch.run import MAX_WORKERS, worker_count
from ehe_letters.letters.produce import safe_stem
from ehe_letters.safe_csv import safe_cell


def _errors(out: Path) -> list[dict]:
    return list(csv.DictReader((out / "errors.csv").read_text(encoding="utf-8").splitlines()))


def _totals(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["totals"]


def _batch_with(cli, tmp_path, count: int, changes: dict[tuple[int, str], str], *extra):
    """Run the example batch on its first `count` rows with some cells changed."""
    rows = mailing_rows()[:count]
    for (index, column), value in changes.items():
        rows[index][column] = value
    out = tmp_path / "out"
    return batch(cli, write_csv(tmp_path / "m.csv", rows), out, *extra), out, rows


def _opens(path: Path) -> None:
    docx.Document(str(path))  # raises on a file Word could not open either


# -- every row accounted for ------------------------------------------------------------------


def test_a_stray_double_quote_is_one_rows_error_and_the_rows_after_it_are_read(cli, tmp_path):
    rows = mailing_rows()
    text = write_csv(tmp_path / "m.csv", rows).read_text(encoding="utf-8").splitlines()
    cells = text[2].split(",")
    cells[9] = '"Upper Flat'  # row 3: a quote opens a cell that is never closed
    text[2] = ",".join(cells)
    source = tmp_path / "stray.csv"
    source.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(cli, source, out)
    assert result.code == 1, result.err
    assert [int(e["row"]) for e in _errors(out)] == [3]
    assert "double quote" in _errors(out)[0]["message"]
    totals = _totals(out)
    assert totals["rows_read"] == 24 and totals["letters"] == 23 and totals["rows_failed"] == 1
    assert totals["rows_read"] == totals["rows_ok"] + totals["rows_failed"] + totals["rows_blank"]
    assert "24 row(s) read" in result.err


def test_a_row_with_the_wrong_number_of_cells_and_blank_rows_are_accounted_for(cli, tmp_path):
    source = write_csv(tmp_path / "m.csv", mailing_rows()[:5])
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    lines.insert(4, "")
    lines.insert(4, ",,,,")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(cli, source, out)
    assert result.code == 1
    assert [int(e["row"]) for e in _errors(out)] == [3]
    assert "cells where the header row has" in _errors(out)[0]["message"]
    totals = _totals(out)
    assert (totals["rows_read"], totals["rows_blank"], totals["letters"]) == (7, 2, 4)


def test_an_over_long_cell_is_that_rows_error(cli, tmp_path):
    changes = {(1, "Address 2"): "x" * 500}
    result, out, _ = _batch_with(cli, tmp_path, 3, changes, "--max-cell", "100")
    assert result.code == 1
    assert [int(e["row"]) for e in _errors(out)] == [3]
    assert "--max-cell" in _errors(out)[0]["message"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Case Ref,DOB\nA,B\n".encode("utf-16"), "UTF-16"),
        (b"\x00" * 4096, "NUL bytes"),
        (b"PK\x03\x04" + b"\x00" * 100, "zip file"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_at_once(cli, tmp_path, content, expected):
    source = tmp_path / "input.csv"
    source.write_bytes(content)
    result = batch(cli, source, tmp_path / "out")
    assert result.code == 2
    assert expected in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_dev_zero_as_input_is_refused_without_reading_it(cli, tmp_path):
    result = batch(cli, Path("/dev/zero"), tmp_path / "out")
    assert result.code == 2 and "not a regular file" in result.err


def test_more_rows_than_the_limit_is_refused_before_any_letter(cli, tmp_path):
    out = tmp_path / "out"
    result = batch(cli, EXAMPLES / "mailing.csv", out, "--max-rows", "10")
    assert result.code == 2 and "--max-rows" in result.err
    assert not (out / "docx").exists() or not any((out / "docx").iterdir())


def test_a_header_repeated_on_one_line_is_refused_as_too_long(cli, tmp_path):
    header = (EXAMPLES / "mailing.csv").read_text(encoding="utf-8").splitlines()[0]
    source = tmp_path / "long.csv"
    source.write_text(",".join([header] * 2000) + "\n", encoding="utf-8")
    result = batch(cli, source, tmp_path / "out")
    assert result.code == 2 and "header row" in result.err


# -- text Word can hold -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x0b", "\x00", "\ufffe", "\x0c", "\x1b"])
def test_control_characters_in_a_row_are_removed_with_a_warning(cli, tmp_path, bad):
    changes = {(1, "Parent Forename"): f"Ja{bad}mes", (1, "Address 1"): f"31{bad}Mill Street"}
    result, out, _ = _batch_with(cli, tmp_path, 3, changes)
    assert result.code == 0, result.err
    for letter in (out / "docx").iterdir():
        _opens(letter)
    warnings = (out / "warnings.csv").read_text(encoding="utf-8")
    assert "case.parents[0].given_names (column Parent Forename)" in warnings
    assert "Mill" not in warnings and "Ja" not in warnings.replace("James", "")


def test_control_characters_in_the_authority_file_give_letters_that_open(cli, tmp_path):
    authority = yaml.safe_load((EXAMPLES / "authority.yaml").read_text(encoding="utf-8"))
    authority["team_name"] = "Elective Home\x0bEducation\x00 Team"
    authority["logo"] = str(EXAMPLES / authority["logo"])
    path = tmp_path / "authority.yaml"
    path.write_text(yaml.safe_dump(authority, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = batch(cli, EXAMPLES / "mailing.csv", out, authority=path)
    assert result.code == 0, result.err
    _opens(next((out / "docx").iterdir()))
    assert "0,,authority.team_name,characters Word cannot hold" in (
        (out / "warnings.csv").read_text(encoding="utf-8")
    )
    target = tmp_path / "one.docx"
    case = example_case("welcome")
    case["authority"] = "authority.yaml"
    case_path = tmp_path / "case.yaml"
    case_path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    result = cli("render", "welcome", case_path, "-o", target, "--date", LETTER_DATE)
    assert result.code == 0, result.err
    assert "authority.team_name: characters Word cannot hold were removed" in result.err
    _opens(target)


# -- template syntax in data is data ----------------------------------------------------------


def test_template_syntax_in_a_row_prints_literally_and_never_stops_the_batch(cli, tmp_path):
    changes = {
        (0, "Parent Forename"): "{{ authority.name }}",
        (1, "Address 1"): "{% for x in y %}",
        (2, "Parent Surname"): "Brown %}",
    }
    result, out, rows = _batch_with(cli, tmp_path, 4, changes)
    assert result.code == 0, result.err
    assert _totals(out)["letters"] == 4
    name = safe_stem(rows[0]["Case Ref"]) + "_welcome.docx"
    text = cli("template", "text", out / "docx" / name).out
    assert "{{ authority.name }}" in text


# -- safe CSV out ------------------------------------------------------------------------------


def test_errors_csv_never_holds_a_live_formula_or_an_invalid_reference(cli, tmp_path):
    formulas = ['=HYPERLINK("http://example.com","x")', "@SUM(A1:A9)"]
    changes = {(i, "Case Ref"): formula for i, formula in enumerate(formulas)}
    _, out, rows = _batch_with(cli, tmp_path, 3, changes | {(2, "DOB"): "31/02/2016"})
    errors = _errors(out)
    assert [e["case_reference"] for e in errors[:2]] == ["(invalid reference)"] * 2
    assert errors[-1]["case_reference"] == rows[2]["Case Ref"]
    text = (out / "errors.csv").read_text(encoding="utf-8")
    assert "HYPERLINK" not in text and "SUM(" not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_gets_an_apostrophe(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("plain") == "plain" and safe_cell(3) == 3


# -- nothing of other files echoed ------------------------------------------------------------


def test_an_authority_naming_another_file_is_refused_and_its_lines_never_echoed(cli, tmp_path):
    shadow = tmp_path / "shadow"
    shadow.write_text("messagebus:!:20263::::::\nroot:$6$secret:19000:0:99999:7:::\n")
    case = example_case("welcome")
    case["authority"] = str(shadow)
    case_path = tmp_path / "case.yaml"
    case_path.write_text(yaml.safe_dump(case), encoding="utf-8")
    result = cli("render", "welcome", case_path, "-o", tmp_path / "x.docx")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert ".yaml, .yml or .json" in result.err
    assert "messagebus" not in result.err and "secret" not in result.err
    renamed = tmp_path / "shadow.yaml"
    renamed.write_text(shadow.read_text())
    case["authority"] = str(renamed)
    case_path.write_text(yaml.safe_dump(case), encoding="utf-8")
    result = cli("render", "welcome", case_path, "-o", tmp_path / "x.docx")
    assert result.code == 2
    assert (
        "messagebus" not in result.err and "secret" not in result.err and "20263" not in result.err
    )


def test_an_unknown_key_is_shown_only_when_it_looks_like_a_field_with_the_closest(cli, write_case):
    case = example_case("welcome")
    case["case"]["parents"][0]["lives_with_chld"] = True
    case["case"]["parents"][0]["Jane Smith, 4 Mill Lane"] = "x"
    result = cli("render", "welcome", write_case(case))
    assert result.code == 2
    assert "case.parents[0].lives_with_chld: unknown field; did you mean 'lives_with_child'?" in (
        result.err
    )
    assert "Mill Lane" not in result.err and "not shown" in result.err


# -- one line and the right exit code ---------------------------------------------------------


def test_failures_that_gave_tracebacks_are_one_line_exit_2(cli, tmp_path):
    existing = tmp_path / "existing"
    existing.write_text("")
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("a: " + "[" * 20_000)
    cases = [
        (
            "batch",
            "welcome",
            EXAMPLES / "mailing.csv",
            "--out",
            existing,
            "--authority",
            EXAMPLES / "authority.yaml",
            "--mapping",
            EXAMPLES / "mailing-mapping.toml",
        ),
        (
            "batch",
            "welcome",
            deep_json,
            "--out",
            tmp_path / "o",
            "--authority",
            EXAMPLES / "authority.yaml",
        ),
        ("render", "welcome", deep_yaml),
        ("render", "welcome", EXAMPLES / "welcome.yaml", "--date", "9999-12-31"),
        (
            "deadline",
            "s437-notice",
            "--sent",
            "2026-01-05",
            "--method",
            "hand",
            "--period",
            "999999999",
        ),
        ("render", "welcome", EXAMPLES / "welcome.yaml", "-o", "/proc/no-such/x.docx"),
    ]
    for args in cases:
        result = cli(*args)
        assert result.code == 2, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1, (args, result.err)


def test_verify_refuses_crafted_provenance_in_one_line(cli, tmp_path):
    target = tmp_path / "letter.docx"
    assert cli("render", "welcome", EXAMPLES / "welcome.yaml", "-o", target).code == 0
    with zipfile.ZipFile(target) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    core = members["docProps/core.xml"].decode()
    start = core.index("ehe-letters/1")
    end = core.index("<", start)
    reference = yaml.safe_load((EXAMPLES / "welcome.yaml").read_text())["case"]["reference"]
    members["docProps/core.xml"] = (
        core[:start]
        + f"ehe-letters/1 letter=welcome case={reference} date=x parents=a"
        + core[end:]
    ).encode()
    crafted = tmp_path / "crafted.docx"
    with zipfile.ZipFile(crafted, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = cli("verify", crafted, EXAMPLES / "welcome.yaml")
    assert result.code == 2 and "provenance is damaged" in result.err


def test_a_batch_folder_without_a_letter_never_blocks_a_plain_rerun(cli, tmp_path):
    out = tmp_path / "out"
    (out / "docx").mkdir(parents=True)
    (out / ".ehe-batch.json").write_text('{"letter": "s437-notice"}')
    result = batch(cli, EXAMPLES / "mailing.csv", out)
    assert result.code == 0, result.err


def test_workers_are_capped():
    assert worker_count(10_000) <= MAX_WORKERS and worker_count(0) == 1


def test_a_newline_in_a_file_name_cannot_forge_an_output_line(cli, tmp_path):
    target = tmp_path / "a\nerror: forged.docx"
    result = cli("render", "welcome", EXAMPLES / "welcome.yaml", "-o", target)
    assert result.code == 0, result.err
    assert len(result.out.strip().splitlines()) == 1 and "\\n" in result.out


# -- no silent overwrite ----------------------------------------------------------------------


def test_render_refuses_to_replace_a_file_without_force(cli, tmp_path):
    target = tmp_path / "existing.docx"
    target.write_bytes(b"an officer's own letter")
    result = cli("render", "welcome", EXAMPLES / "welcome.yaml", "-o", target)
    assert result.code == 2 and "--force" in result.err
    assert target.read_bytes() == b"an officer's own letter"
    assert cli("render", "welcome", EXAMPLES / "welcome.yaml", "-o", target, "--force").code == 0
    _opens(target)


def test_references_with_slash_and_dash_name_different_files(cli, tmp_path):
    assert safe_stem("GL/2026/1") != safe_stem("GL-2026-1")
    changes = {(0, "Case Ref"): "GL/2026/1", (1, "Case Ref"): "GL-2026-1"}
    result, out, _ = _batch_with(cli, tmp_path, 2, changes)
    assert result.code == 0, result.err
    assert len(list((out / "docx").iterdir())) == 2
