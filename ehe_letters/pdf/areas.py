"""Check a letter's PDF against GOV.UK Notify's printable areas (PDF001-PDF003).

Councils post letters through GOV.UK Notify and through print houses with window envelopes;
Notify refuses a ready-made letter PDF that prints outside its areas.  The areas (mm from the
top-left corner of an A4 portrait page), as Notify's letter specification v2.4 and its own
validator (alphagov/notifications-template-preview, ``app/precompiled.py``) define them:

  page 1      logo            15   - 125  across,  5    - 30   down
              sender details  125  - 195  across,  5    - 95   down
              address         24.6 - 120  across,  39.5 - 66.3 down  (3 to 7 lines, postcode last)
              body            15   - 195  across,  95   - 292  down
              nothing in the print-tag box, 0 - 15.191 across, 0 - 6.149 down (DVLA reads the
              tag Notify prints there to find each letter's first page)
  pages 2+    body            15   - 195  across,  5    - 292  down

PDFium (pypdfium2) gives the bounds of every page object - each text object (tight, from the
glyphs' own boxes; LibreOffice writes one per line segment), image, visible vector drawing and
form XObject (taken whole) - in one call each, so a page costs a few milliseconds.  The address
is read as Notify reads it: all text touching the address area grown by 3 mm, grouped into lines
by baseline; each line must lie in the area itself, there must be 3 to 7 lines, and the last
must be a UK postcode.  Everything else must lie inside the page's areas.

Messages give positions in millimetres and never the letter's text (letters hold personal data).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ehe_letters.errors import InputError
from ehe_letters.pdf import PDFIUM
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.registry import Rule, register

__all__ = ["ADDRESS", "AREAS", "Area", "area_findings", "check_areas"]

_SPEC = (
    "GOV.UK Notify letter specification v2.4, "
    "https://docs.notifications.service.gov.uk/documentation/images/notify-pdf-letter-spec-v2.4.pdf"
    ", and its validator (alphagov/notifications-template-preview, app/precompiled.py)"
)
OUTSIDE = register(
    Rule(
        "PDF001",
        "error",
        "pdf",
        "content outside GOV.UK Notify's printable areas (page 1: logo, sender, address and body "
        "areas, nothing in the print-tag corner; later pages: 15 mm sides, 5 mm top and bottom)",
        f"{_SPEC}: 'Content must be inside the printable area'; print tag box 0-15.191 x "
        "0-6.149 mm (notifications-template-preview docs/notify-tag.md)",
        ("pdf",),
    )
)
ADDRESS_BLOCK = register(
    Rule(
        "PDF002",
        "error",
        "pdf",
        "the address on page 1 is not one GOV.UK Notify can read: 3 to 7 lines inside "
        "24.6-120 mm across and 39.5-66.3 mm down, the postcode last",
        f"{_SPEC}: 'Address must be in this area'; at most 7 lines, at least 3, a UK postcode "
        "last (alphagov/notifications-utils, recipient_validation/postal_address.py); "
        "also the window of a DL or C5 envelope",
        ("pdf",),
    )
)
PAGES = register(
    Rule(
        "PDF003",
        "error",
        "pdf",
        "not a letter GOV.UK Notify accepts: every page A4 portrait, at most 10 pages",
        f"{_SPEC}: 'Page size and layout: A4 portrait (210 x 297 mm)'; at most 10 pages "
        "(GOV.UK Notify, 'Upload a letter')",
        ("pdf",),
    )
)

PT_PER_MM = 72 / 25.4
# Always allowed: LibreOffice lays pages out in twips (0.0176 mm) and a picture placed at
# exactly 5 mm down comes out at 4.974 mm.  0.05 mm is far below print accuracy.
EPSILON_MM = 0.05
A4_W, A4_H = 210.0, 297.0
MAX_PAGES = 10
MAX_ADDRESS_LINES, MIN_ADDRESS_LINES = 7, 3
_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|BFPO[0-9]{1,4})$")
Box = tuple[float, float, float, float]  # mm from the top-left: x0, y0, x1, y1


@dataclass(frozen=True)
class Area:
    name: str
    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, by: float) -> Area:
        return Area(self.name, self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def intersects(self, box: Box) -> bool:
        x0, y0, x1, y1 = box
        return x0 < self.x1 and x1 > self.x0 and y0 < self.y1 and y1 > self.y0

    def contains(self, box: Box) -> bool:
        x0, y0, x1, y1 = box
        return x0 >= self.x0 and x1 <= self.x1 and y0 >= self.y0 and y1 <= self.y1


TAG = Area("print-tag corner", 0.0, 0.0, 15.191, 6.149)
LOGO = Area("logo area", 15.0, 5.0, 125.0, 30.0)
SENDER = Area("sender details area", 125.0, 5.0, 195.0, 95.0)
ADDRESS = Area("address area", 24.6, 39.5, 120.0, 66.3)
BODY_FIRST = Area("body area", 15.0, 95.0, 195.0, 292.0)
BODY_LATER = Area("body area", 15.0, 5.0, 195.0, 292.0)
ADDRESS_READ = ADDRESS.grown(3.0)  # where Notify reads (and redacts) the address
AREAS = {"first": (LOGO, SENDER, ADDRESS, BODY_FIRST), "later": (BODY_LATER,)}


def _subtract(box: Box, area: Area) -> list[Box]:
    """The parts of box outside area (at most four rectangles)."""
    x0, y0, x1, y1 = box
    if not area.intersects(box):
        return [box]
    out = []
    if y0 < area.y0:
        out.append((x0, y0, x1, area.y0))
    if y1 > area.y1:
        out.append((x0, area.y1, x1, y1))
    my0, my1 = max(y0, area.y0), min(y1, area.y1)
    if x0 < area.x0:
        out.append((x0, my0, area.x0, my1))
    if x1 > area.x1:
        out.append((area.x1, my0, x1, my1))
    return out


@lru_cache(maxsize=16)
def _grown(areas: tuple[Area, ...], tol: float) -> tuple[Area, ...]:
    return tuple(area.grown(tol) for area in areas)


def _outside(box: Box, areas: tuple[Area, ...], tol: float) -> list[Box]:
    """The parts of box that lie in none of the areas (each area grown by tol)."""
    grown_areas = _grown(areas, tol)
    if any(area.contains(box) for area in grown_areas):
        return []  # the usual case: wholly in one area
    rest = [box]
    for grown in grown_areas:
        rest = [piece for part in rest for piece in _subtract(part, grown)]
        if not rest:
            break
    return [r for r in rest if r[2] - r[0] > 1e-6 and r[3] - r[1] > 1e-6]


def _zone(x: float, y: float, first: bool) -> str:
    """Name the forbidden zone a point is in (Notify's red zones)."""
    if x < 15:
        return "left margin (15 mm)"
    if x > 195:
        return "right margin (15 mm)"
    if y < 5:
        return "top margin (5 mm)"
    if y > 292:
        return "bottom margin (5 mm)"
    if first and 30 <= y < 95:
        if x < 24.6:
            return "gap left of the address area"
        if 120 < x < 125:
            return "gap right of the address area"
        if y < 39.5:
            return "gap above the address area"
        if y > 66.3:
            return "gap between the address area and the body (the body starts 95 mm down)"
    return "space outside the printable areas"


def _fmt(box: Box) -> str:
    x0, y0, x1, y1 = box
    return f"{x0:.1f}-{x1:.1f} mm across, {y0:.1f}-{y1:.1f} mm down"


@dataclass
class _Item:
    """A text object (one run of text on one line, as the PDF draws it), image or drawing."""

    kind: str  # "text", "image" or "drawing"
    box: Box
    baseline: float = 0.0  # mm down (text)
    text: str = ""  # read only for the address (to find the postcode), never reported


_KINDS = {
    pdfium_c.FPDF_PAGEOBJ_TEXT: "text",
    pdfium_c.FPDF_PAGEOBJ_IMAGE: "image",
    pdfium_c.FPDF_PAGEOBJ_PATH: "drawing",
    pdfium_c.FPDF_PAGEOBJ_SHADING: "drawing",
    pdfium_c.FPDF_PAGEOBJ_FORM: "drawing",
}


def _visible_path(raw) -> bool:
    """False for a path that paints nothing visible (no stroke and no fill, or white fill only)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(raw, fill, stroke):
        return True
    if not fill.value and not stroke.value:
        return False
    if fill.value and not stroke.value:
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        if pdfium_c.FPDFPageObj_GetFillColor(raw, r, g, b, a):
            if a.value == 0 or (r.value, g.value, b.value) == (255, 255, 255):
                return False
    return True


def _object_text(raw, textpage) -> str:
    get_text = pdfium_c.FPDFTextObj_GetText
    size = get_text(raw, textpage.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    get_text(raw, textpage.raw, buffer, size)
    return bytes(buffer)[:size].decode("utf-16-le", "replace").rstrip("\x00")


def page_objects(page):
    """The page's top-level objects as (raw handle, type, bounds in points), read through
    PDFium's own calls (no wrapper object a piece: this runs for every page of a mailing)."""
    handle = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(handle)):
        raw = pdfium_c.FPDFPage_GetObject(handle, index)
        if not pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom, right, top):
            continue
        yield (
            raw,
            pdfium_c.FPDFPageObj_GetType(raw),
            (left.value, bottom.value, right.value, top.value),
        )


