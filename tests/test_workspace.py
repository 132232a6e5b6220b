"""A council's workspace: init, finding it from below, settings precedence, config, upstream."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
import yaml
from docx import Document

from ehe_letters.data import packaged_examples, packaged_templates
from ehe_letters.docx.text import docx_text
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.models.loading import read_data
from ehe_letters.settings import ENVIRONMENT, find_workspace_file, load_settings

OLD, NEW = "introduces our team", "presents our team"
ROLE = "Solicitor, Legal Services"


@pytest.fixture(autouse=True)
def _no_settings_in_the_environment(monkeypatch):
    for name in ENVIRONMENT.values():
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def workspace(cli, tmp_path, monkeypatch) -> Path:
    """A new workspace, made by `ehe-letters init`, and the current folder inside it."""
    folder = tmp_path / "ws"
    result = cli("init", folder)
    assert result.code == 0, result.err
    monkeypatch.chdir(folder)
    return folder


def edit_word(path: Path, old: str = OLD, new: str = NEW) -> None:
    """Replace ``old`` by ``new`` in the one run of a .docx that holds it."""
    doc = Document(path)
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                doc.save(path)
                return
    raise AssertionError(f"{old!r} not found in {path}")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- init ----------------------------------------------------------------------------------


def test_init_creates_every_file(workspace):
    for sub in ("", "cy"):  # the letters and their Welsh versions
        folder = packaged_templates() / sub
        shipped = sorted(p.name for p in folder.iterdir() if p.is_file())
        copied = sorted(p.name for p in (workspace / "templates" / sub).iterdir() if p.is_file())
        assert copied == shipped
        for name in shipped:
            assert (workspace / "templates" / sub / name).read_bytes() == (
                folder / name
            ).read_bytes()
    for name in ("ehe-letters.toml", "authority.yaml", ".gitattributes", ".gitignore", "README.md"):
        assert (workspace / name).is_file(), name
    cases = sorted(p.name for p in (workspace / "cases").iterdir())
    expected = [f"{i}.yaml" for i in LETTER_IDS] + ["mailing-mapping.toml", "mailing.csv"]
    assert cases == sorted(expected)
    assert "*.docx diff=docx merge=binary" in (workspace / ".gitattributes").read_text()
    ignored = (workspace / ".gitignore").read_text().splitlines()
    assert {"out/", "mailings/", "specimens/", "cases/*", "!cases/welcome.yaml"} <= set(ignored)
    readme = (workspace / "README.md").read_text()
    for command in ("render welcome", "check", "template approve", "template upstream"):
        assert f"ehe-letters {command}" in readme, command
    authority = read_data(workspace / "authority.yaml")
    assert authority == read_data(packaged_examples() / "authority.yaml")
    logo = workspace / authority["logo"]  # the letterhead logo comes with the authority
    assert logo.read_bytes() == (packaged_examples() / authority["logo"]).read_bytes()


def test_case_files_use_the_workspace_authority_and_are_private(workspace):
    assert _mode(workspace / "cases") == 0o700
    for letter_id in LETTER_IDS:
        path = workspace / "cases" / f"{letter_id}.yaml"
        assert _mode(path) == 0o600
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        example = read_data(packaged_examples() / f"{letter_id}.yaml")
        assert "authority" not in data
        assert data["case"] == example["case"]
    assert _mode(workspace / "templates" / "welcome.docx") == 0o644


def test_init_refuses_a_non_empty_folder(cli, tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("ours\n")
    result = cli("init", folder)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"error: {folder}: not empty; give a new or empty folder for the workspace"
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_init_accepts_an_empty_folder(cli, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert cli("init", folder).code == 0
    assert (folder / "ehe-letters.toml").is_file()


# --- finding the workspace and the settings ------------------------------------------------


def test_the_workspace_is_found_from_a_subfolder(workspace, cli, monkeypatch):
    below = workspace / "cases" / "2026" / "december"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    assert find_workspace_file(Path.cwd()) == workspace / "ehe-letters.toml"
    result = cli("config", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["workspace"] == str(workspace / "ehe-letters.toml")
    templates = data["settings"]["templates"]
    assert templates == {
        "value": str(workspace / "templates"),
        "source": "workspace",
        "from": str(workspace / "ehe-letters.toml"),
    }
    assert data["settings"]["authority"]["value"] == str(workspace / "authority.yaml")
    assert data["settings"]["soffice"] == {"value": None, "source": "default", "from": None}


def test_config_outside_a_workspace_shows_the_packaged_defaults(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli("config", "--json").out)
    assert data["workspace"] is None
    assert data["settings"]["templates"]["value"] == str(packaged_templates())
    assert data["settings"]["templates"]["source"] == "default"
    text = cli("config").out
    assert "packaged default" in text and "workspace   (none" in text


def _write_toml(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ehe-letters.toml"
    path.write_text(text, encoding="utf-8")
    return path


# name: (option, environment, workspace file) values; each expected as read, given the folders.
PRECEDENCE = {
    "templates": ("opt", "env", "tpl"),
    "authority": ("opt.yaml", "env.yaml", "ws.yaml"),
    "soffice": ("soffice-opt", "soffice-env", "soffice-ws"),
    "converters": (3, "2", 1),
    "register": ("opt.sqlite", "env.sqlite", "ws.sqlite"),
}


def _expected(name, value, base: Path):
    if name in ("templates", "authority"):
        return base / value
    if name == "register":  # a path becomes a SQLite URL
        return f"sqlite:///{base / value}"
    return int(value) if name == "converters" else value


@pytest.mark.parametrize("name", list(PRECEDENCE))
def test_precedence_option_environment_workspace_default(tmp_path, name):
    option, env, in_file = PRECEDENCE[name]
    cwd = tmp_path / "ws" / "below"
    cwd.mkdir(parents=True)
    toml = _write_toml(tmp_path / "ws", f"{name} = {json.dumps(in_file)}\n")
    environ = {ENVIRONMENT[name]: env}

    settings = load_settings(**{name: option}, environ=environ, cwd=cwd)
    assert getattr(settings, name) == _expected(name, option, cwd)
    assert settings.origin(name).kind == "option"

    settings = load_settings(environ=environ, cwd=cwd)
    assert getattr(settings, name) == _expected(name, env, cwd)
    assert settings.origin(name).kind == "environment"
    assert settings.origin(name).where == ENVIRONMENT[name]

    settings = load_settings(environ={}, cwd=cwd)
    assert getattr(settings, name) == _expected(name, in_file, toml.parent)  # relative to it
    assert settings.origin(name).kind == "workspace"
    assert settings.origin(name).where == str(toml)
    assert settings.workspace == toml.parent

    toml.unlink()
    settings = load_settings(environ={}, cwd=cwd)
    assert settings.origin(name).kind == "default" and settings.workspace is None
    assert getattr(settings, name) == (packaged_templates() if name == "templates" else None)


def test_a_path_to_soffice_in_the_workspace_file_is_relative_to_it(tmp_path):
    _write_toml(tmp_path, 'soffice = "bin/soffice"\n')
    (tmp_path / "sub").mkdir()
    settings = load_settings(environ={}, cwd=tmp_path / "sub")
    assert settings.soffice == str(tmp_path / "bin" / "soffice")


def test_library_settings_ignore_the_workspace(tmp_path, monkeypatch):
    from ehe_letters.settings import library_settings

    _write_toml(tmp_path, 'templates = "elsewhere"\n')
    monkeypatch.chdir(tmp_path)
    assert library_settings().templates == packaged_templates()
    monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(tmp_path / "env"))
    assert library_settings().templates == tmp_path / "env"


def test_an_unknown_key_in_the_workspace_file_is_an_error(cli, tmp_path, monkeypatch):
    toml = _write_toml(tmp_path, 'templates = "templates"\ntemplate_dir = "x"\n')
    with pytest.raises(InputError, match="unknown key 'template_dir'"):
        load_settings(environ={}, cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("letters")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"error: {toml}: unknown key 'template_dir' (known keys: templates, authority, "
        "soffice, converters, unapproved, register)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("converters = 0\n", "converters: must be a whole number of at least 1"),
        ("templates = 3\n", "templates: must be a non-empty string"),
        ("templates = \n", "not valid TOML"),
    ],
)
def test_bad_values_in_the_workspace_file(tmp_path, text, message):
    toml = _write_toml(tmp_path, text)
    with pytest.raises(InputError, match=message) as exc:
        load_settings(environ={}, cwd=tmp_path)
    assert str(exc.value).startswith(str(toml))


def test_a_bad_converters_variable_names_it(tmp_path):
    with pytest.raises(InputError, match="EHE_LETTERS_CONVERTERS: 'many'"):
        load_settings(environ={"EHE_LETTERS_CONVERTERS": "many"}, cwd=tmp_path)


def test_a_missing_templates_folder_names_where_it_was_set(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(tmp_path / "nowhere"))
    result = cli("letters")
    assert result.code == 2
    assert "EHE_LETTERS_TEMPLATES" in result.err and "no such templates folder" in result.err


# --- rendering in a workspace --------------------------------------------------------------


def test_render_in_a_workspace_uses_its_templates_and_authority(workspace, cli, monkeypatch):
    edit_word(workspace / "templates" / "welcome.docx")
    authority = workspace / "authority.yaml"
    authority.write_text(
        authority.read_text().replace("Westmere Borough Council", "Eastmere District Council")
    )
    monkeypatch.chdir(workspace / "cases")  # from a subfolder too
    result = cli("render", "welcome", "welcome.yaml", "-o", "../out/", "--date", "2026-12-01")
    assert result.code == 0, result.err
    text = docx_text(Path(result.out.strip()))
    assert NEW in text and OLD not in text
    assert "Eastmere District Council" in text and "Westmere Borough" not in text


def test_the_authority_option_and_the_case_files_own_beat_the_workspace(workspace, cli):
    case = yaml.safe_load((workspace / "cases" / "welcome.yaml").read_text())
    case["authority"] = str(packaged_examples() / "authority-wales.yaml")
    (workspace / "own.yaml").write_text(yaml.safe_dump(case))
    result = cli("render", "welcome", "own.yaml", "-o", "own.docx", "--date", "2026-12-01")
    assert result.code == 0, result.err
    assert "Glanmor County Council" in docx_text(workspace / "own.docx")
    result = cli(
        "render", "welcome", "own.yaml", "-o", "opt.docx", "--date", "2026-12-01",
        "--authority", packaged_examples() / "authority.yaml",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Westmere Borough Council" in docx_text(workspace / "opt.docx")


def test_templates_option_beats_the_workspace(workspace, cli):
    edit_word(workspace / "templates" / "welcome.docx")
    result = cli(
        "render", "welcome", "cases/welcome.yaml", "-o", "shipped.docx", "--date", "2026-12-01",
        "--templates", packaged_templates(),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert OLD in docx_text(workspace / "shipped.docx")


def test_a_case_without_authority_outside_a_workspace_says_how(cli, workspace, monkeypatch):
    monkeypatch.chdir(workspace.parent)
    result = cli("render", "welcome", workspace / "cases" / "welcome.yaml", "-o", "x.docx")
    assert result.code == 2
    assert "authority: give the authority inline" in result.err
    assert not (workspace.parent / "x.docx").exists()


def test_check_in_a_workspace_reports_the_edited_template(workspace, cli):
    assert cli("check").code == 0
    edit_word(workspace / "templates" / "welcome.docx")
    result = cli("check")
    assert result.code == 1
    assert result.out.strip().splitlines() == [
        line for line in result.out.strip().splitlines() if "EHE501" in line
    ]
    assert result.out.startswith(f"{workspace / 'templates' / 'welcome.docx'}: EHE501 error")


# --- template upstream ---------------------------------------------------------------------


def test_upstream_shows_no_difference_right_after_init(workspace, cli):
    result = cli("template", "upstream")
    assert result.code == 0, result.err
    lines = result.out.strip().splitlines()
    assert len(lines) == len(LETTER_IDS) + 1
    assert all(line.endswith("same as shipped") for line in lines)


def test_upstream_shows_the_wording_diff_after_an_edit(workspace, cli):
    edit_word(workspace / "templates" / "welcome.docx")
    result = cli("template", "upstream", "welcome")
    assert result.code == 0, result.err
    assert result.out.startswith("welcome  differs: welcome.docx\n")
    minus = [line for line in result.out.splitlines() if line.startswith("-") and NEW in line]
    plus = [line for line in result.out.splitlines() if line.startswith("+") and OLD in line]
    assert len(minus) == 1 and len(plus) == 1
    assert "--take LETTER" in result.err
    everything = cli("template", "upstream").out
    # one line per letter, the ids padded to the longest
    assert re.search(r"^welcome +differs: welcome\.docx$", everything, re.MULTILINE)
    assert re.search(r"^s437-notice +same as shipped$", everything, re.MULTILINE)


def test_take_of_an_unapproved_edit_restores_the_approved_file(workspace, cli):
    template = workspace / "templates" / "welcome.docx"
    edit_word(template)
    assert cli("check").code == 1
    result = cli("template", "upstream", "--take", "welcome")
    assert result.code == 0, result.err
    assert template.read_bytes() == (packaged_templates() / "welcome.docx").read_bytes()
    assert "the file is the one approved in approvals.toml" in result.out
    assert cli("check").code == 0  # the approval on record is of the shipped file
    again = cli("template", "upstream", "--take", "welcome")
    assert "already the shipped version" in again.out


def test_take_after_the_council_approved_its_own_version_needs_approval(workspace, cli):
    template = workspace / "templates" / "welcome.docx"
    edit_word(template)
    assert cli("template", "approve", "welcome", "--by", ROLE, "--note", "our wording").code == 0
    assert cli("check").code == 0
    result = cli("template", "upstream", "--take", "welcome")
    assert result.code == 0, result.err
    assert "EHE501" in result.out and "template approve welcome" in result.out
    check = cli("check")
    assert check.code == 1
    assert [line.split(": ")[1].split()[0] for line in check.out.strip().splitlines()] == ["EHE501"]
    assert str(template) in check.out


def test_take_outside_a_workspace_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("template", "upstream", "--take", "welcome")
    assert result.code == 2 and "the templates in use are the shipped ones" in result.err


def test_upstream_of_an_unknown_letter(workspace, cli):
    result = cli("template", "upstream", "welcom")
    assert result.code == 2 and "unknown letter 'welcom'" in result.err


def test_specimens_in_a_workspace_use_its_templates_and_authority(workspace, cli):
    edit_word(workspace / "templates" / "welcome.docx")
    authority = workspace / "authority.yaml"
    authority.write_text(
        authority.read_text().replace("Westmere Borough Council", "Eastmere District Council")
    )
    result = cli("specimens", "--out", "specimens", "--date", "2026-12-01")
    assert result.code == 0, result.err
    text = docx_text(workspace / "specimens" / "welcome.docx")
    assert NEW in text and "Eastmere District Council" in text
    index = json.loads((workspace / "specimens" / "index.json").read_text())
    approval = {entry["letter"]: entry["approval"] for entry in index["letters"]}
    assert approval["welcome"] == "changed-since-approval"
    assert approval["s437-notice"] == "approved"


def test_a_soffice_in_the_workspace_file_that_is_no_program_names_the_file(tmp_path):
    from ehe_letters.pdf.soffice import find_soffice

    toml = _write_toml(tmp_path, 'soffice = "no/such/soffice"\n')
    with pytest.raises(InputError) as exc:
        find_soffice(load_settings(environ={}, cwd=tmp_path))
    assert str(exc.value).startswith(f"{toml}: soffice={tmp_path / 'no' / 'such' / 'soffice'}")
    assert "\n" not in str(exc.value)


def test_the_workspace_file_names_the_toolkit_version(workspace):
    from ehe_letters import __version__

    text = (workspace / "ehe-letters.toml").read_text()
    assert f"ehe-letters {__version__}" in text and "{version}" not in text
    assert load_settings(environ={}, cwd=workspace).templates == workspace / "templates"
