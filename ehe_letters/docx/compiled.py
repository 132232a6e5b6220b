"""Render letters from .docx templates with docxtpl's template language.

A template is compiled once (docxtpl's own XML clean-up, then Jinja compilation of the body,
headers and footers) and each letter is produced from the compiled parts; the unchanged parts of
the package are copied as they are.  Autoescape is on, so "Smith & Co <Ltd>" prints literally,
and a value the case lacks is an error naming its path, never a blank.  Output is deterministic:
the same template and context give a byte-identical .docx.

A letter whose context carries a logo (``letterhead.image``, see ``docx/logo.py``) gets the
logo's package parts too: the image, the header's relationship to it and its content type,
built once per template and logo and copied into every letter.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docxtpl import DocxTemplate
from jinja2 import (
    Environment,
    TemplateSyntaxError,
    UndefinedError,
    meta,
)
from lxml import etree

from ehe_letters.docx.jinja_env import make_environment
from ehe_letters.docx.logo import Logo, logo_members
from ehe_letters.docx.safezip import check_docx
from ehe_letters.docx.wellformed import (
    always_well_formed,
    check_characters,
    check_well_formed,
    holds_braces,
)
from ehe_letters.docx.zipwriter import Member, zip_members
from ehe_letters.errors import InputError, TemplateProblem

__all__ = [
    "CompiledTemplate",
    "read_provenance",
    "template_sources",
]

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_HEADER_FOOTER = re.compile(r"^word/(header|footer)\d*\.xml$")
_LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")
_BODY = re.compile(r"<w:body\b.*</w:body>", re.DOTALL)
_LOGO_TAG = "letterhead.logo"


# Template values that are the very same objects for every letter of a batch (letters/context.py).
_SHARED_NAMES = frozenset({"authority", "terms"})


_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


@lru_cache(maxsize=64)
def _paragraph_text(xml: bytes) -> str:
    """The text of a (well-formed) part's w:t elements, one paragraph per line."""
    lines = [b"".join(_TEXT.findall(chunk)) for chunk in xml.split(b"</w:p>")[:-1]]
    text = b"\n".join(lines).decode("utf-8")
    return html.unescape(text) if "&" in text else text


CORE = "docProps/core.xml"
_DC = "http://purl.org/dc/elements/1.1/"
_MARK = "@@ehe-letters-provenance@@"


