"""The register (the letter book), on SQLite and on PostgreSQL: the issue's 'done when' steps
through the command line, the hash chain, service records as case history, and refusals."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import LETTER_DATE, example_case
from sqlalchemy import create_engine, text

from ehe_letters.register.store import Register

REF = "WM-EHE-2023-0190"  # the s437 example: two parents at separate addresses


@pytest.fixture(autouse=True)
def _no_settings_in_the_environment(monkeypatch, tmp_path):
    for name in ("EHE_LETTERS_TEMPLATES", "EHE_LETTERS_AUTHORITY", "EHE_LETTERS_REGISTER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no workspace above


def _rows(url: str, **where) -> list[dict]:
    register = Register(url)
    try:
        return register.rows(**where)
    finally:
        register.close()


def _s438_case(data: dict) -> dict:
    """The s437 example after the period: a decision and a consulted school, no service typed."""
    data = json.loads(json.dumps(data, default=str))
    data["case"]["history"] += [
        {"type": "decision", "date": "2027-01-04", "outcome": "not-satisfied", "expedient": True},
        {"type": "school-consulted", "date": "2027-01-05", "school": "Westmere Park Academy"},
    ]
    data["case"]["inputs"]["sao_intention"] = {
        "school": {
            "name": "Westmere Park Academy",
            "address": {"lines": ["Park Road"], "town": "Westmere", "postcode": "WM2 9AZ"},
            "type": "academy",
            "consulted_on": "2027-01-05",
        },
        "expedient_reasons": "No information about Tyler's education since May 2026.",
        "service": {"method": "first-class-post"},
    }
    return data


@pytest.fixture
def served(cli, write_case, tmp_path, register_url):
    """The s437 example rendered on 1 December 2026 and both notices served by first class
    post that day, recorded in a new register."""
    case = write_case(example_case("s437-notice"), "s437.yaml")
    out = tmp_path / "out"
    rendered = cli(
        "render", "s437-notice", case, "-o", out, "--date", LETTER_DATE, "--register", register_url
    )
    assert rendered.code == 0, rendered.err
    assert "recorded 2 letter(s) (entries 1-2)" in rendered.err
    letters = sorted(out.glob("*.docx"))
    for letter in letters:
        result = cli(
            "served",
            letter,
            "--method",
            "first-class-post",
            "--sent",
            "2026-12-01",
            "--register",
            register_url,
        )
        assert result.code == 0, result.err
        assert "deemed served 2026-12-03" in result.out
    return register_url, letters


def test_history_shows_each_letter_produced_and_served(cli, served):
    url, _ = served
    result = cli("history", REF, "--json", "--register", url)
    assert result.code == 0, result.err
    entries = json.loads(result.out)["entries"]
    assert [(e["kind"], e["parents"]) for e in entries] == [
        ("letter", "0"),
        ("letter", "1"),
        ("service", "0"),
        ("service", "1"),
    ]
    services = [e for e in entries if e["kind"] == "service"]
    assert {e["deemed_served"] for e in services} == {"2026-12-03"}
    assert {e["method"] for e in services} == {"first-class-post"}
    text_ = cli("history", REF, "--register", url).out
    assert "served s437-notice on case.parents[1]" in text_ and "deemed served 2026-12-03" in text_


def test_due_lists_the_period_end_the_deadline_command_gives(cli, served):
    url, _ = served
    due = cli("due", "--on", "2026-12-01", "--within", "60", "--json", "--register", url)
    assert due.code == 0, due.err
    items = json.loads(due.out)
    deadline = json.loads(
        cli(
            "deadline",
            "s437-notice",
            "--sent",
            "2026-12-01",
            "--method",
            "first-class-post",
            "--period",
            "21",
            "--json",
        ).out
    )
    assert len(items) == 2 and {i["addressee"].split(",")[0] for i in items} == {
        "case.parents[0]",
        "case.parents[1]",
    }
    for item in items:
        assert item["what"] == "s437 period ends"
        assert item["period_end"] == deadline["period_end"]
        assert item["date_named"] == deadline["deadline"]
        assert item["deemed_served"] == deadline["deemed_served"]
        assert "sao-intention" in item["next_step"]
    assert json.loads(cli("due", "--on", "2026-12-24", "--json", "--register", url).out) == []


def test_the_termly_return_counts_the_two_s437_notices(cli, served):
    url, _ = served
    result = cli(
        "return", "--from", "2026-09-01", "--to", "2026-12-31", "--json", "--register", url
    )
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["counts"]["s437_notices_served"] == {"notices": 2, "children": 1}
    assert report["counts"]["school_attendance_orders_served"]["notices"] == 0
    assert any("census date" in item for item in report["cannot_count"])
    later = json.loads(
        cli("return", "--from", "2027-01-01", "--to", "2027-03-31", "--json", "--register", url).out
    )
    assert later["counts"]["s437_notices_served"]["notices"] == 0


def test_after_a_decision_the_s438_notice_needs_no_typed_service(cli, served, write_case, tmp_path):
    url, _ = served
    data = _s438_case(example_case("s437-notice"))
    assert not [e for e in data["case"]["history"] if e["type"] == "notice-served"]
    case = write_case(data, "s438.yaml")
    without = cli("render", "sao-intention", case, "-o", tmp_path / "a", "--date", "2027-01-06")
    assert without.code == 1 and "EHE111" in without.err
    result = cli(
        "render",
        "sao-intention",
        case,
        "-o",
        tmp_path / "b",
        "--date",
        "2027-01-06",
        "--register",
        url,
    )
    assert result.code == 0, result.err
    text_ = cli("template", "text", tmp_path / "b" / f"{REF}_sao-intention_p1.docx").out
    assert (
        "sent to you by first class post on 1 December 2026 and treated as served on you on "
        "3 December 2026" in text_
    )


def test_a_service_the_case_file_records_differently_is_an_error_naming_both(
    cli, served, write_case, tmp_path
):
    url, _ = served
    data = _s438_case(example_case("s437-notice"))
    data["case"]["history"].append(
        {
            "type": "notice-served",
            "date": "2026-12-01",
            "letter": "s437-notice",
            "method": "hand",
            "parent": 0,
        }
    )
    case = write_case(data, "conflict.yaml")
    result = cli(
        "render",
        "sao-intention",
        case,
        "-o",
        tmp_path / "c",
        "--date",
        "2027-01-06",
        "--register",
        url,
    )
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "case.history[4] conflicts with register entry 3" in result.err
    assert "hand" in result.err and "first-class-post" in result.err
    # the same service typed as the register holds it is taken once
    data["case"]["history"][-1]["method"] = "first-class-post"
    same = write_case(data, "same.yaml")
    ok = cli(
        "render",
        "sao-intention",
        same,
        "-o",
        tmp_path / "d",
        "--date",
        "2027-01-06",
        "--register",
        url,
    )
    assert ok.code == 0, ok.err


def test_service_recorded_twice_or_of_an_unknown_letter_is_refused(
    cli, served, tmp_path, write_case
):
    url, letters = served
    again = cli("served", letters[0], "--method", "hand", "--sent", "2026-12-02", "--register", url)
    assert again.code == 2 and again.err.count("\n") == 1
    assert "already recorded (register entry 3" in again.err
    case = write_case(example_case("s437-notice"), "elsewhere.yaml")
    cli("render", "s437-notice", case, "-o", tmp_path / "elsewhere", "--date", "2026-12-02")
    unknown = sorted((tmp_path / "elsewhere").glob("*.docx"))[0]
    refused = cli("served", unknown, "--method", "hand", "--sent", "2026-12-02", "--register", url)
    assert refused.code == 2 and "not in the register" in refused.err
    assert refused.err.count("\n") == 1


def test_a_changed_date_in_the_database_fails_register_verify(cli, served):
    url, _ = served
    assert cli("register", "verify", "--register", url).code == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE entries SET sent_on = '2026-11-30' WHERE seq = 3"))
    engine.dispose()
    result = cli("register", "verify", "--register", url)
    assert result.code == 1
    assert "register entry 3" in result.err and "changed after recording" in result.err
    # and the rules never take the changed record as history
    history = cli("render", "s437-notice", "x.yaml", "--register", url)
    assert history.code == 2


def test_a_removed_entry_fails_register_verify(cli, served):
    url, _ = served
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM entries WHERE seq = 2"))
    engine.dispose()
    result = cli("register", "verify", "--register", url)
    assert result.code == 1 and "register entry 3" in result.err and "removed" in result.err
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM entries WHERE seq >= 3"))
    engine.dispose()
    cut = cli("register", "verify", "--register", url)
    assert cut.code == 1 and "removed" in cut.err


def test_export_is_a_proof_of_service_without_names(cli, served, tmp_path):
    url, _ = served
    target = tmp_path / "bundle" / "proof.md"
    result = cli("register", "export", "--case", REF, "-o", target, "--register", url)
    assert result.code == 0, result.err
    proof = target.read_text(encoding="utf-8")
    assert "## 2. s437-notice served on case.parents[1]" in proof
    assert "Treated as served on: 2026-12-03" in proof and "Register chain: intact" in proof
    for name in ("Greaves", "Kerry", "Mill Street", "WM5 2JD"):
        assert name not in proof
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_the_register_holds_no_names_or_addresses(cli, served):
    url, _ = served
    engine = create_engine(url)
    with engine.connect() as connection:
        dump = repr(connection.execute(text("SELECT * FROM entries")).fetchall())
    engine.dispose()
    for name in ("Greaves", "Kerry", "Dean", "Mill Street", "Orchard", "WM5 2JD", "Tyler"):
        assert name not in dump


def test_a_mailing_is_recorded_and_served_from_its_manifest(cli, tmp_path, register_url):
    from conftest import EXAMPLES, batch

    out = tmp_path / "mailing"
    made = batch(cli, EXAMPLES / "mailing.csv", out, "--register", register_url)
    assert made.code in (0, 1), made.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    count = len(manifest["letters"])
    assert f"{count} recorded in the register" in made.err
    again = batch(cli, EXAMPLES / "mailing.csv", out, "--resume", "--register", register_url)
    assert "; 0 recorded in the register" in again.err  # a re-run adds nothing
    served = ("served", out / "manifest.json", "--method", "second-class-post")
    served += ("--sent", "2026-12-02", "--register", register_url)
    result = cli(*served)
    assert result.code == 0, result.err
    assert result.out.count("\n") == count
    twice = cli(*served)
    assert twice.code == 2 and "already recorded" in twice.err
    assert len(_rows(register_url)) == 2 * count


def test_an_override_is_in_the_provenance_and_its_reason_in_the_register(
    cli, write_case, tmp_path, register_url
):
    data = example_case("s437-notice")
    data["case"]["history"] = []  # no informal enquiry: EHE110 refuses without the override
    case = write_case(data)
    result = cli(
        "render",
        "s437-notice",
        case,
        "-o",
        tmp_path / "o",
        "--date",
        LETTER_DATE,
        "--override",
        "EHE110",
        "--reason",
        "Parent refused all contact",
        "--register",
        register_url,
    )
    assert result.code == 0, result.err
    letter = sorted((tmp_path / "o").glob("*.docx"))[0]
    from ehe_letters.docx.compiled import read_provenance

    assert " overrides=EHE110" in read_provenance(letter)
    rows = _rows(register_url, kind="letter")
    assert json.loads(rows[0]["overrides"]) == {"EHE110": "Parent refused all contact"}
    verified = cli("verify", letter, case)
    assert verified.code == 0, verified.out + verified.err


def test_the_register_file_is_private_and_found_through_the_workspace(cli, tmp_path, monkeypatch):
    assert cli("init", tmp_path / "ws").code == 0
    monkeypatch.chdir(tmp_path / "ws")
    config = json.loads(cli("config", "--json").out)["settings"]["register"]
    assert config["value"] == f"sqlite:///{tmp_path / 'ws' / 'register.sqlite'}"
    assert config["source"] == "workspace"
    result = cli("render", "welcome", "cases/welcome.yaml", "-o", "out/", "--date", LETTER_DATE)
    assert result.code == 0, result.err
    assert stat.S_IMODE(os.stat(tmp_path / "ws" / "register.sqlite").st_mode) == 0o600
    assert "register.sqlite" in (tmp_path / "ws" / ".gitignore").read_text(encoding="utf-8")


def test_a_password_in_a_register_url_is_never_shown(cli, monkeypatch):
    monkeypatch.setenv("EHE_LETTERS_REGISTER", "postgresql+psycopg://ehe:s3cret@db.example/ehe")
    result = cli("config")
    assert "s3cret" not in result.out and "***" in result.out


def test_commands_that_read_the_register_need_one(cli):
    result = cli("history", REF)
    assert result.code == 2 and "no register: give --register" in result.err


def test_the_migrations_give_the_tables_schema_py_describes(register_url):
    from sqlalchemy import inspect

    from ehe_letters.register.schema import METADATA

    register = Register(register_url)
    found = inspect(register.engine)
    for table in METADATA.tables.values():
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        assert list(columns) == [c.name for c in table.columns], table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, column.name
    register.close()


def test_service_checks(cli, write_case, tmp_path, register_url):
    case = write_case(example_case("s437-notice"))
    cli(
        "render",
        "s437-notice",
        case,
        "-o",
        tmp_path / "o",
        "--date",
        LETTER_DATE,
        "--register",
        register_url,
    )
    letter = sorted((tmp_path / "o").glob("*.docx"))[0]
    for args, message in (
        (("--method", "email", "--sent", "2026-12-01"), "e-mail is never service"),
        (("--method", "hand", "--sent", "2026-11-30"), "before the letter's own date"),
        (
            ("--method", "first-class-post", "--sent", "2026-12-01", "--time", "10:00"),
            "only for a letter handed over",
        ),
        (("--method", "hand", "--sent", "2026-12-01", "--time", "25:00"), "HH:MM"),
    ):
        result = cli("served", letter, *args, "--register", register_url)
        assert result.code == 2 and message in result.err, (args, result.err)
    late = cli(
        "served",
        letter,
        "--method",
        "hand",
        "--sent",
        "2026-12-01",
        "--time",
        "17:00",
        "--register",
        register_url,
    )
    assert late.code == 0 and "deemed served 2026-12-02" in late.out  # after 16:30: next day
    edited = _edited(sorted((tmp_path / "o").glob("*.docx"))[1], tmp_path / "edited.docx")
    result = cli(
        "served", edited, "--method", "hand", "--sent", "2026-12-01", "--register", register_url
    )
    assert result.code == 2 and "its file has changed since it was produced" in result.err


def _edited(source, target):
    """A copy of a letter with one word of its text changed (its provenance kept)."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"Tyler", b"Tylor", 1)
            new.writestr(item, data)
    return target
