"""Issue 11: memory stays bounded whatever the input.  Each input that used to take gigabytes
runs in a subprocess whose address space is limited (RLIMIT_AS), so an unbounded read fails
the test with a MemoryError instead of slowing the machine down; no timing is measured."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES

LIMIT = 768 * 1024 * 1024  # bytes of address space for the command and each of its workers
EHE = [sys.executable, "-m", "ehe_letters"]

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is Linux's")


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*EHE, *map(str, args)], capture_output=True, text=True, preexec_fn=_limited, timeout=300
    )


def _batch(source: Path, out: Path, *extra) -> subprocess.CompletedProcess:
    return _run(
        "batch", "welcome", source, "--out", out, "--authority", EXAMPLES / "authority.yaml",
        "--date", "2026-12-01", "-q", *extra,
    )  # fmt: skip


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr


def test_a_header_repeated_many_times_is_refused_within_the_limit(tmp_path):
    header = (EXAMPLES / "mailing.csv").read_text(encoding="utf-8").splitlines()[0]
    source = tmp_path / "repeated.csv"
    with source.open("w", encoding="utf-8") as handle:
        for _ in range(10):
            handle.write(",".join([header] * 50_000))
        handle.write("\n")
    result = _batch(source, tmp_path / "out", "--mapping", EXAMPLES / "mailing-mapping.toml")
    _no_traceback(result)
    assert result.returncode == 2 and "header row" in result.stderr


def test_a_header_repeated_as_a_million_rows_is_read_within_the_limit(tmp_path):
    header = (EXAMPLES / "mailing.csv").read_text(encoding="utf-8").splitlines()[0]
    source = tmp_path / "rows.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("case.reference\n")
        handle.write((header + "\n") * 1_000_000)  # each a row with too many cells
    result = _batch(source, tmp_path / "out", "--max-rows", "2000")
    _no_traceback(result)
    assert result.returncode == 2 and "--max-rows" in result.stderr


def test_an_unclosed_quote_before_20_mb_of_rows_is_read_within_the_limit(tmp_path):
    source = tmp_path / "quote.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write('case.reference,case.children[0].given_names\nREF-1,"Amelia\n')
        line = "REF-2," + "x" * 1000 + "\n"
        handle.write(line * 20_000)
    out = tmp_path / "out"
    result = _batch(source, out, "--max-cell", "2000")
    _no_traceback(result)
    assert result.returncode == 1
    errors = (out / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 1 + 20_001  # every row accounted for: row 2 unreadable, the rest invalid


def test_dev_zero_is_refused_within_the_limit(tmp_path):
    result = _batch(Path("/dev/zero"), tmp_path / "out")
    _no_traceback(result)
    assert result.returncode == 2


def test_rows_with_only_a_reference_are_read_within_the_limit(tmp_path):
    source = tmp_path / "refs.csv"
    source.write_text(
        "case.reference\n" + "".join(f"REF-{i:07d}\n" for i in range(5000)), encoding="utf-8"
    )
    result = _batch(source, tmp_path / "out", "--workers", "2")
    _no_traceback(result)
    assert result.returncode == 1


def test_a_zip_bomb_given_to_verify_is_refused_within_the_limit(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"<" * (1024 * 1024)
            for _ in range(260):  # 260 MB unpacked, about 1 MB packed
                member.write(block)
    result = _run("verify", bomb, EXAMPLES / "welcome.yaml")
    _no_traceback(result)
    assert result.returncode == 2 and "zip bomb" in result.stderr
