"""The marking of a draft letter: "DRAFT — not approved" in the header of every page.

A letter made from a template that does not match its approval (``--draft``, and specimens of
unapproved templates) carries the marking in each of its header parts, so on every page, added
when the letter is rendered (the templates' wording is untouched).  On the first page it is a
text box anchored to the page behind the text, 15-195 mm across and 170-186 mm down, inside
GOV.UK Notify's body area and taking no room, so that the letterhead, the address and the body
stay where they are; on later pages it is a line at the top of the header, inside the 5 mm
margins.  (LibreOffice keeps a box anchored in a later page's short header within that header,
so the box is used on the first page only.)
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ehe_letters.docx.ooxml import WP

__all__ = ["mark_header"]

_EMU_PER_MM = 36000
_LEFT, _TOP, _WIDTH, _HEIGHT = 15, 170, 180, 16  # mm, page-relative

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def _run(text: str, shape_id: int) -> str:
    x, y = _LEFT * _EMU_PER_MM, _TOP * _EMU_PER_MM
    cx, cy = _WIDTH * _EMU_PER_MM, _HEIGHT * _EMU_PER_MM
    return (
        f'<w:r><w:rPr><w:noProof/></w:rPr><w:drawing xmlns:wp="{WP}">'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="251659264" behindDoc="1" locked="1" layoutInCell="0" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{shape_id}" name="Draft marking" descr="{text}"/>'
        f'<wp:cNvGraphicFramePr/><a:graphic xmlns:a="{_A}">'
        f'<a:graphicData uri="{_WPS}"><wps:wsp xmlns:wps="{_WPS}">'
        '<wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        "</wps:spPr><wps:txbx><w:txbxContent>"
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:b/>'
        f'<w:color w:val="E8A0A0"/><w:sz w:val="56"/></w:rPr><w:t>{text}</w:t></w:r></w:p>'
        "</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></w:r>"
    )


def _line(text: str) -> str:
    return (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="60"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:b/>'
        f'<w:color w:val="C00000"/><w:sz w:val="20"/></w:rPr><w:t>{text}</w:t></w:r></w:p>'
    )


def mark_header(xml: bytes, text: str, first_page: bool, shape_id: int = 7001) -> bytes:
    """Return a rendered header part with the marking added.

    The first page's header holds the letterhead in GOV.UK Notify's areas at fixed positions,
    so it gets the marking as a text box behind the body (taking no room); any other header
    gets it as a line of its own above what it holds (later pages have 5 mm margins only).
    """
    if not first_page:
        start = xml.index(b">", xml.index(b"<w:hdr")) + 1
        return xml[:start] + _line(escape(text)).encode() + xml[start:]
    end = xml.rfind(b"</w:p>")
    if end < 0:  # a header without a paragraph of its own: give it one
        end = xml.rfind(b"</w:hdr>")
        run = f"<w:p>{_run(escape(text), shape_id)}</w:p>".encode()
        return xml[:end] + run + xml[end:]
    return xml[:end] + _run(escape(text), shape_id).encode() + xml[end:]
