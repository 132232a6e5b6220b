"""A letterhead's picture lifted out of the first-page header of a chunk's letters, for speed.

LibreOffice makes a page style of every section's headers and reads, decodes and checksums a
header's picture again for each one: in a chunk of letters (compose.py) the logo in each
letter's first-page header cost as much as the rest of its headers and footers together.  The
same picture in the body is read once per document.  So ``compose`` moves it, letter by letter,
from the header into the letter's first paragraph as a picture anchored to the page at the
very place the header put it, and that place is not guessed but measured and proven:

- a picture is liftable only where its place cannot depend on the letter's own data: it is the
  header's only picture, inline, in the first paragraph of a top-aligned cell in the first
  row, of exact height, of a table that begins the header.  Everything that can move it (the
  header up to the end of that paragraph, the page's size and margins, the shared styles) is
  hashed into its ``key``;
- the place of a key is learnt from a letter laid out as its template has it: the first letter
  of every chunk keeps its picture in its header (the *witness*), and ``learn`` records where
  LibreOffice put it (``Placements``, shared by a run's converters);
- a letter's picture is lifted only once its key's place is known, and ``split`` proves every
  lifted picture is at that place, the size it was, on the letter's first page, and that the
  chunk's own witness, if it has one for the key, agrees; otherwise the chunk is converted
  again without lifting.

The text of every page is unchanged (a picture has none); the pages are the same to the pixel.
"""

from __future__ import annotations

import hashlib
import json
import threading
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ehe_letters.docx.ooxml import WP, w, wp
from ehe_letters.files import write_atomic

__all__ = ["Lift", "Place", "Placements", "find", "lift", "picture_bounds"]

EMU_PER_PT = 12700
EMU_PER_MM100 = 360
TOLERANCE_PT = 0.02  # well under LibreOffice's unit (a twip, 0.05 pt): a place is exact

Bounds = tuple[float, float, float, float]  # left, bottom, right, top, in PDF points


@dataclass
class Lift:
    """A letter's liftable picture: its key, its size (points) and its w:drawing element."""

    key: str
    size: tuple[float, float]
    drawing: etree._Element
    place: Place | None = None  # where it was lifted to (None: kept, the letter is a witness)


@dataclass
class Place:
    """Where a key's picture was laid out in its header, and the nudge (twips, x and y) that
    lands a lifted picture there: LibreOffice 7.4 lays a page-anchored picture one twip above
    the offset it reads (after rounding it to 1/100 mm), so y starts one twip lower; a nudge
    found wrong is corrected from where the picture landed."""

    bounds: Bounds
    page_height: float
    nudge: tuple[int, int] = (0, 1)
    misses: int = 0


class Placements:
    """Each key's Place, learnt from witnesses and shared by a run's converters; a key seen in
    two places, or missed twice, is struck off (None: never lifted again in the run).

    Kept between runs in `path` (beside the kept LibreOffice profiles), so that a run's first
    chunks lift too; a kept place is only a starting point: every chunk still has its witness,
    and a place its witness contradicts is struck off."""

    def __init__(self, path: Path | None = None) -> None:
        self._known: dict[str, Place | None] = {}
        self._lock = threading.Lock()
        self.path = path
        if path is not None:
            self._known.update(_read(path))

    def save(self) -> None:
        """Keep the places learnt (not those struck off) for later runs; never fails a run."""
        if self.path is None:
            return
        with self._lock:
            kept = {
                key: {"bounds": p.bounds, "page_height": p.page_height, "nudge": p.nudge}
                for key, p in self._known.items()
                if p is not None
            }
        try:
            write_atomic(self.path, json.dumps(kept, indent=1).encode(), durable=False)
        except OSError:
            pass

    def get(self, key: str) -> Place | None:
        with self._lock:
            return self._known.get(key)

    def learn(self, key: str, bounds: Bounds, page_height: float) -> bool:
        """Record a witness's place; False if it disagrees with what was known."""
        with self._lock:
            if key in self._known and self._known[key] is None:
                return False
            known = self._known.get(key)
            if known is not None and not (
                _same(known.bounds, bounds) and known.page_height == page_height
            ):
                self._known[key] = None
                return False
            self._known.setdefault(key, Place(bounds, page_height))
            return True

    def missed(self, key: str, place: Place, landed: Bounds | None) -> None:
        """A lifted picture did not land at its place: correct the nudge, or strike the key."""
        with self._lock:
            known = self._known.get(key)
            if known is None or known.nudge != place.nudge:
                return  # struck off, or corrected by another chunk already
            known.misses += 1
            if landed is None or known.misses > 1:
                self._known[key] = None
                return
            dx = round((known.bounds[0] - landed[0]) * 20)
            dy = round((landed[3] - known.bounds[3]) * 20)
            known.nudge = (known.nudge[0] + dx, known.nudge[1] + dy)


