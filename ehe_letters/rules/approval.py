"""Template approval rules (EHE5xx): a letter comes only from the template legal approved."""

from __future__ import annotations

from pathlib import Path

from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter
from ehe_letters.review.approvals import approval_status
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.registry import Rule, register

__all__ = ["check_approval"]

_HOW = "approve it again with 'ehe-letters template approve LETTER --by ROLE --note TEXT'"
_WHERE = "templates/approvals.toml (README, 'Changing a letter')"

CHANGED = register(
    Rule(
        "EHE501",
        "error",
        "approval",
        "template changed since its legal approval",
        f"{_WHERE}: legal services approve the exact wording of each template; review the "
        f"change with 'ehe-letters template diff LETTER', then {_HOW}",
        ("templates",),
    )
)
NEVER = register(
    Rule(
        "EHE502",
        "error",
        "approval",
        "template never approved",
        f"{_WHERE}: no letter is sent from a template legal services have not approved; {_HOW}",
        ("templates",),
    )
)


def check_approval(path: Path, letter: Letter) -> list[Finding]:
    """EHE501/EHE502: the template file must be the one legal services approved."""
    try:
        status, record = approval_status(letter, path)
    except InputError:  # the file cannot be read: EHE408 reports it
        return []
    if status == "approved":
        return []
    if record is None:
        return [NEVER.finding(f"the {letter.id} template has never been approved", str(path))]
    message = (
        f"the {letter.id} template changed since its approval on {record.date.isoformat()} "
        f"by {record.approved_by}"
    )
    return [CHANGED.finding(message, str(path))]
