"""The letters and examples shipped with the toolkit, read as package data.

`templates/` holds each letter's `.docx` and `.toml`, the shared wording rules, the approvals
and the changelog; `examples/` a fictional authority and one fictional case per letter.  A
council's workspace (`ehe-letters init`) starts from copies of both.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["packaged_examples", "packaged_templates"]


def _folder(name: str) -> Path:
    # Installed as files (wheel or editable install), the package data is a real folder.
    return Path(str(resources.files(__name__).joinpath(name)))


def packaged_templates() -> Path:
    """Return the folder of the shipped letter templates."""
    return _folder("templates")


def packaged_examples() -> Path:
    """Return the folder of the shipped fictional examples."""
    return _folder("examples")
