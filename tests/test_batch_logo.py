"""A mailing's letterhead logo: read once by the main process, passed to the workers, recorded
in the manifest, and a changed logo is a different batch for --resume."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import yaml
from conftest import EXAMPLES, batch, example_case
from images import png

from ehe_letters.batch.read import Row
from ehe_letters.batch.worker import run_rows
from ehe_letters.docx.logo import Logo
from ehe_letters.settings import Settings

LOGO = EXAMPLES / "westmere-logo.png"


def _batch(cli, out: Path, authority: Path, *extra: str):
    return batch(cli, EXAMPLES / "mailing.csv", out, *extra, authority=authority)


def _media(path: Path) -> bytes:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("word/media/ehe-logo.png")


def test_the_manifest_records_the_logo_and_every_letter_carries_it(cli, tmp_path):
    out = tmp_path / "out"
    assert _batch(cli, out, EXAMPLES / "authority.yaml").code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(LOGO.read_bytes()).hexdigest()
    assert manifest["logo"] == {"sha256": digest}
    for entry in manifest["letters"]:
        assert _media(out / entry["files"][0]["path"]) == LOGO.read_bytes()


def test_resume_refuses_a_batch_whose_logo_changed(cli, tmp_path):
    council = tmp_path / "council"
    council.mkdir()
    shutil.copy(EXAMPLES / "authority.yaml", council / "authority.yaml")
    shutil.copy(LOGO, council / "westmere-logo.png")
    out = tmp_path / "out"
    assert _batch(cli, out, council / "authority.yaml").code == 0
    (council / "westmere-logo.png").write_bytes(png(400, 100, 150, colour=(200, 16, 46)))
    result = _batch(cli, out, council / "authority.yaml", "--resume")
    assert result.code == 2
    assert "was started with a different logo sha256" in result.err


def test_without_a_logo_the_manifest_has_none(cli, tmp_path):
    data = yaml.safe_load((EXAMPLES / "authority.yaml").read_text(encoding="utf-8"))
    del data["logo"]
    authority = tmp_path / "authority.yaml"
    authority.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(cli, out, authority).code == 0
    assert "logo" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_worker_processes_use_the_logo_read_by_the_main_process(tmp_path):
    """The authority's logo path does not exist for the workers: they never read it."""
    blob = png(600, 150, 300)
    data = example_case("welcome")
    authority = yaml.safe_load((EXAMPLES / "authority.yaml").read_text(encoding="utf-8"))
    authority["logo"] = str(tmp_path / "not-there.png")
    config = {
        "letter": "welcome",
        "date": "2026-12-01",
        "docx_dir": str(tmp_path),
        "authority": authority,
        "logo": Logo.from_bytes(blob),
        "input_dir": str(tmp_path),
        "resume": False,
        "settings": Settings(templates=EXAMPLES.parent / "templates"),
        "builder": None,
    }
    rows = []
    for n in range(4):
        case = json.loads(json.dumps(data["case"], default=str))
        case["reference"] = f"WM-EHE-LOGO-{n}"
        rows.append(Row(n + 2, {"case": case}, {}))
    results = []
    run_rows(iter(rows), config, 2, results.append)
    assert [r.errors for r in results] == [[]] * 4
    for result in results:
        assert _media(tmp_path / result.outputs[0].name) == blob