def _core_frame(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """Split core.xml around the text of dc:identifier, adding the element if absent."""
    if CORE not in archive.namelist():
        return None
    root = etree.fromstring(archive.read(CORE))
    identifier = root.find(f"{{{_DC}}}identifier")
    if identifier is None:
        identifier = etree.SubElement(root, f"{{{_DC}}}identifier")
    identifier.text = _MARK
    xml = etree.tostring(root, encoding="unicode")
    head, tail = xml.split(_MARK)
    return _XML_DECLARATION + head, tail


def read_provenance(source: Path | bytes) -> str:
    """Return the provenance written into a produced letter, or "" if there is none."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        root = etree.fromstring(archive.read(CORE))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return ""
    identifier = root.find(f"{{{_DC}}}identifier")
    return (identifier.text or "") if identifier is not None else ""


def template_sources(path: Path) -> dict[str, str]:
    """Return the Jinja source of each templated part (body, headers, footers) of a .docx.

    This is docxtpl's own preparation (``patch_xml``: tags split by Word's XML are joined,
    ``{%p``/``{%tr`` tags take over their paragraph or row), with each ``<w:p`` on its own line
    as docxtpl does, so Jinja line numbers point at paragraphs.
    """
    helper = DocxTemplate(path)
    helper.init_docx()
    sources = {"word/document.xml": helper.patch_xml(helper.get_xml())}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if _HEADER_FOOTER.match(name):
                xml = helper.xml_to_string(etree.fromstring(archive.read(name)))
                sources[name] = helper.patch_xml(xml)
    return {name: re.sub(r"<w:p([ >])", r"\n<w:p\1", xml) for name, xml in sources.items()}


class CompiledTemplate:
    """A .docx template read and compiled once, ready to render many letters."""

    def __init__(self, path: Path, env: Environment | None = None) -> None:
        self.path = Path(path)
        self.env = env or make_environment()
        check_docx(self.path)  # bounded before anything is unpacked
        try:
            raw = self.path.read_bytes()
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except (OSError, zipfile.BadZipFile) as exc:
            raise TemplateProblem(f"{self.path}: cannot open template: {exc}") from None
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self.members = [Member.deflated(i.filename, archive.read(i)) for i in archive.infolist()]
        self._names = [i.filename for i in archive.infolist()]
        self._core_frame = _core_frame(archive)
        document = archive.read("word/document.xml").decode("utf-8")
        self._document_frame = _BODY.split(document, maxsplit=1)
        self._templates: dict[str, Any] = {}
        # Parts that use only values shared by every letter of a batch (e.g. a footer with the
        # authority's details) are rendered again only when those values change.
        self._shared_names: dict[str, tuple[str, ...]] = {}
        self._parse_each: set[str] = set()  # parts not proved always well-formed
        self._shared_cache: dict[str, tuple[tuple, bytes]] = {}
        self._shared_members: dict[str, Member] = {}  # the same, compressed once
        sources = template_sources(self.path)
        # The parts that show the logo (normally the first-page header), and the logo's package
        # members for this template, built once per logo.
        self._logo_parts = [name for name, source in sources.items() if _LOGO_TAG in source]
        self._logo_cache: dict[str, tuple[dict[str, Member], list[Member]]] = {}
        for name, source in sources.items():
            try:
                self._templates[name] = self.env.from_string(source)
                if not always_well_formed(self.env.parse(source)):
                    self._parse_each.add(name)
                names = meta.find_undeclared_variables(self.env.parse(source))
                if names <= _SHARED_NAMES:
                    self._shared_names[name] = tuple(sorted(names))
            except TemplateSyntaxError as exc:
                raise TemplateProblem(
                    f"{self.path}: template syntax error in {name}: {exc.message}"
                ) from None

    def render_parts(self, context: dict) -> dict[str, bytes]:
        """Render the templated parts (body, headers, footers) to XML bytes."""
        parts = {}
        for name, template in self._templates.items():
            shared = self._shared_names.get(name)
            if shared is not None:
                values = tuple(context.get(n) for n in shared)
                cached = self._shared_cache.get(name)
                if (
                    cached
                    and len(cached[0]) == len(values)
                    and all(a is b for a, b in zip(cached[0], values, strict=True))
                ):
                    parts[name] = cached[1]
                    continue
            try:
                xml = template.render(context)
            except UndefinedError as exc:
                raise InputError(str(exc)) from None
            check_characters(name, xml)
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
            if "{_" in xml or "_}" in xml:  # docxtpl's escapes for literal braces
                xml = (
                    xml.replace("{_{", "{{")
                    .replace("}_}", "}}")
                    .replace("{_%", "{%")
                    .replace("%_}", "%}")
                )
            if name == "word/document.xml":
                head, tail = self._document_frame
                parts[name] = (head + xml + tail).encode("utf-8")
            else:
                parts[name] = (_XML_DECLARATION + xml).encode("utf-8")
            if shared is not None:
                self._shared_cache[name] = (values, parts[name])
                self._shared_members[name] = Member.deflated(name, parts[name])
        return parts

    def render(self, context: dict) -> bytes:
        """Render one letter and return the bytes of the .docx package."""
        return self.render_with_text(context)[0]

    def render_with_text(self, context: dict, provenance: str = "") -> tuple[bytes, str]:
        """Render one letter; return the .docx bytes and its text, one paragraph per line.

        `provenance` is written into the document's identifier property (docProps/core.xml) so
        that `ehe-letters verify` can tell later what the letter was produced from.
        """
        parts = self.render_parts(context)
        texts = []
        for name, data in parts.items():
            if name in self._parse_each:
                check_well_formed(self.path, name, data)
            text = _paragraph_text(data)
            if _LEFTOVER.search(text) and not holds_braces(context):
                raise TemplateProblem(
                    f"{self.path}: {name} still holds a template tag after rendering"
                )
            texts.append(text)
        if provenance and self._core_frame:
            head, tail = self._core_frame
            parts[CORE] = (head + xml_escape(provenance) + tail).encode("utf-8")
        members = [
            (
                self._shared_members[name]
                if name in self._shared_members and self._shared_cache[name][1] is parts[name]
                else Member.rendered(name, parts[name])
            )
            if name in parts
            else member
            for name, member in zip(self._names, self.members, strict=True)
        ]
        logo = (context.get("letterhead") or {}).get("image")
        if logo is not None and self._logo_parts:
            replace, new = self._logo_members(logo)
            members = [replace.get(m.name.decode("utf-8"), m) for m in members] + new
        return zip_members(members), "\n".join(texts)

    def _logo_members(self, logo: Logo) -> tuple[dict[str, Member], list[Member]]:
        """The members a letter with this logo replaces and adds (built once per logo)."""
        cached = self._logo_cache.get(logo.sha256)
        if cached is None:
            by_name = dict(zip(self._names, self.members, strict=True))
            cached = self._logo_cache[logo.sha256] = logo_members(by_name, self._logo_parts, logo)
        return cached