def _read(path: Path) -> dict[str, Place]:
    """Places kept by earlier runs ({} if none, or unreadable: they are only a start)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            str(key): Place(
                tuple(float(v) for v in entry["bounds"]),
                float(entry["page_height"]),
                tuple(int(v) for v in entry["nudge"]),
            )
            for key, entry in data.items()
            if len(entry["bounds"]) == 4 and len(entry["nudge"]) == 2
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _same(a: Bounds, b: Bounds) -> bool:
    return all(abs(x - y) <= TOLERANCE_PT for x, y in zip(a, b, strict=True))


def find(header: etree._Element, geometry: bytes) -> Lift | None:
    """The header's liftable picture (see the module docstring), or None."""
    drawings = list(header.iter(w("drawing")))
    if len(drawings) != 1 or header.find(f".//{w('pict')}") is not None:
        return None
    drawing = drawings[0]
    inline = drawing.find(wp("inline"))
    extent = inline.find(wp("extent")) if inline is not None else None
    paragraph = drawing.getparent().getparent() if drawing.getparent() is not None else None
    if extent is None or paragraph is None or paragraph.tag != w("p"):
        return None
    cell, row = paragraph.getparent(), None
    if cell is not None and cell.tag == w("tc"):
        row = cell.getparent()
    table = row.getparent() if row is not None else None
    if table is None or table.tag != w("tbl") or _first_content(header) is not table:
        return None
    if table.find(w("tr")) is not row or cell.find(w("p")) is not paragraph:
        return None
    height = row.find(f"{w('trPr')}/{w('trHeight')}")
    align = cell.find(f"{w('tcPr')}/{w('vAlign')}")
    if height is None or height.get(w("hRule")) != "exact":
        return None
    if align is not None and align.get(w("val")) not in ("top", None):
        return None
    try:
        size = (int(extent.get("cx")) / EMU_PER_PT, int(extent.get("cy")) / EMU_PER_PT)
    except (TypeError, ValueError):
        return None
    return Lift(_key(header, paragraph, geometry), size, drawing)


def _first_content(header: etree._Element) -> etree._Element | None:
    return next((c for c in header if c.tag in (w("p"), w("tbl"), w("sdt"))), None)


def _key(header: etree._Element, paragraph: etree._Element, geometry: bytes) -> str:
    """A hash of the header up to the end of the picture's paragraph, and of the geometry."""
    pruned = deepcopy(header)
    path = []
    node = paragraph
    while node is not header:
        path.append(node.getparent().index(node))
        node = node.getparent()
    node = pruned
    for index in reversed(path):
        parent = node
        for later in list(parent)[index + 1 :]:
            parent.remove(later)
        node = parent[index]
    digest = hashlib.sha256(etree.tostring(pruned, method="c14n"))
    digest.update(geometry)
    return digest.hexdigest()