def _items(page, page_h_pt: float, first: bool, textpage=None) -> list[_Item]:
    """Every text object, image and visible drawing of a page, with its bounds in mm.

    Text objects rather than characters: ~50 calls a page instead of ~2,000.  The text itself
    is read (which needs PDFium's text page: `textpage`, if the caller has it open) only for
    objects near the address on page 1.
    """
    out: list[_Item] = []
    own = textpage is None
    matrix = pdfium_c.FS_MATRIX()
    try:
        for raw, kind_code, (left, bottom, right, top) in page_objects(page):
            kind = _KINDS.get(kind_code)
            if kind is None or (kind_code == pdfium_c.FPDF_PAGEOBJ_PATH and not _visible_path(raw)):
                continue
            if right <= left and top <= bottom:
                continue
            box = (
                left / PT_PER_MM,
                (page_h_pt - top) / PT_PER_MM,
                right / PT_PER_MM,
                (page_h_pt - bottom) / PT_PER_MM,
            )
            if kind != "text":
                out.append(_Item(kind, box))
                continue
            if right - left <= 0:
                continue
            text = ""
            if first and ADDRESS_READ.intersects(box):
                textpage = textpage or page.get_textpage()
                text = _object_text(raw, textpage)
                if not text.strip():
                    continue
            baseline = box[3]
            if pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
                baseline = (page_h_pt - matrix.f) / PT_PER_MM
            out.append(_Item("text", box, baseline, text))
    finally:
        if own and textpage is not None:
            textpage.close()
    return out


