"""Settings are passed, not hidden: no environment writes, no stale caches, one folder per call."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document

import ehe_letters.batch.run as batch_run
from ehe_letters.batch.run import BatchOptions, run_batch
from ehe_letters.data import packaged_examples, packaged_templates
from ehe_letters.docx.text import docx_text
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.letters.produce import Refused, render_letter
from ehe_letters.models.loading import load_authority, load_case_file
from ehe_letters.settings import ENVIRONMENT, Settings

WHEN = date(2026, 12, 1)
OLD = "introduces our team"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_settings_in_the_environment(monkeypatch):
    for name in ENVIRONMENT.values():
        monkeypatch.delenv(name, raising=False)


def _templates(folder: Path, word: str | None = None) -> Path:
    """A copy of the shipped templates; with ``word``, the welcome letter says it instead."""
    shutil.copytree(packaged_templates(), folder)
    if word:
        _edit(folder / "welcome.docx", OLD, f"{word} our team")
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    doc = Document(path)
    run = next(r for p in doc.paragraphs for r in p.runs if old in r.text)
    run.text = run.text.replace(old, new)
    doc.save(path)


def _case():
    return load_case_file(packaged_examples() / "welcome.yaml")


def _text(letters) -> str:
    return docx_text(letters[0].data)


def test_render_letter_uses_the_folder_it_is_given_and_leaves_the_environment(tmp_path):
    first = Settings(templates=_templates(tmp_path / "a", "presents"))
    second = Settings(templates=_templates(tmp_path / "b", "describes"))
    before = dict(os.environ)
    assert "presents our team" in _text(render_letter("welcome", _case(), WHEN, settings=first))
    assert "describes our team" in _text(render_letter("welcome", _case(), WHEN, settings=second))
    assert "presents our team" in _text(render_letter("welcome", _case(), WHEN, settings=first))
    assert OLD in _text(render_letter("welcome", _case(), WHEN))  # None: the packaged ones
    assert dict(os.environ) == before


def test_an_edited_template_is_read_again_in_a_long_lived_process(tmp_path):
    settings = Settings(templates=_templates(tmp_path / "t"))
    assert OLD in _text(render_letter("welcome", _case(), WHEN, settings=settings))
    _edit(settings.templates / "welcome.docx", OLD, "presents our team")
    assert "presents our team" in _text(render_letter("welcome", _case(), WHEN, settings=settings))
    toml = settings.templates / "welcome.toml"
    toml.write_text(toml.read_text().replace("welcome letter", "first letter"))
    assert get_letter("welcome", settings).title == "Home education: first letter"
    shared = settings.templates / "wording-rules.toml"
    rule = (
        '\n[[rule]]\ncode = "EHE399"\nkind = "forbidden"\nletters = ["welcome"]\n'
        'pattern = \'presents our team\'\nmessage = "test rule"\nreference = "test"\n'
    )
    shared.write_text(shared.read_text() + rule)
    with pytest.raises(Refused, match="EHE399"):
        render_letter("welcome", _case(), WHEN, settings=settings)


def _cases_json(tmp_path: Path, count: int) -> Path:
    import json

    import yaml

    case = yaml.safe_load((packaged_examples() / "welcome.yaml").read_text())["case"]
    rows = []
    for n in range(count):
        row = json.loads(json.dumps(case, default=str))
        row["reference"] = f"GLN-EHE-2026-{n:04d}"
        rows.append(row)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_run_batch_uses_its_settings_in_every_worker(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(batch_run, "SMALL_BATCH", 2)  # worker processes even for a few rows
    source = _cases_json(tmp_path, 4)
    before = dict(os.environ)
    for word in ("presents", "describes"):
        settings = Settings(
            templates=_templates(tmp_path / f"t-{word}", word),
            authority=packaged_examples() / "authority.yaml",
        )
        out = tmp_path / f"out-{word}"
        options = BatchOptions("welcome", source, out, WHEN, workers=workers)
        result = run_batch(options, settings=settings)
        assert result.errors == [] and result.written == 4
        for letter in sorted((out / "docx").iterdir()):
            text = docx_text(letter)
            assert f"{word} our team" in text and "Westmere Borough Council" in text
    assert dict(os.environ) == before
    worker = __import__("ehe_letters.batch.worker", fromlist=["_CONFIG"])
    assert worker._CONFIG == {}  # nothing of the batch is kept in this process


def test_authority_objects_are_not_kept_after_use():
    import gc

    from ehe_letters.letters import context

    authority = load_authority(packaged_examples() / "authority.yaml")
    case_file = load_case_file(packaged_examples() / "welcome.yaml", authority)
    render_letter("welcome", case_file, WHEN)
    count = len(context._AUTHORITIES)
    del authority, case_file
    gc.collect()
    assert len(context._AUTHORITIES) < count


def test_nothing_in_the_package_writes_the_environment():
    found = subprocess.run(
        [
            "grep",
            "-rnE",
            r"os\.environ\[[^]]+\] *=|os\.environ\.(update|setdefault)|putenv",
            str(ROOT / "ehe_letters"),
        ],
        capture_output=True,
        text=True,
    )
    assert found.returncode == 1, found.stdout
