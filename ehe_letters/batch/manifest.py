"""What a finished batch writes last: errors.csv and manifest.json (no timestamps: stable)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ehe_letters import __version__
from ehe_letters.safe_csv import write_csv

__all__ = ["build_manifest", "write_errors"]


def write_errors(path: Path, errors: list[tuple[int, str, str, str]]) -> None:
    """errors.csv (or warnings.csv): row, case reference, field, message; formulas neutralised."""
    write_csv(path, ["row", "case_reference", "field", "message"], errors)


def build_manifest(options, letter, facts, template, results, counts, print_file) -> dict:
    """The manifest: what was produced from what, with checksums; no timestamps, so stable.

    `template` holds the template's sha256 and the letterhead logo's (None without a logo)."""
    letters = []
    warnings: Counter[str] = Counter()
    for r in results:
        warnings.update(r.warnings)
        for out in r.outputs:
            entry = {
                "row": r.row,
                "reference": r.reference,
                "letter": letter.id,
                "addressee_index": out.parents,
                "child_index": out.child,
                "language": out.language,
                "files": [{"path": f"docx/{out.name}", "sha256": out.sha256}, *out.pdf],
            }
            if out.print_pages:
                entry["print_pages"] = out.print_pages
            letters.append(entry)
    rows_failed = sum(1 for r in results if r.errors)
    total, blank = counts
    totals = {
        "rows_read": total + blank,
        "rows": total,
        "rows_ok": total - rows_failed,
        "rows_failed": rows_failed,
        "rows_blank": blank,
        "letters": len(letters),
    }
    if options.pdf:
        totals["pages"] = sum(f.get("pages", 0) for e in letters for f in e["files"])
    manifest = {
        "toolkit": f"ehe-letters {__version__}",
        "letter": letter.id,
        "date": options.letter_date.isoformat(),
        "template": {
            "file": letter.template.name,
            "sha256": template["sha256"],
            **({"draft": "DRAFT — not approved"} if template.get("draft") else {}),
        },
        **({"logo": {"sha256": template["logo_sha256"]}} if template.get("logo_sha256") else {}),
        "input": facts,
        "letters": letters,
        "warnings": dict(sorted(warnings.items())),
        "totals": totals,
    }
    if print_file:
        manifest["print_file"] = print_file
    return manifest
