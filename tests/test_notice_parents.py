"""A notice is true of the parent it is addressed to: prerequisites and recitals per parent."""

from __future__ import annotations

import pytest
from conftest import example_case


def _two_parents(name: str) -> dict:
    """The example with a second parent, living apart, on whom no notice was served."""
    data = example_case(name)
    other = {
        "title": "Mr",
        "given_names": "Gareth",
        "family_name": "Reid",
        "relationship": "father",
        "lives_with_child": False,
        "address": {"lines": ["3 Quay Lane"], "town": "Westmere", "postcode": "WM9 1AA"},
    }
    data["case"]["parents"].append(other)
    return data


@pytest.mark.parametrize(
    ("letter", "code"), [("school-attendance-order", "EHE114"), ("sao-intention", "EHE111")]
)
def test_a_parent_never_served_is_refused_whole_naming_him(cli, tmp_path, write_case, letter, code):
    out = tmp_path / "out"
    case = write_case(_two_parents(letter))
    result = cli("render", letter, case, "--date", "2026-12-01", "-o", out)
    assert result.code == 1
    refusals = [line for line in result.err.splitlines() if " refused: " in line]
    assert refusals and all("case.parents[1]: " in line for line in refusals), refusals
    assert any(line.startswith(f"error: {code} refused: case.parents[1]: ") for line in refusals)
    assert "case.parents[0]" not in result.err
    assert not out.exists()  # no letter to either parent


def test_with_parent_0_the_order_for_the_served_parent_is_produced(cli, tmp_path, write_case):
    out = tmp_path / "out"
    case = write_case(_two_parents("school-attendance-order"))
    result = cli(
        "render",
        "school-attendance-order",
        case,
        "--date",
        "2026-12-01",
        "-o",
        out,
        "--parent",
        "0",
    )
    assert result.code == 0, result.err
    written = result.out.split()
    assert [p.rsplit("/", 1)[-1] for p in written] == [
        "WM-EHE-2021-0333_school-attendance-order_p1.docx"
    ]
    text = cli("template", "text", written[0]).out
    assert "To: Ms Lauren Reid" in text and "Gareth" not in text
    assert "treated as served on you on 3 June 2026" in text


def test_parent_1_alone_is_still_refused_and_an_unknown_index_is_bad_usage(
    cli, tmp_path, write_case
):
    case = write_case(_two_parents("school-attendance-order"))
    refused = cli(
        "render",
        "school-attendance-order",
        case,
        "--date",
        "2026-12-01",
        "-o",
        tmp_path / "a",
        "--parent",
        "1",
    )
    assert refused.code == 1 and "case.parents[1]" in refused.err
    unknown = cli(
        "render",
        "school-attendance-order",
        case,
        "--date",
        "2026-12-01",
        "-o",
        tmp_path / "b",
        "--parent",
        "5",
    )
    assert unknown.code == 2
    assert unknown.err.strip() == (
        "error: --parent 5: the case has 2 parent(s), numbered from 0 (case.parents[0])"
    )


def test_parent_is_for_notices_only(cli, tmp_path, write_case):
    result = cli(
        "render",
        "welcome",
        write_case(example_case("welcome")),
        "-o",
        tmp_path / "w",
        "--parent",
        "0",
    )
    assert result.code == 2
    assert "goes to the parents at each address" in result.err


def test_a_notice_made_with_parent_0_verifies_against_its_case(cli, tmp_path, write_case):
    case = write_case(_two_parents("school-attendance-order"))
    out = tmp_path / "out"
    made = cli(
        "render",
        "school-attendance-order",
        case,
        "--date",
        "2026-12-01",
        "-o",
        out,
        "--parent",
        "0",
    )
    assert made.code == 0, made.err
    result = cli("verify", made.out.split()[0], case)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("letter", ["s437-notice", "sao-intention", "school-attendance-order"])
def test_a_parent_with_withhold_child_address_gets_a_notice_without_the_child_s_street(
    cli, tmp_path, write_case, letter
):
    data = example_case(letter)
    street = data["case"]["parents"][0]["address"]["lines"][0]
    data["case"]["parents"][0]["withhold_child_address"] = True
    data["case"]["parents"][0]["lives_with_child"] = False
    other = {
        "given_names": "Sam",
        "family_name": "Carer",
        "relationship": "carer",
        "address": {"lines": ["9 Hidden Row"], "town": "Westmere", "postcode": "WM9 2BB"},
        "lives_with_child": True,
    }
    data["case"]["parents"].append(other)
    case = write_case(data)
    out = tmp_path / "out"
    result = cli("render", letter, case, "--date", "2026-12-01", "-o", out, "--parent", "0")
    assert result.code == 0, result.err
    text = cli("template", "text", result.out.split()[0]).out
    child_line = next(line for line in text.splitlines() if line.startswith("Child: "))
    assert "9 Hidden Row" not in text and "WM9 2BB" not in text  # where the child lives
    assert ", of " not in child_line and child_line.count(",") == 1  # name, born ...
    assert street in text  # the parent's own address, on the envelope


def test_a_parent_recorded_as_not_served_gets_no_notice_and_a_warning(cli, tmp_path, write_case):
    data = _two_parents("school-attendance-order")
    data["case"]["parents"][1]["not_served_reason"] = "Whereabouts unknown despite enquiries"
    out = tmp_path / "out"
    result = cli(
        "render", "school-attendance-order", write_case(data), "--date", "2026-12-01", "-o", out
    )
    assert result.code == 0, result.err
    assert [p.rsplit("/", 1)[-1] for p in result.out.split()] == [
        "WM-EHE-2021-0333_school-attendance-order_p1.docx"
    ]
    assert "EHE123 warning: case.parents[1] is not served this notice" in result.err
    assert "Whereabouts" not in result.err  # the reason is recorded, never shown
    refused = cli(
        "render",
        "school-attendance-order",
        write_case(data, "b.yaml"),
        "--date",
        "2026-12-01",
        "-o",
        tmp_path / "b",
        "--parent",
        "1",
    )
    assert refused.code == 2 and "recorded as not to be served" in refused.err
