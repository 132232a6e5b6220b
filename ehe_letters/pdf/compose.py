"""One Word document for a chunk of letters, so that LibreOffice converts them all at once.

LibreOffice pays a large fixed cost for every document it opens, lays out and exports; the
layout itself is cheap.  ``compose`` therefore joins the letters of a chunk into one .docx in
which every letter is a section of its own:

- starting on a new page, with the letter's own first-page and later-page headers and footers
  (its header and footer parts, renamed ``l<n>-header1.xml`` ..., with their pictures), but
  for those byte for byte the same as the letter's before it, which its section inherits;
- page numbers restarting at 1 (``<w:pgNumType w:start="1"/>``) and "Page X of Y" counting
  that letter's pages only: NUMPAGES becomes SECTIONPAGES, with the letter's page count as the
  field's result.  LibreOffice (7.4 at least) does not compute SECTIONPAGES; it prints the
  result written in the field, which Word would compute.  That count is not known before the
  layout, so it is expected (``pages``; by default the result the template's own field holds),
  and ``split.prove`` finds the letters whose count was not as expected: the caller converts
  those again with the counts the layout gave;
- a bookmark ``EHEletter<n>`` in its first paragraph, which LibreOffice exports as a PDF named
  destination: where each letter starts in the chunk's PDF (``pdf/split.py`` reads it).

Letters can be joined only when they share their styles, numbering, settings, fonts and theme
(the letters of one template do), use no numbered list (its numbers would run on from letter to
letter) and hold only parts this module knows how to carry over; otherwise ``NotComposable`` is
raised and the caller converts the letters one by one.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lxml import etree

from ehe_letters.docx.ooxml import CT, PKG, R, parse, w
from ehe_letters.docx.zipwriter import Member, zip_members
from ehe_letters.pdf import lift
from ehe_letters.pdf.lift_headers import LiftMemo, lift_picture
from ehe_letters.pdf.sections import (
    first_page_header,
    largest_part_last,
    references,
    restart_numbering,
)

__all__ = ["MARK", "NotComposable", "compose"]

# Bookmark names, one per letter: EHEletter00000, ... (no "_": LibreOffice escapes it).
MARK = "EHEletter"

DOC, DOC_RELS, TYPES = "word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"
_REL = R + "/"  # relationship types: _REL + "header", ...
SHARED_TYPES = {_REL + t for t in ("styles", "settings", "webSettings", "fontTable", "theme")}
SHARED_TYPES.add(_REL + "numbering")
PER_LETTER_TYPES = {_REL + t for t in ("header", "footer", "image", "hyperlink")}
HEADER_FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_NUMPAGES = re.compile(
    rb'<w:fldSimple w:instr="\s*NUMPAGES\b[^"]*"([^>]*)>(.*?)</w:fldSimple>', re.S
)
_CACHED = re.compile(rb"(<w:t(?: [^>]*)?>)\s*(\d+)\s*(</w:t>)")


# Every attribute in the relationships namespace (r:id, r:embed, ...), found by libxml2.
_RELATED = etree.XPath("descendant::*/@*[namespace-uri() = $ns]")


class NotComposable(Exception):
    """These letters cannot be joined into one document (the reason is the message)."""


@dataclass
class _Package:
    """What the chunk document is built from, gathered letter by letter."""

    shared: dict[str, bytes]  # the first letter's shared parts, which every letter must match
    fingerprints: dict[str, tuple[int, int] | None]
    types: etree._Element
    shared_rels: list[etree._Element]
    root: etree._Element | None = None  # the first letter's w:document, emptied
    body: list[etree._Element] = field(default_factory=list)
    rels: list[etree._Element] = field(default_factory=list)
    parts: dict[str, bytes] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)
    restarting: set[str] = field(default_factory=set)  # numIds of numbered (non-bullet) lists
    numbered_styles: set[str] = field(default_factory=set)
    expected: list[int | None] = field(default_factory=list)  # each letter's page count
    placements: lift.Placements | None = None  # where lifted pictures go (None: no lifting)
    lifts: list[lift.Lift | None] = field(default_factory=list)  # each letter's picture
    witnessed: set[str] = field(default_factory=set)  # keys with a witness in this chunk
    lift_memos: list[LiftMemo] = field(default_factory=list)  # how headers were lifted
    # The previous section's header or footer of each kind ((element, type) -> its part's
    # bytes; None: one that is never left to be inherited): see _inherited.
    last_parts: dict[tuple[str, str], bytes | None] = field(default_factory=dict)


def compose(
    letters: list[bytes],
    pages: list[int | None] | None = None,
    placements: lift.Placements | None = None,
) -> tuple[bytes, list[int], list[lift.Lift | None]]:
    """Join letters (.docx bytes, in order) into one document, a section each; see above.

    `pages`: each letter's expected page count (None: the template's); `placements`: where
    the pictures of first-page headers go when lifted into the body (lift.py; None: none is
    lifted).  Returns the document, the count written into each letter's "Page X of Y" and
    each letter's liftable picture (lifted, or left in place as its key's witness)."""
    pages = pages or [None] * len(letters)
    if not letters:
        raise NotComposable("no letters")
    package: _Package | None = None
    for n, data in enumerate(letters):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            parts = _Parts(archive)
            if package is None:
                package = _start(parts)
                package.placements = placements
            package.expected.append(pages[n])
            _add_letter(package, n, parts, last=n == len(letters) - 1)
        except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError) as exc:
            raise NotComposable(f"letter {n} is not a readable .docx ({exc})") from None
    assert package is not None
    return _finish(package), [count or 0 for count in package.expected], package.lifts


class _Parts:
    """A letter's zip members, read when asked (the shared ones are compared by checksum)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.infos = {info.filename: info for info in archive.infolist()}

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def __getitem__(self, name: str) -> bytes:
        return self.archive.read(self.infos[name])

    def get(self, name: str, default: bytes | None = None) -> bytes | None:
        return self[name] if name in self.infos else default

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        info = self.infos.get(name)
        return (info.CRC, info.file_size) if info else None


