"""The WordprocessingML namespaces, and the one way the PDF stage parses a part of a .docx."""

from __future__ import annotations

from lxml import etree

__all__ = ["CT", "PKG", "R", "W", "WP", "parse", "w", "wp"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def w(tag: str) -> str:
    """A WordprocessingML element or attribute name: w("p") is the paragraph."""
    return f"{{{W}}}{tag}"


def wp(tag: str) -> str:
    """A name of WordprocessingML drawings (pictures in the text)."""
    return f"{{{WP}}}{tag}"


def parse(data: bytes) -> etree._Element:
    """A part's XML; no entities resolved, no huge trees (a letter's part is small)."""
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=False))
