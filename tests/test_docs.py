"""Keep the docs honest: every CLI command appears in the README."""

from __future__ import annotations

from conftest import ROOT

from ehe_letters.cli.main import app


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"ehe-letters {name}" in readme, name