def _lines(items: list[_Item]) -> list[list[_Item]]:
    """Group text items into lines by baseline (within 1 mm), top to bottom, left to right."""
    lines: list[list[_Item]] = []
    for item in sorted(items, key=lambda i: (i.baseline, i.box[0])):
        if lines and abs(lines[-1][-1].baseline - item.baseline) < 1.0:
            lines[-1].append(item)
        else:
            lines.append([item])
    return [sorted(line, key=lambda i: i.box[0]) for line in lines]


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _check_page(
    page, number: int, tol: float, out: list[tuple[Rule, str, str]], textpage=None
) -> None:
    first = number == 1
    where = f"page {number}"
    w_pt, h_pt = page.get_size()
    w, h = w_pt / PT_PER_MM, h_pt / PT_PER_MM
    if abs(w - A4_W) > 2 or abs(h - A4_H) > 2 or page.get_rotation() not in (0, 180):
        out.append((PAGES, where, f"the page is {w:.0f} x {h:.0f} mm, not A4 portrait"))
        return
    areas = AREAS["first" if first else "later"]
    tag = TAG.grown(-tol)
    address = []
    for item in _items(page, h_pt, first, textpage):
        if first and tag.intersects(item.box):
            out.append(
                (OUTSIDE, where, f"{item.kind} at {_fmt(item.box)} is in the print-tag corner")
            )
        elif first and ADDRESS_READ.intersects(item.box):
            if item.kind == "text":
                address.append(item)
            else:
                out.append(
                    (
                        ADDRESS_BLOCK,
                        where,
                        f"{item.kind} at {_fmt(item.box)} is in or next to the address area, "
                        "which Notify reads, covers and prints again",
                    )
                )
        elif parts := _outside(item.box, areas, tol):
            x0, y0, x1, y1 = max(parts, key=lambda p: (p[2] - p[0]) * (p[3] - p[1]))
            zone = _zone((x0 + x1) / 2, (y0 + y1) / 2, first)
            out.append((OUTSIDE, where, f"{item.kind} at {_fmt(item.box)} reaches into the {zone}"))
    if first:
        _check_address(_lines(address), tol, out)


