"""`ehe-letters init` and `config`: a council's workspace and the settings in force."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.cli.common import RegisterOption, TemplatesOption, settings
from ehe_letters.settings import WORKSPACE_FILE
from ehe_letters.workspace import init_workspace

__all__ = ["config_command", "init_command"]


def init_command(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder.")],
) -> None:
    """Create a council workspace: settings, authority, templates, example cases, README."""
    written = init_workspace(folder)
    typer.echo(f"created the workspace {folder} ({len(written)} files):")
    for name in (WORKSPACE_FILE, "authority.yaml", "templates/", "cases/", "README.md"):
        typer.echo(f"  {os.path.join(folder, name)}")
    typer.echo(f"next: edit {folder / 'authority.yaml'}, then read {folder / 'README.md'}")


def _shown(name: str, value) -> str:
    if value is not None:
        return str(value)
    return {
        "authority": "(none: each case file names its own)",
        "soffice": "(searched for when a PDF is made)",
        "converters": "(chosen by the batch)",
        "register": "(none: nothing is recorded)",
    }.get(name, "(none)")


def config_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    templates: TemplatesOption = None,
    authority: Annotated[Path | None, typer.Option("--authority", help="Authority file.")] = None,
    soffice: Annotated[str | None, typer.Option("--soffice", help="LibreOffice program.")] = None,
    converters: Annotated[
        int | None, typer.Option("--converters", min=1, help="PDF converters for a batch.")
    ] = None,
    register: RegisterOption = None,
) -> None:
    """Show the settings in force and where each came from (option, environment, workspace)."""
    config = settings(templates, authority, soffice, converters, register)
    described = config.describe()
    if as_json:
        typer.echo(json.dumps(described, indent=2))
        return
    workspace = described["workspace"] or f"(none: no {WORKSPACE_FILE} here or above)"
    typer.echo(f"{'workspace':<11} {workspace}")
    for name, entry in described["settings"].items():
        typer.echo(f"{name:<11} {_shown(name, entry['value'])}")
        typer.echo(f"{'':<11}   from: {config.origin(name)}")
