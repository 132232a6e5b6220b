"""What the command-line modules share: app settings, option types and parsing, the settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.errors import InputError
from ehe_letters.settings import Settings, load_settings

__all__ = ["RegisterOption", "TYPER_SETTINGS", "TemplatesOption", "parse_date", "settings"]

TYPER_SETTINGS = {
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}

TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="Templates folder (default: $EHE_LETTERS_TEMPLATES, the workspace's, the shipped).",
    ),
]


RegisterOption = Annotated[
    str | None,
    typer.Option(
        "--register",
        metavar="PATH_OR_URL",
        help="The register: a SQLite file or a database URL (default: $EHE_LETTERS_REGISTER, "
        "the workspace's).",
    ),
]


def parse_date(value: str | None, option: str = "--date") -> date:
    """Parse a YYYY-MM-DD option (default: today), or raise a one-line InputError."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a real date in the form YYYY-MM-DD") from None


def settings(
    templates: Path | None = None,
    authority: Path | None = None,
    soffice: str | None = None,
    converters: int | None = None,
    register: str | None = None,
) -> Settings:
    """Build a command's settings once: its options, the environment, the workspace file."""
    return load_settings(
        templates=templates,
        authority=authority,
        soffice=soffice,
        converters=converters,
        register=register,
    )
