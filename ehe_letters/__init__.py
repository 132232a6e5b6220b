"""ehe-letters: letters and statutory notices for elective home education teams.

The public API, for scripts and other programs (the command line is a thin layer over it)::

    from ehe_letters import load_case_file, render_letter, write_letters

    case = load_case_file(Path("cases/s437-notice.yaml"))
    letters = render_letter("s437-notice", case, date(2026, 12, 1))  # refused: raises Refused
    write_letters(letters, Path("out"), case.case.reference)

Everything else may move between releases.  Names are imported on first use, so that
``import ehe_letters`` stays cheap and the subpackages never import each other in circles.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_API = {
    "Authority": "ehe_letters.models",
    "BatchOptions": "ehe_letters.batch.results",
    "BatchResult": "ehe_letters.batch.results",
    "Case": "ehe_letters.models",
    "CaseFile": "ehe_letters.models",
    "EheLettersError": "ehe_letters.errors",
    "Finding": "ehe_letters.rules.findings",
    "InputError": "ehe_letters.errors",
    "LawError": "ehe_letters.errors",
    "LetterSet": "ehe_letters.letters.produce",
    "Refused": "ehe_letters.letters.produce",
    "Settings": "ehe_letters.settings",
    "all_letters": "ehe_letters.letters.catalogue",
    "check_templates": "ehe_letters.rules.templates",
    "get_letter": "ehe_letters.letters.catalogue",
    "load_authority": "ehe_letters.models.loading",
    "load_case_file": "ehe_letters.models.loading",
    "load_settings": "ehe_letters.settings",
    "render_letter": "ehe_letters.letters.produce",
    "run_batch": "ehe_letters.batch.run",
    "verify_letter": "ehe_letters.letters.verify",
    "write_letters": "ehe_letters.letters.write",
}

__all__ = [
    "__version__",
    "Authority",
    "BatchOptions",
    "BatchResult",
    "Case",
    "CaseFile",
    "EheLettersError",
    "Finding",
    "InputError",
    "LawError",
    "LetterSet",
    "Refused",
    "Settings",
    "all_letters",
    "check_templates",
    "get_letter",
    "load_authority",
    "load_case_file",
    "load_settings",
    "render_letter",
    "run_batch",
    "verify_letter",
    "write_letters",
]

if TYPE_CHECKING:
    from ehe_letters.batch.results import BatchOptions, BatchResult
    from ehe_letters.batch.run import run_batch
    from ehe_letters.errors import EheLettersError, InputError, LawError
    from ehe_letters.letters.catalogue import all_letters, get_letter
    from ehe_letters.letters.produce import LetterSet, Refused, render_letter
    from ehe_letters.letters.verify import verify_letter
    from ehe_letters.letters.write import write_letters
    from ehe_letters.models import Authority, Case, CaseFile
    from ehe_letters.models.loading import load_authority, load_case_file
    from ehe_letters.rules.findings import Finding
    from ehe_letters.rules.templates import check_templates
    from ehe_letters.settings import Settings, load_settings


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'ehe_letters' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