def _relationships(parts: _Parts, name: str) -> list[etree._Element]:
    return list(parse(parts[name])) if name in parts else []


def _start(parts: _Parts) -> _Package:
    """The chunk's shared parts, taken from its first letter."""
    shared_rels = [
        rel for rel in _relationships(parts, DOC_RELS) if rel.get("Type") in SHARED_TYPES
    ]
    shared = {}
    for rel in shared_rels:
        name = str(PurePosixPath("word") / rel.get("Target"))
        shared[name] = parts.get(name, b"")
    for name in ("word/_rels/settings.xml.rels", "_rels/.rels"):
        if name in parts:
            shared[name] = parts[name]
    fingerprints = {name: parts.fingerprint(name) for name in shared}
    package = _Package(shared, fingerprints, parse(parts[TYPES]), shared_rels)
    for name in ("docProps/core.xml", "docProps/app.xml"):  # the first letter's: harmless
        if name in parts:
            package.parts[name] = parts[name]
    package.restarting, package.numbered_styles = _numbered(shared)
    return package


def _numbered(shared: dict[str, bytes]) -> tuple[set[str], set[str]]:
    """The numIds whose lists count (not bullets), and the styles that use them."""
    numbering = shared.get("word/numbering.xml")
    if not numbering:
        return set(), set()
    root = parse(numbering)
    counting = {
        a.get(w("abstractNumId"))
        for a in root.iter(w("abstractNum"))
        if any(f.get(w("val")) not in ("bullet", "none") for f in a.iter(w("numFmt")))
    }
    restarting = {
        num.get(w("numId"))
        for num in root.iter(w("num"))
        if (ref := num.find(w("abstractNumId"))) is not None and ref.get(w("val")) in counting
    }
    styles = set()
    if data := shared.get("word/styles.xml"):
        for style in parse(data).iter(w("style")):
            for num_id in style.iter(w("numId")):
                if num_id.get(w("val")) in restarting:
                    styles.add(style.get(w("styleId")))
    return restarting, styles


