"""The command line: listing, rendering, exit codes, messages, schema files."""

from __future__ import annotations

import json

from conftest import EXAMPLES, LETTER_DATE, example_case

from ehe_letters.letters.catalogue import LETTER_IDS


def test_letters_json_lists_exactly_the_fixed_ids(cli):
    result = cli("letters", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert [row["id"] for row in rows] == list(LETTER_IDS)
    assert all(row["title"] for row in rows)


def test_letters_plain_lists_titles(cli):
    result = cli("letters")
    assert result.code == 0
    assert "s437-notice" in result.out and "School attendance order" in result.out


def test_render_to_a_file(cli, tmp_path):
    target = tmp_path / "letter.docx"
    result = cli(
        "render", "welcome", EXAMPLES / "welcome.yaml", "-o", target, "--date", LETTER_DATE
    )
    assert result.code == 0, result.err
    assert result.out.strip() == str(target)
    assert target.stat().st_size > 0


def test_render_several_letters_to_a_folder(cli, tmp_path):
    result = cli(
        "render",
        "s437-notice",
        EXAMPLES / "s437-notice.yaml",
        "-o",
        tmp_path / "out",
        "--date",
        LETTER_DATE,
    )
    assert result.code == 0, result.err
    written = result.out.split()
    assert len(written) == 2 and all(path.endswith(".docx") for path in written)


def test_several_letters_to_a_docx_path_is_refused_before_writing(cli, tmp_path):
    target = tmp_path / "one.docx"
    result = cli(
        "render", "s437-notice", EXAMPLES / "s437-notice.yaml", "-o", target, "--date", LETTER_DATE
    )
    assert result.code == 2
    assert "give a folder" in result.err
    assert not target.exists()


def test_a_parent_without_an_address_exits_2_naming_the_field(cli, tmp_path, write_case):
    data = example_case("welcome")
    del data["case"]["parents"][0]["address"]
    out = tmp_path / "out"
    result = cli("render", "welcome", write_case(data), "-o", out)
    assert result.code == 2
    assert "case.parents[0].address: Field required" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_each_problem_gets_its_own_line(cli, write_case):
    data = example_case("welcome")
    data["case"]["parents"][0]["address"]["postcode"] = "NOT A CODE"
    data["case"]["children"][0]["date_of_birth"] = "2016-13-01"
    result = cli("render", "welcome", write_case(data))
    lines = result.err.strip().splitlines()
    assert result.code == 2 and len(lines) == 2
    assert all(line.startswith("error: ") and "case.yaml" in line for line in lines)


def test_error_messages_do_not_echo_personal_data(cli, write_case):
    data = example_case("welcome")
    data["case"]["children"][0]["date_of_birth"] = "2099-01-01"
    data["case"]["parents"][0]["email"] = "sian.llyr-at-example"
    result = cli("render", "welcome", write_case(data))
    assert result.code == 2
    assert "sian.llyr" not in result.err and "2099" not in result.err
    assert "case.children[0].date_of_birth: the date of birth is not in the past" in result.err


def test_unknown_letter_id(cli):
    result = cli("render", "reminder", EXAMPLES / "welcome.yaml")
    assert result.code == 2
    assert "unknown letter 'reminder'" in result.err


def test_missing_file(cli, tmp_path):
    result = cli("render", "welcome", tmp_path / "nope.yaml")
    assert result.code == 2 and "file not found" in result.err


def test_invalid_yaml(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("case: [unclosed\n", encoding="utf-8")
    result = cli("render", "welcome", path)
    assert result.code == 2
    assert "bad.yaml: invalid YAML at line" in result.err


def test_invalid_json(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"case": ', encoding="utf-8")
    result = cli("render", "welcome", path)
    assert result.code == 2 and "bad.json: invalid JSON" in result.err


def test_json_case_files_work(cli, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_case("visit-offer"), default=str), encoding="utf-8")
    result = cli("render", "visit-offer", path, "-o", tmp_path / "v.docx", "--date", LETTER_DATE)
    assert result.code == 0, result.err


def test_bad_date_option(cli):
    result = cli("render", "welcome", EXAMPLES / "welcome.yaml", "--date", "1/12/2026")
    assert result.code == 2 and "YYYY-MM-DD" in result.err


def test_schema_check_passes_on_the_committed_schemas(cli):
    assert cli("schema", "--check", "--dir", EXAMPLES.parent / "schemas").code == 0


def test_schema_check_fails_when_a_model_field_is_added(cli, tmp_path, monkeypatch):
    assert cli("schema", "--dir", tmp_path).code == 0
    assert cli("schema", "--check", "--dir", tmp_path).code == 0

    from ehe_letters import models
    from ehe_letters.models import schema

    class Extended(models.CaseFile):
        new_field: str | None = None

    monkeypatch.setattr(schema, "CaseFile", Extended)
    result = cli("schema", "--check", "--dir", tmp_path)
    assert result.code == 1
    assert "case-file.schema.json: out of date" in result.err


def test_version_and_help(cli):
    assert cli("--version").code == 0
    assert cli("--help").code == 0


def test_a_letter_whose_inputs_the_case_lacks_is_one_line_before_the_rules(cli, tmp_path):
    result = cli("render", "sao-intention", EXAMPLES / "s437-notice.yaml", "-o", tmp_path / "o")
    assert result.code == 2
    assert result.err == (
        "error: case.inputs.sao_intention: required by the sao-intention letter but not given\n"
    )
    assert not (tmp_path / "o").exists()
