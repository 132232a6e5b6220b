"""The counts for the DfE's termly elective home education and children missing education
return that the register can know, and the return's items it cannot.

The collection (mandatory since autumn 2024; GOV.UK, "Elective home education and children
missing education: submit your data") asks, among others, for the number of section 437(1)
notices issued, school attendance orders issued and revoked, children in EHE at the census
date and those who started EHE or returned to school, and children missing education.  The
register records letters and their service, so it counts the first three; the cohort counts
belong to the authority's case management system.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from ehe_letters.letters.catalogue import LETTER_IDS

__all__ = ["CANNOT_COUNT", "dfe_return"]

REVOCATION = "sao-revocation-decision"  # a letter of the remaining-letters issue

CANNOT_COUNT = (
    "children in elective home education at the census date, and by sex, year group and "
    "primary reason for EHE (the cohort is in the case management system, not the register)",
    "children who started EHE in the period, and the type of school each left",
    "children who returned to school from EHE in the period",
    "children missing education at the census date, how long each has been missing and the "
    "primary reason",
)


def _served(rows: list[dict[str, Any]], letter_id: str) -> dict[str, int]:
    chosen = [r for r in rows if r["letter_id"] == letter_id]
    children = {(r["case_reference"], r["child"]) for r in chosen}
    return {"notices": len(chosen), "children": len(children)}


def dfe_return(rows: list[dict[str, Any]], start: date, end: date) -> dict[str, Any]:
    """The counts for letters served (by the day sent) and produced (by their date) in a term."""
    served = [r for r in rows if r["kind"] == "service" and start <= r["sent_on"] <= end]
    produced = [r for r in rows if r["kind"] == "letter" and start <= r["letter_date"] <= end]
    counts: dict[str, Any] = {
        "s437_notices_served": _served(served, "s437-notice"),
        "school_attendance_orders_served": _served(served, "school-attendance-order"),
        "notices_of_intention_served": _served(served, "sao-intention"),
    }
    cannot = list(CANNOT_COUNT)
    if REVOCATION in LETTER_IDS:  # a decision letter says revoked or refused: not which here
        counts["revocation_decisions_served"] = _served(served, REVOCATION)
    cannot.insert(
        0,
        "school attendance orders revoked (the register holds the decision letters served, "
        "revocation_decisions_served, but not their outcome: count the revoked ones from the "
        "case files' revocation-decision events)",
    )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "counts": counts,
        "letters_produced": dict(sorted(Counter(r["letter_id"] for r in produced).items())),
        "letters_served": dict(sorted(Counter(r["letter_id"] for r in served).items())),
        "cannot_count": cannot,
    }
