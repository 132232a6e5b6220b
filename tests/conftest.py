"""Shared helpers: run the CLI in-process, build case data, find the examples."""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from ehe_letters.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LETTER_DATE = "2026-12-01"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `ehe-letters ARGS...` in-process and return the exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def example_case(name: str) -> dict:
    """Return an example case file as data, with its authority inlined (its logo's path, which
    is relative to the authority file, made absolute so the data works from any folder)."""
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    authority = yaml.safe_load((EXAMPLES / data["authority"]).read_text(encoding="utf-8"))
    if authority.get("logo"):
        authority["logo"] = str(EXAMPLES / authority["logo"])
    data["authority"] = authority
    return copy.deepcopy(data)


@pytest.fixture
def write_case(tmp_path):
    """Write case data to a YAML file in tmp_path and return its path."""

    def write(data: dict, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


def mailing_rows() -> list[dict]:
    """The rows of the example mailing export (examples/mailing.csv), as dicts."""
    with (EXAMPLES / "mailing.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def numbered_rows(count: int, first: int) -> list[dict]:
    """`count` rows of the example export, each with a reference of its own (from `first`)."""
    base = mailing_rows()
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        row["Case Ref"] = f"WM-EHE-2026-{first + i}"
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    """Write rows (dicts with the same keys) as a CSV file with a header row."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def batch(cli, source: Path, out: Path, *extra, authority: Path | None = None):
    """Run `ehe-letters batch welcome` on an export with the example mapping and authority."""
    return cli(
        "batch",
        "welcome",
        source,
        "--out",
        out,
        "--authority",
        authority or EXAMPLES / "authority.yaml",
        "--mapping",
        EXAMPLES / "mailing-mapping.toml",
        "--date",
        "2026-12-01",
        *extra,
    )


# The register's tests run on SQLite and on PostgreSQL.  .ci/run starts a throwaway server
# (tools/test_postgres.sh) and sets this variable; on CI it must be set, elsewhere a missing
# one skips the PostgreSQL half.
POSTGRES_VARIABLE = "EHE_LETTERS_TEST_POSTGRES"


def _postgres_database(base: str):
    """A new, empty database on the test server for one test; dropped after it."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ehe_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from ehe_letters.register import store

        for key in [k for k in store._OPEN if k[0] == url]:
            store._OPEN.pop(key).close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def register_url(request, tmp_path):
    """The URL of a new, empty register: a SQLite file, then a PostgreSQL database."""
    import os

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.sqlite'}"
        return
    base = os.environ.get(POSTGRES_VARIABLE, "").strip()
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the register tests on PostgreSQL: set {POSTGRES_VARIABLE}")
        pytest.skip(f"no PostgreSQL test server ({POSTGRES_VARIABLE} is not set)")
    yield from _postgres_database(base)