def _add_letter(package: _Package, n: int, parts: _Parts, last: bool) -> None:
    """Add one letter's body, headers, footers and pictures as section n."""
    for name, fingerprint in package.fingerprints.items():
        if parts.fingerprint(name) != fingerprint:  # the zip's CRC-32 and size
            raise NotComposable(f"letter {n} does not share {name} with the first letter")
    if b"NUMPAGES" in parts[DOC]:
        raise NotComposable(f"letter {n} counts its pages in its body")
    root = parse(parts[DOC])
    body = root.find(w("body"))
    if body is None or len(body) == 0 or body[-1].tag != w("sectPr"):
        raise NotComposable(f"letter {n} has no section properties at the end of its body")
    # Only a letter of one section has its picture lifted: in one of several, the letter's
    # first page is not the last section's (a bilingual letter is one section).
    sections = sum(1 for _ in body.iter(w("sectPr")))
    first_header = first_page_header(body[-1]) if sections == 1 else None
    package.lifts.append(None)
    lifted: etree._Element | None = None  # the run holding the lifted picture
    names = {}  # old relationship id -> new one
    sizes = {}  # a header's or footer's new relationship id -> the size of its part
    referring: dict[str, list[etree._Element]] = {}  # relationship id -> its references
    for ref in references(body[-1]):
        referring.setdefault(ref.get(f"{{{R}}}id"), []).append(ref)
    if sections != 1:  # its sections follow one another: none is compared with the letter's
        package.last_parts.clear()
    for rel in _relationships(parts, DOC_RELS):
        kind = rel.get("Type")
        if kind in SHARED_TYPES:
            continue
        if kind not in PER_LETTER_TYPES:
            raise NotComposable(f"letter {n} has a part this module cannot carry over: {kind}")
        new_id = names[rel.get("Id")] = f"rIdL{n}x{rel.get('Id')}"
        copy = etree.fromstring(etree.tostring(rel))
        copy.set("Id", new_id)
        if kind in (_REL + "header", _REL + "footer"):
            geometry = _geometry(package, body[-1]) if rel.get("Id") == first_header else None
            target, run = _carry_header_footer(package, n, parts, rel.get("Target"), kind, geometry)
            if sections == 1 and _inherited(package, referring.get(rel.get("Id"), []), target):
                continue
            copy.set("Target", target)
            sizes[new_id] = len(package.parts[f"word/{target}"])
            lifted = run if run is not None else lifted
        elif copy.get("TargetMode") != "External":
            copy.set("Target", _carry_media(package, parts, "word", rel.get("Target")))
        package.rels.append(copy)
    _check_numbering(package, n, body)
    for attr in _RELATED(body, ns=R):  # the attributes that name a relationship
        if attr in names:
            attr.getparent().set(attr.attrname, names[attr])
    for element in body.iter(w("bookmarkStart"), w("bookmarkEnd")):
        element.set(w("id"), str(int(element.get(w("id"), "0")) + (n + 1) * 100000))
    children = list(body)
    sect = children[-1]
    largest_part_last(sect, sizes)
    restart_numbering(sect)
    first = _mark_first_paragraph(children, n)
    if lifted is not None:
        first.insert(first.index(first.find(w("bookmarkEnd"))) + 1, lifted)
    if not last:
        body.remove(sect)
        closing = children[-2]
        if closing.tag != w("p"):
            raise NotComposable(f"letter {n} does not end with a paragraph")
        ppr = closing.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            closing.insert(0, ppr)
        change = ppr.find(w("pPrChange"))
        if change is not None:
            change.addprevious(sect)
        else:
            ppr.append(sect)
    if package.root is None:
        package.root = root
    package.body.extend(list(body))
    for child in list(body):
        body.remove(child)


