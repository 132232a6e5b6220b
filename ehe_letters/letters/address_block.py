"""The recipient's address block and the sender block on page 1 must fit their areas.

The template prints the addressees' names and then the address lines (street lines, town,
county, postcode), 10 pt Arial on 10.5 pt lines, in a cell 95.4 mm wide and 26.8 mm high
(24.6-120 mm across, 39.5-66.3 mm down: the window of a DL or C5 envelope).  Seven lines fit;
Notify refuses more (``notifications-utils``: at most 7 address lines, postcode last), and an
eighth line would be cut off by the cell.  So a letter whose block would need more than seven
lines, counting lines that wrap, is refused here with one line naming the address - before any
file is written - rather than printed with its postcode out of sight.

The sender block (authority, team, address, telephone, e-mail, website, our reference, date,
contact officer) has 70 x 90 mm (125-195 across, 5-95 down) at 10 pt: 21 lines fit with the
three small gaps between its groups; more would be cut off silently by the cell.  So a letter
whose sender block would need more is refused too, naming the authority's fields to shorten.

Widths are Helvetica's (metric-compatible with Arial and Liberation Sans), per 1000 units of
the font size; a letter with an accent is measured as its base letter, anything else unknown as
the widest letter, so that the estimate errs towards wrapping.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ehe_letters.errors import InputError

__all__ = [
    "MAX_ADDRESS_LINES",
    "MAX_SENDER_LINES",
    "check_address_block",
    "check_sender_block",
    "printed_lines",
]

MAX_ADDRESS_LINES = 7
MAX_SENDER_LINES = 21  # 21 x 3.94 mm + 3 gaps of 1.76 mm = 88 mm of the 90
CELL_WIDTH_MM = 95.4
SENDER_WIDTH_MM = 70.0
FONT_PT = 10.0
SAFETY = (
    0.99  # measure against 99 % of the cell: Word and LibreOffice may space text a little apart
)
_PT_PER_MM = 72 / 25.4

# Helvetica advance widths of the printable ASCII characters, space (32) to tilde (126).
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_WIDTHS = {chr(32 + i): int(w) for i, w in enumerate(_ASCII_WIDTHS.split())}
_WIDEST = 1015


@lru_cache(maxsize=1024)
def _char_width(ch: str) -> int:
    if ch in _WIDTHS:
        return _WIDTHS[ch]
    base = unicodedata.normalize("NFKD", ch)[:1]
    return _WIDTHS.get(base, _WIDEST)


@lru_cache(maxsize=8192)
def _width_mm(text: str) -> float:
    """The printed width of some text in mm (cached: towns, streets and words repeat)."""
    return sum(map(_char_width, text)) * FONT_PT / 1000 / _PT_PER_MM


def printed_lines(text: str, width_mm: float = CELL_WIDTH_MM * SAFETY) -> int:
    """How many lines `text` takes in the address cell, wrapped at spaces as word processors do
    (a word wider than the cell is broken where it reaches the edge)."""
    if _width_mm(text) <= width_mm:  # most lines fit as they are
        return 1
    lines, current = 1, 0.0
    space = _width_mm(" ")
    for word in text.split():
        width = _width_mm(word)
        if current and current + space + width <= width_mm:
            current += space + width
            continue
        if current:
            lines += 1
        while width > width_mm:  # a word longer than a line: broken at the edge
            lines += 1
            width -= width_mm
        current = width
    return lines


def check_address_block(names: str, address_lines: list[str], field: str) -> None:
    """Refuse an address block that would take more than seven lines (InputError naming
    `field`, e.g. ``case.parents[0].address``; the message never quotes the address)."""
    total = printed_lines(names) + sum(printed_lines(line) for line in address_lines)
    if total > MAX_ADDRESS_LINES:
        raise InputError(
            f"{field}: with the addressee's name the address takes {total} lines; the envelope "
            f"window and GOV.UK Notify allow at most {MAX_ADDRESS_LINES}: shorten or combine "
            "its lines"
        )


def check_sender_block(lines: list[str]) -> None:
    """Refuse a sender block (its printed lines, as the template prints them) that would take
    more lines than fit the sender area (InputError naming the authority's fields)."""
    total = sum(printed_lines(line, SENDER_WIDTH_MM * SAFETY) for line in lines)
    if total > MAX_SENDER_LINES:
        raise InputError(
            f"authority: the sender block on page 1 would take {total} lines; "
            f"{MAX_SENDER_LINES} fit its area (125-195 mm across, 5-95 mm down): shorten "
            "authority.team_name or authority.address, or the contact officer's details"
        )
