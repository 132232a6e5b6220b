"""A proof-of-service summary of one case for a court bundle (``register export --case``).

For each notice served: which letter (its file name and sha256, the template's sha256, its
date), on which parent (by index: the bundle's own papers name them), how and when it was sent,
the day it is treated as served and the end of its period as the law package computes them,
and the register entries recording it with their hashes; then whether the register's chain
is intact.  No names or addresses: the register holds none.
"""

from __future__ import annotations

from typing import Any

from ehe_letters import __version__

__all__ = ["proof_of_service"]

_DEEMED = (
    "Deemed service as computed by ehe-letters (law/service.py, the conservative reading): by "
    "hand, that day if a business day (before 16:30 when a time is recorded), else the next; "
    "left at the address, the next business day (Criminal Procedure Rules r 4.11); first class "
    "post, the second business day after posting; second class or unrecorded class, the fourth."
)


def proof_of_service(reference: str, rows: list[dict[str, Any]], chain: str | None) -> str:
    """The summary as Markdown text."""
    letters = {r["seq"]: r for r in rows if r["kind"] == "letter"}
    services = [r for r in rows if r["kind"] == "service"]
    lines = [
        f"# Proof of service: case {reference}",
        "",
        f"From the register of ehe-letters {__version__}. Parents and children are named by "
        "their index in the case file (case.parents[0] is the first parent listed).",
        "",
    ]
    if not services:
        lines += ["No service is recorded for this case.", ""]
    for number, row in enumerate(services, 1):
        produced = letters.get(row["letter_seq"], {})
        at = f" at {row['sent_time']}" if row["sent_time"] else ""
        lines += [
            f"## {number}. {row['letter_id']} served on case.parents[{row['parents']}]",
            "",
            f"- Letter: {produced.get('file_name', '?')}, dated {row['letter_date'].isoformat()}"
            f" (sha256 {row['file_sha256']})",
            f"- Template: sha256 {produced.get('template_sha256', '?')} "
            f"({produced.get('status', '?')})",
            f"- Sent: {row['method']} on {row['sent_on'].isoformat()}{at}",
            f"- Treated as served on: {row['deemed_served'].isoformat()}",
        ]
        if row["period_end"]:
            lines.append(f"- Period ends: {row['period_end'].isoformat()}")
        if row["named_date"]:
            lines.append(
                f"- Date named in the letter ({row['named_kind']}): {row['named_date'].isoformat()}"
            )
        lines += [
            f"- Register: letter recorded as entry {row['letter_seq']} "
            f"(sha256 {produced.get('sha256', '?')}), service as entry {row['seq']} "
            f"(sha256 {row['sha256']}), recorded {row['recorded_at']}",
            "",
        ]
    lines += [
        _DEEMED,
        "",
        "Register chain: " + ("intact (every entry matches its hash)" if chain is None else chain),
        "",
    ]
    return "\n".join(lines)