def _inherited(package: _Package, refs: list[etree._Element], target: str) -> bool:
    """Leave out a header or footer that is byte for byte the previous section's of the same
    kind, with no pictures or links of its own: a section that omits a header or footer of a
    kind has the previous section's (ECMA-376, headerReference and footerReference), and
    LibreOffice takes it over for less than reading it again (the welcome letter's two
    footers: about 6% of LibreOffice's CPU time for a chunk of 50).  Letters of one template
    differ in their footers mostly by the page count written into "Page X of Y", which
    split.prove checks on every page.  `refs`: the section's references to the part (its
    reference is removed when it is inherited); a part it refers to for more than one kind is
    never left out, as the previous section may have different ones."""
    name = f"word/{target}"
    data = package.parts[name]
    kinds = [(ref.tag, ref.get(w("type"), "default")) for ref in refs]
    if len(kinds) != 1 or f"word/_rels/{target}.rels" in package.parts:
        for kind in kinds:
            package.last_parts[kind] = None
        return False
    if package.last_parts.get(kinds[0]) != data:
        package.last_parts[kinds[0]] = data
        return False
    refs[0].getparent().remove(refs[0])
    del package.parts[name], package.overrides[f"/{name}"]
    return True


def _check_numbering(package: _Package, n: int, body: etree._Element) -> None:
    """Refuse a letter with a numbered list: its numbers would run on from the letter before."""
    for num_id in body.iter(w("numId")):
        if num_id.get(w("val")) in package.restarting:
            raise NotComposable(f"letter {n} has a numbered list")
    for style in body.iter(w("pStyle")):
        if style.get(w("val")) in package.numbered_styles:
            raise NotComposable(f"letter {n} has a numbered list")


def _mark_first_paragraph(children: list[etree._Element], n: int) -> etree._Element:
    """Put the bookmark EHEletter<n> in the letter's first paragraph (after its properties)."""
    first = next((c for c in children if c.tag == w("p")), None)
    if first is None:
        raise NotComposable(f"letter {n} has no paragraph")
    start, end = etree.Element(w("bookmarkStart")), etree.Element(w("bookmarkEnd"))
    start.set(w("id"), str(n + 1))
    start.set(w("name"), f"{MARK}{n:05d}")
    end.set(w("id"), str(n + 1))
    at = 1 if len(first) and first[0].tag == w("pPr") else 0
    first.insert(at, start)
    first.insert(at + 1, end)
    return first


def _geometry(package: _Package, sect: etree._Element) -> bytes:
    """What places a first-page header on its page: the section's size and margins (its
    properties but for its headers, footers and revision ids) and the shared styles."""
    copy = etree.fromstring(etree.tostring(sect))
    for ref in references(copy):
        copy.remove(ref)
    for attr in [a for a in copy.attrib if a.startswith(w("rsid"))]:
        del copy.attrib[attr]
    return etree.tostring(copy, method="c14n") + repr(sorted(package.fingerprints.items())).encode()


