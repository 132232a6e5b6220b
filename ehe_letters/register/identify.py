"""Which produced letter a file is: its provenance (a .docx's properties, a PDF's metadata).

A letter's provenance line (``letters/produce.py`` ``provenance``) is written into the .docx's
identifier and subject properties; LibreOffice carries the subject into the PDF's document
information (/Subject), where pypdf reads it.  The register entry of a .docx is the one with
its sha256; of a PDF, the latest letter entry with the same provenance.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ehe_letters.docx.compiled import read_provenance
from ehe_letters.errors import InputError
from ehe_letters.letters.produce import parse_provenance
from ehe_letters.letters.verify_pdf import pdf_provenance

__all__ = ["file_provenance", "find_letter", "pdf_provenance"]


def file_provenance(path: Path) -> dict[str, str]:
    """The provenance fields of a produced letter, .docx or .pdf, or a one-line error."""
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    text = pdf_provenance(path) if path.suffix.lower() == ".pdf" else read_provenance(path)
    fields = parse_provenance(text)
    if not fields or not {"letter", "case", "date", "parents"} <= fields.keys():
        raise InputError(f"{path}: no ehe-letters provenance; was it produced by ehe-letters?")
    return fields


def _same_letter(row: dict[str, Any], fields: dict[str, str]) -> bool:
    child = row["child"]
    return (
        row["letter_id"] == fields["letter"]
        and row["letter_date"].isoformat() == fields["date"]
        and row["parents"] == fields["parents"]
        and (None if child is None else str(child)) == fields.get("child")
        and row["template_sha256"] == fields.get("template")
    )


def find_letter(register: Any, path: Path) -> dict[str, Any]:
    """The register's entry of the letter a file is, or a one-line error."""
    fields = file_provenance(path)
    rows = [
        r
        for r in register.rows(case_reference=fields["case"], kind="letter")
        if _same_letter(r, fields)
    ]
    if path.suffix.lower() == ".docx":
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        exact = [r for r in rows if r["file_sha256"] == digest]
        if not exact and rows:
            raise InputError(
                f"{path}: not the letter recorded in the register (entry {rows[-1]['seq']}): "
                "its file has changed since it was produced"
            )
        rows = exact
    if not rows:
        raise InputError(
            f"{path}: not in the register {register.shown}: it was produced without a register "
            "(render it again with one configured)"
        )
    return rows[-1]