def lift(found: Lift, place: Place) -> etree._Element:
    """Take the picture out of its header; return a run holding it anchored to the page where
    the header put it, to go into the letter's first paragraph."""
    (left, _, _, top), page_height = place.bounds, place.page_height
    inline = found.drawing.find(wp("inline"))
    run = found.drawing.getparent()
    run.remove(found.drawing)
    anchor = etree.Element(wp("anchor"), nsmap={"wp": WP})
    for name, value in (
        ("distT", "0"),
        ("distB", "0"),
        ("distL", "0"),
        ("distR", "0"),
        ("simplePos", "0"),
        ("relativeHeight", "1"),
        ("behindDoc", "0"),
        ("locked", "1"),
        ("layoutInCell", "1"),
        ("allowOverlap", "1"),
    ):
        anchor.set(name, value)
    etree.SubElement(anchor, wp("simplePos"), x="0", y="0")
    for axis, offset, nudge in (
        ("H", left, place.nudge[0]),
        ("V", page_height - top, place.nudge[1]),
    ):
        position = etree.SubElement(anchor, wp(f"position{axis}"), relativeFrom="page")
        etree.SubElement(position, wp("posOffset")).text = str(_emu(offset, nudge))
    anchor.append(deepcopy(inline.find(wp("extent"))))
    etree.SubElement(anchor, wp("effectExtent"), l="0", t="0", r="0", b="0")
    etree.SubElement(anchor, wp("wrapNone"))
    for child in inline:
        if child.tag not in (wp("extent"), wp("effectExtent")):
            anchor.append(deepcopy(child))
    drawing = etree.Element(w("drawing"))
    drawing.append(anchor)
    holder = etree.Element(w("r"))
    properties = run.find(w("rPr"))
    if properties is not None:
        holder.append(deepcopy(properties))
    holder.append(drawing)
    found.place = place
    return holder


def _emu(points: float, nudge: int) -> int:
    """The offset in EMU for a place in points (a whole number of twips, as LibreOffice lays
    out), nudged: LibreOffice reads EMU as whole 1/100 mm, then rounds to twips."""
    twips = round(points * 20) + nudge
    return round(twips * 127 / 72) * EMU_PER_MM100  # 1 twip = 127/72 of 1/100 mm


def picture_bounds(page, size: tuple[float, float]) -> list[Bounds]:
    """The bounds of the page's pictures of this size (points), as PDFium reads them."""
    import pypdfium2.raw as pdfium_c

    from ehe_letters.pdf.areas import page_objects

    found = []
    for _, kind, bounds in page_objects(page):
        if kind != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
        if abs(width - size[0]) <= 2 * TOLERANCE_PT and abs(height - size[1]) <= 2 * TOLERANCE_PT:
            found.append(tuple(bounds))
    return found


def check(lifts: list[Lift | None], first_page, placements: Placements) -> str | None:
    """Prove a chunk's lifted pictures (see the module docstring) and learn from its witnesses;
    `first_page(k)`: letter k's first page, open.  Returns why not proven (None: proven)."""
    witnesses: dict[str, Bounds] = {}
    for k, found in enumerate(lifts):
        if found is None:
            continue
        page = first_page(k)
        pictures = picture_bounds(page, found.size)
        if found.place is None:
            if len(pictures) == 1 and found.key not in witnesses:
                witnesses[found.key] = pictures[0]
                placements.learn(found.key, pictures[0], page.get_size()[1])
            continue
        place = found.place
        seen = witnesses.get(found.key)
        if seen is not None and not _same(seen, place.bounds):
            placements.learn(found.key, seen, page.get_size()[1])  # strikes the key off
            return f"letter {k}: its header's picture is not where the witness has it"
        if sum(_same(b, place.bounds) for b in pictures) != 1:
            landed = min(pictures, key=lambda b: abs(b[3] - place.bounds[3]), default=None)
            placements.missed(found.key, place, landed)
            return f"letter {k}: its lifted picture is not where its header puts it"
    return None
