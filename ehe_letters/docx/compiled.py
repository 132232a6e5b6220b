"""Render letters from .docx templates with docxtpl's template language.

A template is compiled once (docxtpl's own XML clean-up, then Jinja compilation of the body,
headers and footers) and each letter is produced from the compiled parts; the unchanged parts of
the package are copied as they are.  Autoescape is on, so "Smith & Co <Ltd>" prints literally,
and a value the case lacks is an error naming its path, never a blank.  Output is deterministic:
the same template and context give a byte-identical .docx.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape as xml_escape

from docxtpl import DocxTemplate
from jinja2 import (
    Environment,
    StrictUndefined,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    nodes,
)
from lxml import etree

from ehe_letters.errors import InputError, TemplateProblem

__all__ = [
    "CompiledTemplate",
    "make_environment",
    "read_provenance",
    "template_sources",
    "write_atomic",
]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_HEADER_FOOTER = re.compile(r"^word/(header|footer)\d*\.xml$")
_LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")
_BODY = re.compile(r"<w:body\b.*</w:body>", re.DOTALL)


class PathUndefined(StrictUndefined):
    """StrictUndefined whose message names the case-file path of the missing value."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        owner = getattr(self._undefined_obj, "path", None)
        name = self._undefined_name
        field = f"{owner}.{name}" if owner else (name or "a value")
        return (
            f"{field.lstrip('.')}: the letter needs this field but the case file does not give it"
        )


def _no_none(value: Any) -> Any:
    if value is None:
        raise UndefinedError("a value the letter prints is empty (None)")
    return value


def make_environment() -> Environment:
    """Return the Jinja environment every letter is rendered with."""
    return Environment(autoescape=True, undefined=PathUndefined, finalize=_no_none)


# Template values that are the very same objects for every letter of a batch (letters/context.py).
_SHARED_NAMES = frozenset({"authority", "terms"})
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0  # 1 January 1980, 00:00 (FIXED_TIME)


@dataclass(frozen=True)
class _Member:
    """One zip member: unchanged members are compressed once and copied as these bytes."""

    name: bytes
    data: bytes
    crc: int
    compressed: bytes
    method: int  # 8 = deflated, 0 = stored

    @classmethod
    def deflated(cls, name: str, data: bytes) -> _Member:
        """A member compressed hard, once (the template's unchanged parts)."""
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        compressed = packer.compress(data) + packer.flush()
        return cls(name.encode("utf-8"), data, zlib.crc32(data), compressed, 8)

    @classmethod
    def rendered(cls, name: str, data: bytes) -> _Member:
        """A part rendered for one letter, compressed quickly; small parts (under 4 kB: a
        header, the document properties) are stored, as compressing costs more than it saves."""
        if len(data) < 4096:
            return cls(name.encode("utf-8"), data, zlib.crc32(data), data, 0)
        # A 4 kB window and small tables: for parts of a few kB this compresses almost as well
        # as the defaults, twice as fast, and without fresh memory (page faults) each time.
        packer = zlib.compressobj(1, zlib.DEFLATED, -12, 4)
        compressed = packer.compress(data) + packer.flush()
        return cls(name.encode("utf-8"), data, zlib.crc32(data), compressed, 8)


def _zip(members: list[_Member]) -> bytes:
    """Write a zip archive of pre-compressed members with fixed timestamps, in the given order."""
    out, directory = [], []
    offset = 0
    for m in members:
        flags = 0x800 if not m.name.isascii() else 0
        fields = (20, flags, m.method, _DOS_TIME, _DOS_DATE, m.crc, len(m.compressed), len(m.data))
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(m.name), 0) + m.name
        out += (header, m.compressed)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, len(m.name), 0, 0, 0, 0, 0, offset
            )
            + m.name
        )
        offset += len(header) + len(m.compressed)
    central = b"".join(directory)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0
    )
    return b"".join(out) + central + end


@lru_cache(maxsize=64)
def _well_formed(path: Path, name: str, data: bytes) -> None:
    """Refuse a rendered part that is not well-formed XML (cached: headers and footers repeat)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise TemplateProblem(f"{path}: {name} is not well-formed after rendering: {exc}") from None


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


_TAG = re.compile(r"<(/?)([A-Za-z_][\w:.-]*)(?:\s[^<>]*?)?(/?)>|<\?[^<>]*\?>")


def _balanced(markup: str) -> bool:
    """True if XML markup closes its elements in order, with no stray < or >."""
    stack: list[str] = []
    matched = 0
    for tag in _TAG.finditer(markup):
        matched += 1
        closing, name, empty = tag.group(1), tag.group(2), tag.group(3)
        if name is None or empty:
            continue
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack and markup.count("<") == matched and markup.count(">") == matched


def _always_well_formed(tree: nodes.Template) -> bool:
    """Prove that every rendering of a template is well-formed XML.

    With autoescape on, a value can only add text; the markup comes from the template. If the
    template as a whole, and the body of every if/for block on its own, is balanced markup,
    then whichever branches run and however often loops repeat, the output is well-formed.
    A template this cannot prove (unusual constructs) is parsed after every rendering instead.
    """

    def flatten(body: list) -> str | None:
        out = []
        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    out.append(child.data if isinstance(child, nodes.TemplateData) else "x")
            elif isinstance(node, nodes.If):
                branches = [node.body, *[e.body for e in node.elif_], node.else_]
                if not all((text := flatten(b)) is not None and _balanced(text) for b in branches):
                    return None
            elif isinstance(node, nodes.For):
                if not all(
                    (text := flatten(b)) is not None and _balanced(text)
                    for b in (node.body, node.else_)
                ):
                    return None
            elif isinstance(node, nodes.Assign):
                continue
            else:
                return None
        return "".join(out)

    text = flatten(tree.body)
    return text is not None and _balanced(text)


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
        try:
            raw = self.path.read_bytes()
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except (OSError, zipfile.BadZipFile) as exc:
            raise TemplateProblem(f"{self.path}: cannot open template: {exc}") from None
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self.members = [_Member.deflated(i.filename, archive.read(i)) for i in archive.infolist()]
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
        self._shared_members: dict[str, _Member] = {}  # the same, compressed once
        for name, source in template_sources(self.path).items():
            try:
                self._templates[name] = self.env.from_string(source)
                if not _always_well_formed(self.env.parse(source)):
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
                self._shared_members[name] = _Member.deflated(name, parts[name])
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
                _well_formed(self.path, name, data)
            text = _paragraph_text(data)
            if _LEFTOVER.search(text):
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
                else _Member.rendered(name, parts[name])
            )
            if name in parts
            else member
            for name, member in zip(self._names, self.members, strict=True)
        ]
        return _zip(members), "\n".join(texts)


_SEQUENCE = itertools.count()


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write a file under a temporary name, then rename it, so no half-written file remains.

    The folder is created (owner only) when missing.  `durable` also flushes the file to disk
    before the rename (slow: a batch passes False for each letter and syncs once before writing
    its manifest; --resume re-checks every letter's checksum, so a letter damaged by a power cut
    is produced again).  Plain os-level calls: a letter costs four system calls, not fourteen.
    """
    tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}.{next(_SEQUENCE)}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
