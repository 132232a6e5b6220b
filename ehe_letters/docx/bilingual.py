"""One bilingual letter from its rendered versions: the whole Welsh letter, then from a new page
the whole English letter, in one document (one envelope).

The document keeps the first version's package: its first-page header (logo, sender block,
address for the window), its later-page header and footer (a bilingual letter's say "Tudalen 2
o 4 · Page 2 of 4") and its provenance.  Every version is rendered from a template built by
the same tool, so they share styles and numbering; a version whose body refers to a part of
its own package (an image, a hyperlink) cannot be moved and is refused.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ehe_letters.docx.ooxml import R, w
from ehe_letters.errors import TemplateProblem

__all__ = ["join_languages"]

_DOCUMENT = "word/document.xml"


def _body(xml: bytes) -> tuple[etree._Element, etree._Element]:
    root = etree.fromstring(xml)
    body = root.find(w("body"))
    if body is None:
        raise TemplateProblem("a rendered letter has no document body")
    return root, body


def _page_break() -> etree._Element:
    p = etree.Element(w("p"))
    run = etree.SubElement(p, w("r"))
    etree.SubElement(run, w("br")).set(w("type"), "page")
    return p


def join_languages(versions: list[bytes]) -> bytes:
    """Join rendered .docx versions of one letter (Welsh first) into one .docx."""
    first = zipfile.ZipFile(io.BytesIO(versions[0]))
    root, body = _body(first.read(_DOCUMENT))
    section = body.find(w("sectPr"))  # the document's last section: stays last
    for data in versions[1:]:
        with zipfile.ZipFile(io.BytesIO(data)) as other:
            _, other_body = _body(other.read(_DOCUMENT))
        moved = [el for el in other_body if el.tag != w("sectPr")]
        for el in moved:
            if any(k.startswith(f"{{{R}}}") for node in el.iter() for k in node.attrib):
                raise TemplateProblem(
                    "a letter's body refers to an image or link of its own package: its "
                    "language versions cannot be joined into one document"
                )
        at = body.index(section) if section is not None else len(body)
        for offset, el in enumerate([_page_break(), *moved]):
            body.insert(at + offset, el)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in first.infolist():
            data = first.read(info)
            if info.filename == _DOCUMENT:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()