def _check_address(lines: list[list[_Item]], tol: float, out: list) -> None:
    where = "page 1, address"
    if not lines:
        out.append((ADDRESS_BLOCK, where, f"no text in the address area ({_fmt(_box(ADDRESS))})"))
        return
    area = ADDRESS.grown(tol)
    for n, line in enumerate(lines, start=1):
        lb = _union([i.box for i in line])
        if area.contains(lb):
            continue
        edges = []
        if lb[0] < area.x0:
            edges.append(f"starts {lb[0]:.1f} mm from the left (the area starts at 24.6)")
        if lb[2] > area.x1:
            edges.append(f"ends {lb[2]:.1f} mm from the left (the area ends at 120)")
        if lb[1] < area.y0:
            edges.append(f"its top is {lb[1]:.1f} mm down (the area starts at 39.5)")
        if lb[3] > area.y1:
            edges.append(f"its bottom is {lb[3]:.1f} mm down (the area ends at 66.3)")
        out.append(
            (ADDRESS_BLOCK, where, f"line {n} is outside the address area: " + "; ".join(edges))
        )
    if len(lines) > MAX_ADDRESS_LINES:
        out.append((ADDRESS_BLOCK, where, f"{len(lines)} lines; at most {MAX_ADDRESS_LINES}"))
    elif len(lines) < MIN_ADDRESS_LINES:
        out.append((ADDRESS_BLOCK, where, f"{len(lines)} lines; at least {MIN_ADDRESS_LINES}"))
    last = re.sub(r"\s+", "", " ".join(i.text for i in lines[-1])).upper()
    if not _POSTCODE.match(last):
        out.append((ADDRESS_BLOCK, where, "the last line is not a UK postcode"))


def _box(a: Area) -> Box:
    return (a.x0, a.y0, a.x1, a.y1)


def area_findings(
    document: pdfium.PdfDocument,
    file: str = "",
    tolerance_mm: float = 0.0,
    pages: range | None = None,
    opened: list | None = None,
    textpages: list | None = None,
) -> list[Finding]:
    """The findings for an open PDF ([] when it keeps to Notify's areas).

    `tolerance_mm` grows every allowed area (Notify's own validator allows 1 mm for
    anti-aliasing; letters are laid out to the published areas, so it stays 0 here).
    `pages`: the letter's pages in a document of several letters (a chunk's PDF), numbered
    from 1 at its first (default: the whole document); `opened`: the document's pages, open
    (None: each is opened and closed here), and `textpages` their text pages, if open.
    """
    tol = tolerance_mm + EPSILON_MM
    found: list[tuple[Rule, str, str]] = []
    pages = pages if pages is not None else range(len(document))
    if len(pages) > MAX_PAGES:
        found.append((PAGES, "", f"the letter has {len(pages)} pages; at most {MAX_PAGES}"))
    for number, index in enumerate(pages, start=1):
        if opened is not None:
            textpage = textpages[index] if textpages is not None else None
            _check_page(opened[index], number, tol, found, textpage)
            continue
        page = document[index]
        try:
            _check_page(page, number, tol, found)
        finally:
            page.close()
    return [rule.finding(message, file, where) for rule, where, message in found]


def check_areas(path: Path) -> list[Finding]:
    """Open a PDF and check it; an unreadable file is a one-line InputError."""
    with PDFIUM:
        return _open_and_check(path)


def _open_and_check(path: Path) -> list[Finding]:
    try:
        document = pdfium.PdfDocument(path)
    except Exception as exc:  # PdfiumError, OSError: damaged, missing or not a PDF
        if Path(path).is_dir():
            raise InputError(f"{path}: is a folder, not a PDF file") from None
        if not Path(path).exists():
            raise InputError(f"{path}: file not found") from None
        raise InputError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    try:
        return area_findings(document, str(path))
    finally:
        document.close()
