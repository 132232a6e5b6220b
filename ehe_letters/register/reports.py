"""Reading the register: a case's timeline (``history``) and what falls due (``due``).

Pure functions over entry rows (dicts, as ``Register.rows`` gives them): no database here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = ["NEXT_STEPS", "due_items", "history_items", "plain"]

# What the end of each letter's named date allows next (README, 'The register').
NEXT_STEPS = {
    "s437-notice": (
        "s437 period ends",
        "decide whether the education is suitable (a decision event); if not satisfied, and "
        "attending school is expedient, the notice of intention (sao-intention) may be served",
    ),
    "sao-intention": (
        "s438 period ends",
        "the school attendance order (school-attendance-order) may be served, naming the "
        "school the parent chose within the period, else the one in the notice",
    ),
    "school-attendance-order": (
        "SAO registration date",
        "check the child is registered at the school named; if not, the order is not complied "
        "with (s443)",
    ),
    "information-request": (
        "informal reply-by date",
        "without a reply, the concern letter (concern-notification) may follow; this date is "
        "a request, not a statutory limit",
    ),
    "concern-notification": (
        "informal reply-by date",
        "without a reply, a notice under s437(1) (s437-notice) may follow, after an informal "
        "enquiry is on file",
    ),
    "visit-offer": (
        "informal reply-by date",
        "the parent's reply to the offer to meet; a visit is never a requirement",
    ),
    "welcome": ("informal reply-by date", "the optional reply to the welcome letter"),
}


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """An entry as JSON-ready data (ISO dates), without its database-only columns."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}


def _addressee(row: dict[str, Any]) -> str:
    parents = ", ".join(f"case.parents[{p}]" for p in row["parents"].split("-"))
    return parents + (f", case.children[{row['child']}]" if row["child"] is not None else "")


def history_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A case's timeline: each entry with its date and one line saying what happened."""
    items = []
    for row in rows:
        if row["kind"] == "letter":
            when = row["letter_date"]
            named = f"; names {row['named_date'].isoformat()}" if row["named_date"] else ""
            digest = row["file_sha256"][:12]
            line = (
                f"produced {row['letter_id']} for {_addressee(row)} ({row['status']}, "
                f"{row['source']}{named}; file {row['file_name']}, sha256 {digest})"
            )
        else:
            when = row["sent_on"]
            at = f" at {row['sent_time']}" if row["sent_time"] else ""
            line = (
                f"served {row['letter_id']} on {_addressee(row)}: {row['method']}{at}, "
                f"deemed served {row['deemed_served'].isoformat()}"
            )
            if row["period_end"]:
                line += f", period ends {row['period_end'].isoformat()}"
            if row["named_date"]:
                line += f", {row['named_kind']} {row['named_date'].isoformat()}"
        items.append({"date": when.isoformat(), "entry": row["seq"], "what": line, **plain(row)})
    return items


def _due_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries whose date counts: statutory notices once served (their periods run from
    service), informal letters once produced (their reply-by date is printed in them)."""
    served = [r for r in rows if r["kind"] == "service" and r["named_kind"] != "reply-by"]
    informal = [r for r in rows if r["kind"] == "letter" and r["named_kind"] == "reply-by"]
    return served + informal


def due_items(rows: list[dict[str, Any]], on: date, within: int) -> list[dict[str, Any]]:
    """What falls due from ``on`` to ``within`` days after it, by date, with the next step."""
    last = on + timedelta(days=within)
    items = []
    for row in _due_rows(rows):
        ends = max(d for d in (row["named_date"], row["period_end"]) if d is not None)
        if not on <= ends <= last:
            continue
        what, step = NEXT_STEPS.get(row["letter_id"], ("date named", "see the letter"))
        items.append(
            {
                "date": ends.isoformat(),
                "case_reference": row["case_reference"],
                "letter": row["letter_id"],
                "addressee": _addressee(row),
                "what": what,
                "date_named": row["named_date"].isoformat() if row["named_date"] else None,
                "period_end": row["period_end"].isoformat() if row["period_end"] else None,
                "deemed_served": (
                    row["deemed_served"].isoformat() if row["deemed_served"] else None
                ),
                "next_step_from": (ends + timedelta(days=1)).isoformat(),
                "next_step": step,
                "entry": row["seq"],
            }
        )
    return sorted(items, key=lambda i: (i["date"], i["case_reference"], i["entry"]))
