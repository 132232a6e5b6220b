"""Issue 11, real exports: a mapping can describe a case-management system's export as it is."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import EXAMPLES, LETTER_DATE

from ehe_letters.batch.names import NameProblem, split_people

EXPORT = EXAMPLES / "case-system-export.csv"
MAPPING = EXAMPLES / "case-system-export-mapping.toml"


def _run(cli, source, out, mapping=MAPPING, *extra):
    return cli(
        "batch", "welcome", source, "--out", out, "--authority", EXAMPLES / "authority.yaml",
        "--mapping", mapping, "--date", LETTER_DATE, *extra,
    )  # fmt: skip


def test_the_example_export_produces_every_letter(cli, tmp_path):
    out = tmp_path / "out"
    result = _run(cli, EXPORT, out)
    assert result.code == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"]["letters"] == 4
    texts = {
        entry["reference"]: cli("template", "text", out / entry["files"][0]["path"]).out
        for entry in manifest["letters"]
    }
    # "Dr Jane Dunmore", lines 1-3 with the town last: printed in capitals.
    assert (
        "Dr Jane Dunmore / Upper Flat / 14 Orchard Lane / WESTMERE / WM1 4BD"
        in (texts["WM/EHE/2026/2001"])
    )
    # "Mr and Mrs K Patel": two parents at one address, one letter to both.
    assert "Mr K Patel and Mrs K Patel / 3 Kiln Yard / WESTMERE" in texts["WM/EHE/2026/2002"]
    # a date with a time part ("05/03/2014 00:00")
    assert "born 5 March 2014" in texts["WM/EHE/2026/2001"]


@pytest.mark.parametrize(
    ("cell", "people"),
    [
        ("Dr Jane Dunmore", [("Dr", "Jane", "Dunmore")]),
        ("Revd Canon Peter Smith", [("Revd Canon", "Peter", "Smith")]),
        ("Mr and Mrs K Patel", [("Mr", "K", "Patel"), ("Mrs", "K", "Patel")]),
        ("John and Jane Smith", [(None, "John", "Smith"), (None, "Jane", "Smith")]),
        ("Mr K Patel & Ms J Shah", [("Mr", "K", "Patel"), ("Ms", "J", "Shah")]),
    ],
)
def test_name_cells_are_split_into_title_given_names_and_family_name(cell, people):
    got = [(p.get("title"), p["given_names"], p["family_name"]) for p in split_people(cell)]
    assert got == people


@pytest.mark.parametrize("cell", ["Jane", "Mr and Mrs", "A and B and C Smith"])
def test_a_name_cell_that_cannot_be_split_says_how(cell):
    with pytest.raises(NameProblem) as caught:
        split_people(cell)
    assert cell not in str(caught.value) or len(cell) < 5


def test_a_name_cell_with_three_people_is_a_row_error_saying_how_to_split(cli, tmp_path):
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["Parent/Carer Name"] = "Ann and Bob and Cy Patel"
    source = tmp_path / "export.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    result = _run(cli, source, out)
    assert result.code == 1
    errors = (out / "errors.csv").read_text(encoding="utf-8")
    assert "case.parents[0] (column Parent/Carer Name)" in errors
    assert "a column of their own" in errors and "Cy " not in errors


def _mapping(tmp_path, body: str):
    path = tmp_path / "mapping.toml"
    path.write_text('date_format = "%d/%m/%Y"\n[columns]\n' + body, encoding="utf-8")
    return path


def test_two_columns_onto_one_field_is_an_error_when_the_mapping_is_loaded(cli, tmp_path):
    mapping = _mapping(
        tmp_path,
        '"EHE Case Number" = "case.reference"\n'
        '"Address Line 1" = "case.parents[0].address.lines[0]"\n'
        '"Address Line 2" = "case.parents[0].address.lines[0]"\n',
    )
    result = _run(cli, EXPORT, tmp_path / "out", mapping)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "'Address Line 1' and 'Address Line 2'" in result.err
    assert "case.parents[0].address.lines[0]" in result.err


def test_an_unknown_path_in_the_mapping_is_one_error_at_start(cli, tmp_path):
    mapping = _mapping(
        tmp_path,
        '"EHE Case Number" = "case.reference"\n"Postcode" = "case.parents[0].adress.postcode"\n',
    )
    result = _run(cli, EXPORT, tmp_path / "out", mapping)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "'Postcode'" in result.err and "not a field" in result.err
    assert not (tmp_path / "out").exists()


def test_a_batch_without_an_authority_is_one_error_at_start(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("EHE_LETTERS_AUTHORITY", raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli(
        "batch", "welcome", EXPORT, "--out", tmp_path / "out", "--mapping", MAPPING,
        "--date", LETTER_DATE,
    )  # fmt: skip
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "--authority" in result.err
    assert not (tmp_path / "out").exists()


def test_a_parent_address_without_town_needs_two_lines(cli, write_case):
    from conftest import example_case

    case = example_case("welcome")
    address = case["case"]["parents"][0]["address"]
    address.pop("town")
    address["lines"] = address["lines"][:1]
    result = cli("render", "welcome", write_case(case))
    assert result.code == 2
    assert "case.parents[0].address: give address.town" in result.err
