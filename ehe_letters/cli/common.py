"""What the command-line modules share: app settings and option parsing (no imports of either)."""

from __future__ import annotations

from datetime import date

from ehe_letters.errors import InputError

__all__ = ["TYPER_SETTINGS", "parse_date"]

TYPER_SETTINGS = {
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}


def parse_date(value: str | None, option: str = "--date") -> date:
    """Parse a YYYY-MM-DD option (default: today), or raise a one-line InputError."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a real date in the form YYYY-MM-DD") from None
