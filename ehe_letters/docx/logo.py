"""An authority's logo in the first-page letterhead, with no edit to the templates.

The template's logo area (first-page header, 15-125 mm across, 5-30 mm down: GOV.UK Notify's
logo area) holds one paragraph whose only run is the docxtpl tag ``{{r letterhead.logo }}``:
docxtpl's ``r`` prefix replaces the whole ``<w:r>`` with the value, which is *run XML* made
here and passed as a markupsafe ``Markup`` (so autoescape leaves it alone):

* with a logo: a ``<w:r>`` holding a ``wp:inline`` picture (the ``a:graphic/pic:pic`` structure
  python-docx writes for ``add_picture``), scaled to the largest size inside 109.5 x 25 mm that
  keeps its aspect ratio, with the authority's name as its alt text and
  ``r:embed="rIdEheLogo"``;
* without one: the authority's name as a wordmark run (18 pt bold).

The picture needs three things in the package, which :func:`logo_members` builds once per
template and logo (``docx/compiled.py`` adds them to each letter): the image
(``word/media/ehe-logo.png`` or ``.jpg``, stored), a relationship ``rIdEheLogo`` in the rels
part of each part that shows the logo, and a ``Default`` content type for the extension.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from docx.image.image import Image
from markupsafe import Markup

from ehe_letters.docx.ooxml import PKG, R
from ehe_letters.docx.zipwriter import Member

__all__ = [
    "LOGO_REL_ID",
    "MAX_LOGO_BYTES",
    "Logo",
    "LogoProblem",
    "logo_members",
    "logo_run_xml",
    "read_logo",
    "wordmark_run_xml",
]

LOGO_REL_ID = "rIdEheLogo"  # fixed and namespaced: cannot clash with python-docx's rIdN ids
LOGO_DOCPR_ID = 31001  # unique among the document's drawings (the templates have no others)
EMU_PER_MM = 36000
# Notify's logo area is 15-125 x 5-30 mm; the template indents the logo 0.5 mm to keep it clear
# of the print-tag box (0-15.191 x 0-6.149 mm), so 109.5 mm wide at most.
MAX_WIDTH_MM, MAX_HEIGHT_MM = 109.5, 25.0
# Notify refuses letter PDFs over 2 MB; a logo is printed 11 x 2.5 cm: 2 MB is plenty.
MAX_LOGO_BYTES = 2 * 1024 * 1024
_MAGIC = {b"\x89PNG\r\n\x1a\n": ("png", "image/png"), b"\xff\xd8\xff": ("jpg", "image/jpeg")}
IMAGE_REL = R + "/image"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


class LogoProblem(ValueError):
    """The logo file cannot be used (the message names no value, only what is wrong)."""


@dataclass(frozen=True)
class Logo:
    """A PNG or JPEG logo and the size it is printed at (EMU), fitted into the logo area."""

    blob: bytes
    ext: str  # "png" or "jpg"
    content_type: str
    cx: int
    cy: int
    sha256: str

    @property
    def part_name(self) -> str:
        return f"word/media/ehe-logo.{self.ext}"

    @classmethod
    def from_bytes(cls, blob: bytes) -> Logo:
        """Check the bytes are a PNG or JPEG (by their magic bytes, not a file name) of at most
        2 MB, and fit the picture into the logo area keeping its aspect ratio.

        The image's pixels are corrected by its horizontal/vertical DPI for the aspect ratio;
        the printed size is then the largest that fits the area (logo files' DPI is rarely
        meaningful: the area is what counts).
        """
        if len(blob) > MAX_LOGO_BYTES:
            raise LogoProblem(f"the image is over {MAX_LOGO_BYTES // (1024 * 1024)} MB")
        kind = next((k for magic, k in _MAGIC.items() if blob.startswith(magic)), None)
        if kind is None:
            raise LogoProblem("not a PNG or JPEG image")
        try:
            image = Image.from_blob(blob)
            px_w, px_h = image.px_width, image.px_height
            dpi_w, dpi_h = image.horz_dpi or 72, image.vert_dpi or 72
        except Exception:  # python-docx raises several kinds on a damaged header
            raise LogoProblem("a damaged PNG or JPEG image (its size cannot be read)") from None
        if px_w <= 0 or px_h <= 0:
            raise LogoProblem("the image has no size")
        width, height = px_w / dpi_w, px_h / dpi_h
        scale = min(MAX_WIDTH_MM / width, MAX_HEIGHT_MM / height)
        # Round down to whole EMU so that rounding never takes the picture past the area.
        cx, cy = int(width * scale * EMU_PER_MM), int(height * scale * EMU_PER_MM)
        ext, content_type = kind
        return cls(blob, ext, content_type, cx, cy, hashlib.sha256(blob).hexdigest())


def read_logo(path: Path) -> Logo:
    """Read and check a logo file; a problem is a LogoProblem saying what is wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:  # before reading it
            raise LogoProblem(f"the image is over {MAX_LOGO_BYTES // (1024 * 1024)} MB")
        blob = path.read_bytes()
    except FileNotFoundError:
        raise LogoProblem(f"{path}: file not found") from None
    except IsADirectoryError:
        raise LogoProblem(f"{path}: is a folder, not an image file") from None
    except OSError as exc:
        raise LogoProblem(f"{path}: cannot read: {exc.strerror}") from None
    return Logo.from_bytes(blob)