def _carry_header_footer(
    package: _Package, n: int, parts: _Parts, target: str, kind: str, geometry: bytes | None
) -> tuple[str, etree._Element | None]:
    """Copy a header or footer part under a name of this letter's; return its new target and,
    for the first-page header (`geometry` given) whose picture is lifted (lift.py), the run to
    put in the letter's first paragraph."""
    old = PurePosixPath("word") / target
    new_target = f"l{n}-{old.name}"
    data = parts.get(str(old))
    if data is None:
        raise NotComposable(f"letter {n} lacks {old}")
    data = _section_pages(package, n, data)
    rels_name = str(old.parent / "_rels" / f"{old.name}.rels")
    rels = parse(parts[rels_name]) if rels_name in parts else None
    for rel in rels if rels is not None else ():
        if rel.get("Type") not in (_REL + "image", _REL + "hyperlink"):
            raise NotComposable(f"letter {n}: {old.name} has a part of an unknown kind")
        if rel.get("TargetMode") != "External":
            rel.set("Target", _carry_media(package, parts, str(old.parent), rel.get("Target")))
    run = None
    if geometry is not None and package.placements is not None:
        data, run = lift_picture(package, n, data, geometry, rels)
    package.parts[f"word/{new_target}"] = data
    package.overrides[f"/word/{new_target}"] = HEADER_FOOTER_CT.format(kind.rsplit("/", 1)[1])
    if rels is not None:
        package.parts[f"word/_rels/{new_target}.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    return new_target, run


def _section_pages(package: _Package, n: int, data: bytes) -> bytes:
    """NUMPAGES fields as SECTIONPAGES, showing the letter's expected page count."""
    if b"NUMPAGES" in _NUMPAGES.sub(b"", data):
        raise NotComposable(f"letter {n} counts its pages in a way this module cannot rewrite")

    def section_pages(match: re.Match) -> bytes:
        cached = _CACHED.search(match.group(2))
        if cached is None:
            raise NotComposable(f"letter {n} has a page count field without a result")
        if package.expected[n] is None:
            package.expected[n] = int(cached.group(2))
        count = str(package.expected[n]).encode()
        result = _CACHED.sub(lambda m: m.group(1) + count + m.group(3), match.group(2), count=1)
        return b'<w:fldSimple w:instr=" SECTIONPAGES "%s>%s</w:fldSimple>' % (
            match.group(1),
            result,
        )

    return _NUMPAGES.sub(section_pages, data)


def _carry_media(package: _Package, parts: _Parts, folder: str, target: str) -> str:
    """Copy a picture once per content (letters of one logo share it); return its target."""
    name = str(PurePosixPath(folder) / target)
    data = parts.get(name)
    if data is None:
        raise NotComposable(f"a letter lacks {name}")
    suffix = PurePosixPath(name).suffix.lower()
    new = f"media/m{hashlib.sha256(data).hexdigest()[:20]}{suffix}"
    package.parts[f"word/{new}"] = data
    return new


def _finish(package: _Package) -> bytes:
    """Write the chunk document's parts as a .docx."""
    root = package.root
    body = root.find(w("body"))
    for child in package.body:
        body.append(child)
    rels = etree.Element(f"{{{PKG}}}Relationships", nsmap={None: PKG})
    for rel in [*package.shared_rels, *package.rels]:
        rels.append(rel)
    types = package.types
    for override in types.findall(f"{{{CT}}}Override"):
        if "header" in override.get("ContentType") or "footer" in override.get("ContentType"):
            types.remove(override)
    for part, content_type in package.overrides.items():
        types.append(etree.Element(f"{{{CT}}}Override", PartName=part, ContentType=content_type))
    known = {d.get("Extension").lower() for d in types.findall(f"{{{CT}}}Default")}
    for name in package.parts:
        suffix = PurePosixPath(name).suffix.lstrip(".").lower()
        if name.startswith("word/media/") and suffix not in known:
            kind = "jpeg" if suffix in ("jpg", "jpeg") else suffix
            default = etree.Element(f"{{{CT}}}Default", Extension=suffix)
            default.set("ContentType", f"image/{kind}")
            types.insert(0, default)
            known.add(suffix)

    def xml(element: etree._Element) -> bytes:
        return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)

    # Stored, not compressed: the document lives only until LibreOffice has read it.
    members = [Member.stored(TYPES, xml(types)), Member.stored(DOC, xml(root))]
    members.append(Member.stored(DOC_RELS, xml(rels)))
    for name, data in [*package.shared.items(), *package.parts.items()]:
        if data:
            members.append(Member.stored(name, data))
    return zip_members(members)
