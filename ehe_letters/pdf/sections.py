"""A letter's section properties (``w:sectPr``) as a chunk document needs them (compose.py):
its header and footer references, its numbering restarted on a new page, and which header is
printed on its first page."""

from __future__ import annotations

from lxml import etree

from ehe_letters.docx.ooxml import R, W, w

__all__ = ["first_page_header", "largest_part_last", "references", "restart_numbering"]

# Children of w:sectPr that must come before w:pgNumType (ECMA-376 CT_SectPr's order).
_BEFORE_PGNUM = {
    f"{{{W}}}{t}"
    for t in (
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
        "pgBorders lnNumType"
    ).split()
}


def largest_part_last(sect: etree._Element, sizes: dict[str, int]) -> None:
    """Order the section's header and footer references by the size of their parts, the
    largest (the letterhead) last.  The order means nothing to Word or LibreOffice, but
    LibreOffice 7.4 copies a section's page style, with the headers and footers read so far,
    each time it sets one of the style's properties, as it does while reading them: read
    last, the letterhead is copied less often (about 1.6% of LibreOffice's work, counted)."""
    refs = references(sect)
    if not refs or any(ref.getparent().index(ref) >= len(refs) for ref in refs):
        return  # not the leading children, as the schema has them: left as they are
    for ref in refs:
        sect.remove(ref)
    refs.sort(key=lambda ref: sizes.get(ref.get(f"{{{R}}}id"), 0))
    for index, ref in enumerate(refs):
        sect.insert(index, ref)


def restart_numbering(sect: etree._Element) -> None:
    """Start the section on a new page, numbered from 1."""
    for old in sect.findall(w("pgNumType")) + sect.findall(w("type")):
        sect.remove(old)
    start = etree.Element(w("pgNumType"))
    start.set(w("start"), "1")
    _insert_after(sect, start, _BEFORE_PGNUM)
    kind = etree.Element(w("type"))
    kind.set(w("val"), "nextPage")
    notes = ("headerReference", "footerReference", "footnotePr", "endnotePr")
    _insert_after(sect, kind, {w(t) for t in notes})


def _insert_after(parent: etree._Element, element: etree._Element, before: set[str]) -> None:
    """Insert element after the leading children whose tags are in `before` (schema order)."""
    index = 0
    while index < len(parent) and parent[index].tag in before:
        index += 1
    parent.insert(index, element)


def first_page_header(sect: etree._Element) -> str | None:
    """The relationship id of the header printed on the section's first page."""
    title = sect.find(w("titlePg"))
    first = title is not None and title.get(w("val"), "true") not in ("0", "false", "off")
    for ref in sect.findall(w("headerReference")):
        if ref.get(w("type")) == ("first" if first else "default"):
            return ref.get(f"{{{R}}}id")
    return None


def references(sect: etree._Element) -> list[etree._Element]:
    """The section's header references, then its footer references."""
    return sect.findall(w("headerReference")) + sect.findall(w("footerReference"))
