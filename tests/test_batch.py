"""Batch mailings: bad rows reported without personal data, encodings, resume, manifest."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, batch, mailing_rows, write_csv

from ehe_letters.docx.text import docx_text

MAPPING = EXAMPLES / "mailing-mapping.toml"
AUTHORITY = EXAMPLES / "authority.yaml"


def test_example_mailing_produces_every_letter(cli, tmp_path):
    result = batch(cli, EXAMPLES / "mailing.csv", tmp_path / "out")
    assert result.code == 0, result.err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["totals"] == {
        "rows_read": 24,
        "rows": 24,
        "rows_ok": 24,
        "rows_failed": 0,
        "rows_blank": 0,
        "letters": 24,
    }
    for entry in manifest["letters"]:
        path = tmp_path / "out" / entry["files"][0]["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["files"][0]["sha256"]
    assert manifest["template"]["sha256"] and manifest["input"]["encoding"] == "utf-8"
    assert (
        tmp_path / "out" / "errors.csv"
    ).read_text().strip() == "row,case_reference,field,message"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_broken_rows_are_listed_without_personal_data_and_the_rest_produced(cli, tmp_path, workers):
    rows = mailing_rows()
    rows[1]["DOB"] = "31/02/2016"  # row 3: impossible date
    broken_postcode = rows[3]["Postcode"]
    rows[3]["Postcode"] = ""  # row 5: missing postcode
    rows[5]["Case Ref"] = rows[6]["Case Ref"]  # rows 7 and 8: same reference
    source = write_csv(tmp_path / "broken.csv", rows)
    out = tmp_path / "out"
    result = batch(cli, source, out, "--workers", workers)
    assert result.code == 1
    errors = list(csv.DictReader((out / "errors.csv").read_text(encoding="utf-8").splitlines()))
    assert sorted({int(e["row"]) for e in errors}) == [3, 5, 7, 8]
    by_row = {int(e["row"]): e for e in errors}
    assert by_row[3]["field"] == "case.children[0].date_of_birth (column DOB)"
    assert by_row[5]["field"] == "case.parents[0].address.postcode (column Postcode)"
    assert "duplicate" in by_row[7]["message"] and "duplicate" in by_row[8]["message"]
    text = (out / "errors.csv").read_text(encoding="utf-8")
    for index in (1, 3, 5, 6):
        for column in ("Child Forename", "Child Surname", "Parent Surname", "Address 1", "Email"):
            assert rows[index][column] not in text
    assert "2016" not in text and broken_postcode not in text
    produced = sorted(p.name for p in (out / "docx").iterdir())
    assert len(produced) == 20
    assert not any(rows[i]["Case Ref"] in " ".join(produced) for i in (1, 3, 5))


def test_windows_1252_export_keeps_names_exactly(cli, tmp_path):
    rows = mailing_rows()[:3]
    rows[0]["Parent Forename"], rows[0]["Parent Surname"] = "Zoë", "O'Brien"
    rows[1]["Parent Forename"], rows[1]["Parent Surname"] = "Jo", "Smith & Co"
    rows[2]["Child Forename"] = "Anaïs"
    source = write_csv(tmp_path / "excel.csv", rows, encoding="cp1252")
    assert "Zoë".encode("cp1252") in source.read_bytes()
    out = tmp_path / "out"
    assert batch(cli, source, out).code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["input"]["encoding"] == "cp1252"
    texts = [docx_text(p) for p in sorted((out / "docx").iterdir())]
    assert "Zoë O'Brien" in texts[0]
    assert "Jo Smith & Co" in texts[1]
    assert "Anaïs" in texts[2]


def test_utf8_with_bom(cli, tmp_path):
    source = tmp_path / "bom.csv"
    write_csv(source, mailing_rows()[:2], encoding="utf-8-sig")
    out = tmp_path / "out"
    assert batch(cli, source, out).code == 0
    assert json.loads((out / "manifest.json").read_text())["input"]["encoding"] == "utf-8-sig"


def test_undecodable_file_is_refused_without_output(cli, tmp_path):
    source = tmp_path / "odd.csv"
    source.write_bytes(b"Case Ref,Child Forename\r\nA1,\x81\x8d\r\n")
    result = batch(cli, source, tmp_path / "out")
    assert result.code == 2 and "neither UTF-8 nor Windows-1252" in result.err


def test_unknown_column_in_mapping(cli, tmp_path):
    rows = mailing_rows()[:2]
    for row in rows:
        row["Postal Code"] = row.pop("Postcode")
    source = write_csv(tmp_path / "renamed.csv", rows)
    result = batch(cli, source, tmp_path / "out")
    assert result.code == 2 and "'Postcode'" in result.err and "header row" in result.err


def test_json_and_json_lines_inputs(cli, tmp_path):
    import yaml

    case = yaml.safe_load((EXAMPLES / "information-request.yaml").read_text())["case"]
    other = json.loads(json.dumps(case, default=str))
    other["reference"] = "WM-EHE-2025-0089"
    (tmp_path / "cases.json").write_text(
        json.dumps([json.loads(json.dumps(case, default=str)), other])
    )
    (tmp_path / "cases.jsonl").write_text(
        "\n".join(json.dumps(c, default=str) for c in (case, other)) + "\n"
    )
    for name in ("cases.json", "cases.jsonl"):
        result = cli(
            "batch",
            "information-request",
            tmp_path / name,
            "--out",
            tmp_path / f"out-{name}",
            "--authority",
            AUTHORITY,
            "--date",
            "2026-12-01",
        )
        assert result.code == 0, result.err
        assert len(list((tmp_path / f"out-{name}" / "docx").iterdir())) == 2


def test_a_finished_batch_folder_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "out"
    assert batch(cli, EXAMPLES / "mailing.csv", out).code == 0
    again = batch(cli, EXAMPLES / "mailing.csv", out)
    assert again.code == 2 and "--resume" in again.err


def test_resume_refuses_a_different_input(cli, tmp_path):
    out = tmp_path / "out"
    assert batch(cli, EXAMPLES / "mailing.csv", out).code == 0
    other = write_csv(tmp_path / "other.csv", mailing_rows()[:5])
    result = batch(cli, other, out, "--resume")
    assert result.code == 2 and "different input" in result.err


def test_resume_after_losing_letters_gives_the_same_manifest(cli, tmp_path):
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    assert batch(cli, EXAMPLES / "mailing.csv", clean).code == 0
    assert batch(cli, EXAMPLES / "mailing.csv", crashed).code == 0
    # Simulate a crash: some letters never written, a temporary file left, no manifest yet.
    letters = sorted((crashed / "docx").iterdir())
    for path in letters[5:]:
        path.unlink()
    (crashed / "docx" / ".half.docx.abc.part").write_bytes(b"PK\x03")
    (crashed / "manifest.json").unlink()
    result = batch(cli, EXAMPLES / "mailing.csv", crashed, "--resume")
    assert result.code == 0, result.err
    assert "5 already there, kept" in result.err
    assert (crashed / "manifest.json").read_bytes() == (clean / "manifest.json").read_bytes()
    assert not list((crashed / "docx").glob(".*.part"))


def _big_csv(tmp_path: Path, count: int) -> Path:
    base = mailing_rows()
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        row["Case Ref"] = f"WM-EHE-2026-{10000 + i}"
        rows.append(row)
    return write_csv(tmp_path / "big.csv", rows)


def _command(source: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ehe_letters",
        "batch",
        "welcome",
        str(source),
        "--out",
        str(out),
        "--authority",
        str(AUTHORITY),
        "--mapping",
        str(MAPPING),
        "--date",
        "2026-12-01",
        "--workers",
        "2",
        *extra,
    ]


def _wait_for_letters(out: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        folder = out / "docx"
        if folder.exists() and sum(1 for _ in folder.glob("*.docx")) >= count:
            return
        time.sleep(0.01)


def test_kill_9_then_resume_matches_an_uninterrupted_run(tmp_path):
    source = _big_csv(tmp_path, 2000)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    subprocess.run(_command(source, clean), check=True, capture_output=True)
    process = subprocess.Popen(
        _command(source, killed),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_letters(killed, 300, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    made = sum(1 for _ in (killed / "docx").glob("*.docx"))
    assert 0 < made < 2000, "the batch must be killed part-way"
    assert not (killed / "manifest.json").exists()
    resumed = subprocess.run(_command(source, killed, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert (killed / "manifest.json").read_bytes() == (clean / "manifest.json").read_bytes()
    names = sorted(p.name for p in (killed / "docx").iterdir())
    assert names == sorted(p.name for p in (clean / "docx").iterdir())


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    source = _big_csv(tmp_path, 2000)
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(source, out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _wait_for_letters(out, 100, process)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the batch finished before the interrupt arrived")
    assert process.returncode == 130
    assert "--resume" in err and "Traceback" not in err


def test_a_row_the_law_module_cannot_date_fails_alone(cli, tmp_path):
    import yaml

    base = yaml.safe_load((EXAMPLES / "s437-notice.yaml").read_text())["case"]
    cases = []
    for i in range(3):
        case = json.loads(json.dumps(base, default=str))
        case["reference"] = f"WM-EHE-L{i}"
        cases.append(case)
    cases[1]["inputs"]["s437"]["service"]["sent_on"] = "2031-01-06"  # beyond the bank holidays
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(cases), encoding="utf-8")
    out = tmp_path / "out"
    result = cli(
        "batch",
        "s437-notice",
        source,
        "--out",
        out,
        "--authority",
        AUTHORITY,
        "--date",
        "2026-12-01",
        "--workers",
        "1",
    )
    assert result.code == 1
    errors = (out / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 2 and errors[1].startswith("2,WM-EHE-L1,")
    assert "bank-holiday data" in errors[1]
    assert len(list((out / "docx").iterdir())) == 4  # two parents each for the other two rows
