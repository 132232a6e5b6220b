"""Templates cannot run code: every place a template is rendered uses Jinja's sandbox.

Issue 11: ``{{ cycler.__init__.__globals__.os.system('...') }}`` in a template ran the command
during ``render`` and ``batch``.  Each test plants that tag in a copy of a shipped template and
checks that the command never runs, that the command reports it naming the template, and that
``check`` reports it (EHE409).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, batch, mailing_rows, write_csv
from docx import Document

from ehe_letters.docx.compiled import CompiledTemplate
from ehe_letters.errors import TemplateProblem


def _payload(marker: Path) -> str:
    return f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"


@pytest.fixture
def planted(tmp_path) -> tuple[Path, Path]:
    """A copy of the shipped templates whose welcome letter runs `touch MARKER` if unsandboxed."""
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    marker = tmp_path / "ran"
    document = Document(folder / "welcome.docx")
    document.add_paragraph(_payload(marker))
    document.save(folder / "welcome.docx")
    return folder, marker


def test_render_refuses_a_template_that_reaches_for_python_internals(cli, planted, tmp_path):
    folder, marker = planted
    result = cli(
        "render", "welcome", EXAMPLES / "welcome.yaml", "--date", "2026-12-01",
        "-o", tmp_path / "out", "--templates", folder,
    )  # fmt: skip
    assert not marker.exists(), "the template ran a command"
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert str(folder / "welcome.docx") in result.err
    assert "unsafe" in result.err and "__init__" in result.err
    assert not (tmp_path / "out").exists()


def test_batch_refuses_it_before_any_row(cli, planted, tmp_path):
    folder, marker = planted
    source = write_csv(tmp_path / "mailing.csv", mailing_rows())
    result = batch(cli, source, tmp_path / "out", "--templates", folder)
    assert not marker.exists(), "the template ran a command"
    assert result.code == 2, result.err
    assert str(folder / "welcome.docx") in result.err
    assert "Traceback" not in result.err


def test_specimens_note_it_and_run_nothing(cli, planted, tmp_path):
    folder, marker = planted
    result = cli("specimens", "--out", tmp_path / "specimens", "--templates", folder)
    assert not marker.exists(), "the template ran a command"
    index = (tmp_path / "specimens" / "index.md").read_text(encoding="utf-8")
    assert "unsafe" in index
    assert not (tmp_path / "specimens" / "welcome.docx").exists()
    assert result.code != 0 or "welcome" in index


def test_check_reports_it_with_its_own_code(cli, planted):
    folder, marker = planted
    result = cli("check", folder / "welcome.docx", "--templates", folder)
    assert not marker.exists()
    assert result.code == 1
    assert "EHE409" in result.out


@pytest.mark.parametrize(
    "tag",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{{ joiner.__class__.__mro__ }}",
        "{{ (letter | attr('__class__')) }}",
        "{{ authority['__class__'] }}",
        "{{ '{0.__class__}'.format(letter) }}",
        "{{ lipsum.__globals__['os'] }}",
    ],
)
def test_the_compiled_renderer_refuses_internals_at_run_time(tag, tmp_path):
    """Even past the static check (e.g. a name built at run time), the sandbox refuses."""
    from ehe_letters.docx.jinja_env import make_environment

    template = make_environment().from_string(tag)
    with pytest.raises(Exception) as info:
        template.render(letter={"date": "1 December 2026"}, authority={"name": "Westmere"})
    assert "unsafe" in str(info.value) or "SecurityError" in type(info.value).__name__


def test_compiling_a_planted_template_names_it(planted):
    folder, _ = planted
    with pytest.raises(TemplateProblem) as info:
        CompiledTemplate(folder / "welcome.docx")
    assert str(folder / "welcome.docx") in str(info.value)
