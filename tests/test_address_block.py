"""The recipient's address block fits GOV.UK Notify's address area: at most 7 printed lines."""

from __future__ import annotations

import pytest
from conftest import example_case

from ehe_letters.errors import InputError
from ehe_letters.letters.address_block import (
    check_address_block,
    check_sender_block,
    printed_lines,
)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Ms Siân Llŷr and Mr Rhodri O'Brien", 1),
        ("", 1),
        ("W" * 40, 2),  # a word wider than the cell is broken
        (" ".join(["Montgomery-Fotheringham"] * 3), 2),
        (" ".join(["Alexandra"] * 30), 6),  # five to a line
    ],
)
def test_printed_lines_wrap_as_a_word_processor_does(text, lines):
    assert printed_lines(text) == lines


def test_seven_lines_fit():
    lines = ["Flat 3", "Tŷ'r Ywen", "4 Lôn Glyndŵr", "GLANMOR", "Sir Benfro", "SA72 6DN"]
    check_address_block("Ms Siân Llŷr", lines, "case.parents[0].address")


def test_eight_lines_are_refused_naming_the_address_and_not_quoting_it():
    lines = ["Flat 3", "Tŷ'r Ywen", "4 Lôn Glyndŵr", "Pentre Isaf", "GLANMOR", "Sir Benfro"]
    with pytest.raises(InputError) as caught:
        check_address_block("Ms Siân Llŷr", [*lines, "SA72 6DN"], "case.parents[1].address")
    message = str(caught.value)
    assert message.startswith("case.parents[1].address: ") and "8 lines" in message
    assert "Glyndŵr" not in message and "Llŷr" not in message


def test_names_that_wrap_count(tmp_path):
    lines = [
        "2 Orchard Cottages",
        "Long Lane",
        "Little Sandby",
        "SANDBY",
        "Westmereshire",
        "WM8 6EW",
    ]
    check_address_block("Mr Dean Greaves", lines, "case.parents[0].address")
    names = "Dr Alexandra-Catherine Montgomery-Smythe and Mr Christopher Fotheringham-Whittingstall"
    with pytest.raises(InputError, match="8 lines"):
        check_address_block(names, lines, "case.parents[0].address")


def test_render_refuses_an_address_over_seven_lines_with_exit_2(cli, tmp_path, write_case):
    data = example_case("s437-notice")
    data["case"]["parents"][1]["address"] = {
        "lines": ["Flat 2", "The Old Rectory", "2 Orchard Cottages", "Long Lane"],
        "town": "Sandby",
        "county": "Westmereshire",
        "postcode": "WM8 6EW",
    }
    result = cli(
        "render", "s437-notice", write_case(data), "-o", tmp_path / "out", "--date", "2026-12-01"
    )
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: case.parents[1].address: ")
    assert "Traceback" not in result.err and "Rectory" not in result.err
    assert not (tmp_path / "out").exists()  # nothing written, not even the other parent's


def _sender(team: str, email: str = "priya.natarajan@westmere.example.gov.uk") -> list[str]:
    return [
        "Westmere Borough Council",
        team,
        "Directorate of Children, Education and Lifelong Learning Services",
        "Civic Centre, Floor 3 (West Wing)",
        "1 Harbour Parade",
        "Marine Business Park",
        "WESTMERE",
        "Westmereshire",
        "WM1 4AB",
        "Telephone: 01632 960 123",
        "homeeducation@westmere.example.gov.uk",
        "https://www.westmere.example.gov.uk",
        "Our reference: WM-EHE-2023-0190",
        "Date: 1 December 2026",
        "Contact: Priya Natarajan",
        "Telephone: 01632 960 124",
        email,
    ]


def test_a_long_sender_block_that_fits_is_accepted():
    # 21 printed lines: LibreOffice showed every one inside the sender area.
    team = "Elective Home Education and Children Missing Education Team (Inclusion and "
    team += "Attendance Service, North)"
    long_email = "priya.natarajan-longsurname@westmere-borough-council.example.gov.uk"
    check_sender_block(_sender(team, long_email))


def test_a_sender_block_that_would_be_cut_off_is_refused():
    team = "Elective Home Education, Children Missing Education and School Attendance Team "
    team += "(Inclusion, Attendance and Wellbeing Service, North and West Localities)"
    long_email = "priya.natarajan-longsurname@westmere-borough-council.example.gov.uk"
    with pytest.raises(InputError, match=r"^authority: the sender block on page 1 would take"):
        check_sender_block(_sender(team, long_email))
