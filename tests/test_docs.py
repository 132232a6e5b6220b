"""Keep the docs honest: every CLI command appears in the README."""

from __future__ import annotations

from conftest import ROOT

from ehe_letters.cli.main import app


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"ehe-letters {name}" in readme, name


def _section(readme: str, heading: str) -> str:
    start = readme.index(f"## {heading}")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def test_how_the_code_is_organised_names_every_subpackage_and_only_real_files():
    import re

    section = _section(
        (ROOT / "README.md").read_text(encoding="utf-8"), "How the code is organised"
    )
    package = ROOT / "ehe_letters"
    for folder in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
        assert f"`{folder.name}/`" in section, f"{folder.name}/ is not described"
    for module in sorted(package.glob("*.py")):
        if module.name not in ("__init__.py", "__main__.py"):
            assert f"`{module.name}`" in section, f"{module.name} is not described"
    # every module named in the table exists in the folder of its row
    for row in re.findall(r"^\| `(\w+)/` \|(.*)$", section, re.M):
        folder, text = row
        for name in re.findall(r"`([\w]+\.py)`", text):
            assert (package / folder / name).exists(), f"{folder}/{name} does not exist"
