"""Allow `python -m ehe_letters`."""

from ehe_letters.cli.main import entry_point

entry_point()
