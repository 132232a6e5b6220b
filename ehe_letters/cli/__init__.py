"""The thin command line (typer): each command parses arguments, calls the library, prints."""

from ehe_letters.cli.main import app, entry_point, main

__all__ = ["app", "entry_point", "main"]
