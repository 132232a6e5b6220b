"""Allow `python -m ehe_letters`."""

from .cli import entry_point

entry_point()
