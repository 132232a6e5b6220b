"""Template approval rules (EHE5xx): a letter comes only from the template legal approved.

``check_approval`` is the check ``ehe-letters check`` runs.  ``approval_for_use`` is the same
rule where letters are made (``render``, ``batch``, ``specimens``): a statutory notice from a
template whose files do not match its approval is refused (:class:`NotApproved`, exit 1) unless
it is produced as a draft, marked "DRAFT — not approved" on every page; an informal letter is
produced with a warning, or refused when the settings say ``unapproved = "refuse"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ehe_letters.errors import InputError, LawError
from ehe_letters.letters.catalogue import Letter
from ehe_letters.review.approvals import Approval, Status, approval_status, changed_files
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.registry import Rule, register
from ehe_letters.settings import Settings, settings_or_default

__all__ = ["DRAFT_MARK", "NotApproved", "Use", "approval_for_use", "check_approval"]

DRAFT_MARK = "DRAFT — not approved"

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


def _problem(letter: Letter, record: Approval | None, path: Path | None = None) -> str:
    """Why the letter's template is not the approved one, in one line (no finding code)."""
    if record is None:
        return f"the {letter.id} template has never been approved"
    changed = changed_files(letter, record, path)
    what = " and ".join(p.name for p in changed) or "template"
    return (
        f"the {letter.id} template ({what}) changed since its approval on "
        f"{record.date.isoformat()} by {record.approved_by}"
    )


def check_approval(path: Path, letter: Letter) -> list[Finding]:
    """EHE501/EHE502: the template file must be the one legal services approved."""
    try:
        status, record = approval_status(letter, path)
    except InputError:  # the file cannot be read: EHE408 reports it
        return []
    if status == "approved":
        return []
    rule = CHANGED if record is not None else NEVER
    return [rule.finding(_problem(letter, record, path), str(path))]


class NotApproved(LawError):
    """A letter refused because its template does not match its approval (exit 1)."""


@dataclass(frozen=True)
class Use:
    """What may be made from a letter's template now: its approval status, whether every
    letter is marked as a draft, and the warning to show (an informal letter, unapproved)."""

    status: Status
    record: Approval | None
    draft: bool = False
    warnings: tuple[Finding, ...] = ()


def approval_for_use(letter: Letter, draft: bool = False, settings: Settings | None = None) -> Use:
    """Decide whether letters may be made from the letter's template; raise NotApproved if not.

    Approved: letters as usual (``draft`` changes nothing).  Not approved: with ``draft``,
    letters marked "DRAFT — not approved"; without it, a statutory notice is refused, and an
    informal letter is produced with an EHE501/EHE502 warning (refused when the settings'
    ``unapproved`` is "refuse").
    """
    status, record = approval_status(letter)
    if status == "approved":
        return Use(status, record)
    if draft:
        return Use(status, record, draft=True)
    rule = CHANGED if record is not None else NEVER
    problem = _problem(letter, record)
    if letter.statutory or settings_or_default(settings).unapproved == "refuse":
        kind = "a statutory notice" if letter.statutory else "unapproved letters are refused here"
        raise NotApproved(
            f"{letter.template}: {rule.code} refused: {problem} ({kind}); have it approved "
            f"('ehe-letters template approve {letter.id} --by ROLE'), or add --draft for a "
            f"letter marked '{DRAFT_MARK}'"
        )
    message = f"{problem}: produced anyway (an informal letter)"
    warning = rule.finding(message, str(letter.template), severity="warning")
    return Use(status, record, warnings=(warning,))
