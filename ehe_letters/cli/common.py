"""What the command-line modules share: app settings, option types and parsing, the settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.errors import InputError
from ehe_letters.settings import Settings, load_settings

__all__ = ["TYPER_SETTINGS", "TemplatesOption", "parse_date", "one_line", "settings", "shown_path"]

FIRST_YEAR, LAST_YEAR = 1990, 2100  # a letter or service date outside these is a typing slip

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


def parse_date(value: str | None, option: str = "--date") -> date:
    """Parse a YYYY-MM-DD option (default: today), or raise a one-line InputError."""
    if value is None:
        return date.today()
    try:
        when = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a real date in the form YYYY-MM-DD") from None
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise InputError(f"{option}: {value} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return when


def shown_path(path: object) -> str:
    """A file name as printed: quoted when it holds a control character or a quote, so that a
    newline in a name can never forge a line of output."""
    text = str(path)
    if text.isprintable() and '"' not in text and "'" not in text:
        return text
    return repr(text)


def settings(
    templates: Path | None = None,
    authority: Path | None = None,
    soffice: str | None = None,
    converters: int | None = None,
) -> Settings:
    """Build a command's settings once: its options, the environment, the workspace file."""
    return load_settings(
        templates=templates, authority=authority, soffice=soffice, converters=converters
    )


def one_line(text: str) -> str:
    """A message as one line: a line break or other control character inside it (from a file
    name, say) is shown escaped, so it cannot forge a line of output."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
