"""Lifting the letterhead's picture out of a chunk letter's first-page header as the chunk is
composed (compose.py; where the picture goes and how that is proven: lift.py).

Every letter of a template has the same header up to the end of the logo's paragraph, so the
first header lifted is parsed and lifted by lift.py, and how it was lifted is kept for the
rest of the chunk (``LiftMemo``): a later header whose bytes begin the same way and hold no
other picture has the same key, size and lifted run, and is lifted by cutting its picture's
bytes out, which the first was proven to give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ehe_letters.docx.ooxml import PKG, R, parse
from ehe_letters.pdf import lift

if TYPE_CHECKING:
    from ehe_letters.pdf.compose import _Package

__all__ = ["LiftMemo", "lift_picture"]


def lift_picture(
    package: _Package, n: int, data: bytes, geometry: bytes, rels: etree._Element | None
) -> tuple[bytes, etree._Element | None]:
    """Lift the first-page header's picture into the body when its place is known and the
    chunk has its witness already (lift.py); return the header and the run (None: kept)."""
    for memo in package.lift_memos:
        if (hit := memo.apply(package, n, data, geometry, rels)) is not None:
            return hit
    header = parse(data)
    found = lift.find(header, geometry)
    package.lifts[n] = found
    if found is None or rels is None:
        return data, None
    place = package.placements.get(found.key)
    if found.key not in package.witnessed or place is None:
        package.witnessed.add(found.key)
        return data, None
    image = _image_of(found.drawing, rels)
    if image is None:
        package.lifts[n] = None
        return data, None
    run = lift.lift(found, place)
    lifted = etree.tostring(header, xml_declaration=True, encoding="UTF-8", standalone=True)
    if (memo := LiftMemo.learn(data, lifted, geometry, found, run, image)) is not None:
        package.lift_memos.append(memo)
    return lifted, _lifted_run(package, n, run, image)


def _image_of(drawing: etree._Element, rels: etree._Element) -> etree._Element | None:
    """The relationship of a drawing's one picture, in the package (None: none such)."""
    blips = [b for b in drawing.iter() if b.get(f"{{{R}}}embed")]
    targets = {rel.get("Id"): rel for rel in rels}
    if len(blips) != 1 or blips[0].get(f"{{{R}}}embed") not in targets:
        return None
    image = targets[blips[0].get(f"{{{R}}}embed")]
    return None if image.get("TargetMode") == "External" else image


def _lifted_run(
    package: _Package, n: int, run: etree._Element, image: etree._Element
) -> etree._Element:
    """The run holding a lifted picture, its picture related to the body as letter n's."""
    new_id = f"rIdL{n}xLifted"
    copy = etree.Element(f"{{{PKG}}}Relationship", Id=new_id, Type=image.get("Type"))
    copy.set("Target", image.get("Target"))
    package.rels.append(copy)
    for blip in run.iter():
        if blip.get(f"{{{R}}}embed"):
            blip.set(f"{{{R}}}embed", new_id)
    return run


_DRAWING = re.compile(rb"<w:drawing>.*?</w:drawing>", re.S)
_OTHER_PICTURES = (b":pict", b"<pict", b"<drawing", b":drawing")


@dataclass
class LiftMemo:
    """How one header's picture was lifted, to lift it the same way from the headers of the
    chunk's other letters without parsing them: a header whose bytes begin with the same
    `prefix` (everything the picture's key hashes: the header up to the end of the picture's
    paragraph) and hold no other picture is the same header up to there, so its key, size and
    lifted run are the same, and the lifted header is its bytes without the picture's.  That
    cutting the bytes gives the header lift.lift makes was proven on the first (`learn`)."""

    prefix: bytes
    cut: slice  # the picture's w:drawing in the prefix
    geometry: bytes
    key: str
    size: tuple[float, float]
    drawing: etree._Element
    where: tuple  # the place lifted to, as it was then (a place's nudge can be corrected)
    run: bytes  # the lifted run, its picture related under the first letter's id
    image: etree._Element

    @classmethod
    def learn(cls, data, lifted, geometry, found, run, image) -> LiftMemo | None:
        drawings = list(_DRAWING.finditer(data))
        if len(drawings) != 1 or any(data.count(mark) for mark in _OTHER_PICTURES[:3]):
            return None
        cut = slice(*drawings[0].span())
        end = data.find(b"</w:p>", cut.stop)
        if end < 0 or data.count(b":drawing") != 2:  # <w:drawing> and </w:drawing> only
            return None
        try:
            same = _c14n(data[: cut.start] + data[cut.stop :]) == _c14n(lifted)
        except etree.XMLSyntaxError:
            return None
        if not same:
            return None
        prefix = data[: end + len(b"</w:p>")]
        where = _where(found.place)
        return cls(
            prefix,
            cut,
            geometry,
            found.key,
            found.size,
            found.drawing,
            where,
            etree.tostring(run),
            image,
        )

    def apply(self, package, n, data, geometry, rels):
        """The lifted header and run for letter n's header `data`, or None if not the same."""
        if geometry != self.geometry or not data.startswith(self.prefix):
            return None
        rest = data[len(self.prefix) :]
        if any(mark in rest for mark in _OTHER_PICTURES) or rels is None:
            return None
        image = next((r for r in rels if r.get("Id") == self.image.get("Id")), None)
        if image is None or image.get("Target") != self.image.get("Target"):
            return None
        place = package.placements.get(self.key)
        if self.key not in package.witnessed or place is None or _where(place) != self.where:
            return None
        package.lifts[n] = lift.Lift(self.key, self.size, self.drawing, place)
        run = etree.fromstring(self.run)
        return data[: self.cut.start] + data[self.cut.stop :], _lifted_run(package, n, run, image)


def _where(place: lift.Place) -> tuple:
    return place.bounds, place.page_height, place.nudge


def _c14n(data: bytes) -> bytes:
    return etree.tostring(parse(data), method="c14n")
