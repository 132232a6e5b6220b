"""The wheel carries every template and example: an installed toolkit works from any folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

from ehe_letters.letters.catalogue import LETTER_IDS

DATA = ROOT / "ehe_letters" / "data"


def _shipped(folder: str) -> set[str]:
    return {
        f"ehe_letters/data/{folder}/{path.name}"
        for path in (DATA / folder).iterdir()
        if path.is_file() and not path.name.startswith(".")
    }


def test_the_wheel_lists_every_template_and_example(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "ehe_letters",
        source / "ehe_letters",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(tmp_path / "wheels"), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("ehe_letters-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    templates, examples = _shipped("templates"), _shipped("examples")
    for letter in ("welcome", "s437-notice", "school-attendance-order"):
        assert f"ehe_letters/data/templates/{letter}.docx" in templates
        assert f"ehe_letters/data/templates/{letter}.toml" in templates
        assert f"ehe_letters/data/examples/{letter}.yaml" in examples
    for name in ("approvals.toml", "CHANGELOG.md", "wording-rules.toml"):
        assert f"ehe_letters/data/templates/{name}" in templates
    # a .docx and a .toml per letter, and the three shared files; an example per letter and more
    assert len(templates) == 2 * len(LETTER_IDS) + 3 and len(examples) >= len(LETTER_IDS) + 4
    assert templates <= names, sorted(templates - names)
    assert examples <= names, sorted(examples - names)
    parameters = {
        f"ehe_letters/law/parameters/{p.name}"
        for p in (ROOT / "ehe_letters" / "law" / "parameters").glob("*.yaml")
    }
    assert parameters and parameters <= names
    assert "ehe_letters/settings.py" in names and "ehe_letters/workspace.py" in names
    migrations = {
        f"ehe_letters/register/migrations/{p.relative_to(ROOT / 'ehe_letters/register/migrations')}"
        for p in (ROOT / "ehe_letters" / "register" / "migrations").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert "ehe_letters/register/migrations/env.py" in migrations
    assert migrations <= names, sorted(migrations - names)
    _migrations_run_from_the_wheel(wheel, tmp_path)
    assert not any(Path(name).parts[0] in ("tests", "tools", "benchmarks") for name in names)


def _migrations_run_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    """The register is created from the unpacked wheel (not this source tree) by its migrations."""
    unpacked = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = (
        "import ehe_letters, sys\n"
        f"assert ehe_letters.__file__.startswith({str(unpacked)!r}), ehe_letters.__file__\n"
        "from ehe_letters.register.store import Register\n"
        f"r = Register('sqlite:///{tmp_path / 'r.sqlite'}')\n"
        "print(r.count()); r.close()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert run.returncode == 0 and run.stdout.strip() == "0", run.stderr[-2000:]