def logo_run_xml(logo: Logo, alt_text: str) -> Markup:
    """The run that shows the logo inline, with alt text (the XML python-docx writes for
    add_picture).  w, r and wp are declared on every python-docx header's root; a and pic are
    declared here, as python-docx does."""
    descr = quoteattr(alt_text)
    name = quoteattr(f"Logo of {alt_text}")
    return Markup(
        '<w:r><w:rPr><w:noProof/><w:sz w:val="2"/></w:rPr><w:drawing>'
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{logo.cx}" cy="{logo.cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{LOGO_DOCPR_ID}" name={name} descr={descr}/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/>'
        "</wp:cNvGraphicFramePr>"
        f'<a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}">'
        f'<pic:pic xmlns:pic="{_PIC}">'
        f'<pic:nvPicPr><pic:cNvPr id="0" name="ehe-logo.{logo.ext}" descr={descr}/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip r:embed="{LOGO_REL_ID}"/><a:stretch><a:fillRect/></a:stretch>'
        "</pic:blipFill>"
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{logo.cx}" cy="{logo.cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def wordmark_run_xml(name: str, size_pt: float = 18, colour: str = "1F3A5F") -> Markup:
    """The authority's name as a bold run, for an authority without a logo."""
    half_points = round(size_pt * 2)
    return Markup(
        f'<w:r><w:rPr><w:b/><w:color w:val="{colour}"/><w:sz w:val="{half_points}"/>'
        f'<w:szCs w:val="{half_points}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(name)}</w:t></w:r>'
    )


def _rels_name(part: str) -> str:
    folder, _, leaf = part.rpartition("/")
    return f"{folder}/_rels/{leaf}.rels"


def _with_logo_rel(existing: bytes | None, logo: Logo) -> bytes:
    """A part's relationships with the logo's added (the rels part created if there is none)."""
    target = logo.part_name.removeprefix("word/")
    rel = f'<Relationship Id="{LOGO_REL_ID}" Type="{IMAGE_REL}" Target="{target}"/>'
    if existing is None:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG}">{rel}</Relationships>'
        ).encode()
    text = re.sub(rf'<Relationship [^>]*Id="{LOGO_REL_ID}"[^>]*/>', "", existing.decode("utf-8"))
    return text.replace("</Relationships>", rel + "</Relationships>").encode()


def _with_content_type(existing: bytes, logo: Logo) -> bytes:
    """[Content_Types].xml with a Default for the logo's extension (unchanged if present)."""
    text = existing.decode("utf-8")
    if re.search(rf'<Default [^>]*Extension="{logo.ext}"', text, re.IGNORECASE):
        return existing
    default = f'<Default Extension="{logo.ext}" ContentType="{logo.content_type}"/>'
    return re.sub(r"(<Types [^>]*>)", lambda m: m.group(1) + default, text, count=1).encode()


def logo_members(
    members: dict[str, Member], showing: list[str], logo: Logo
) -> tuple[dict[str, Member], list[Member]]:
    """The template members to replace, and the members to add, for letters showing `logo`.

    `members` are the template's members by name, `showing` the parts whose XML holds the logo
    tag.  Computed once per template and logo: the rendered parts' reference never changes.
    """
    replace: dict[str, Member] = {}
    new: list[Member] = []
    types = members["[Content_Types].xml"].data
    changed = _with_content_type(types, logo)
    if changed != types:
        replace["[Content_Types].xml"] = Member.deflated("[Content_Types].xml", changed)
    for part in showing:
        rels = _rels_name(part)
        existing = members[rels].data if rels in members else None
        member = Member.deflated(rels, _with_logo_rel(existing, logo))
        if existing is not None:
            replace[rels] = member
        else:
            new.append(member)
    new.append(Member.stored(logo.part_name, logo.blob))  # an image is compressed already
    return replace, new
