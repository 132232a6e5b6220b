"""Well-formed XML after rendering: proved once per template where possible, else parsed."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

from jinja2 import nodes

from ehe_letters.errors import InputError, TemplateProblem
from ehe_letters.models.clean import has_disallowed

__all__ = ["always_well_formed", "check_characters", "check_well_formed", "holds_braces"]


def check_characters(name: str, xml: str) -> None:
    """Refuse a rendered part holding a character XML 1.0 does not allow (from a value given
    to the library directly: the readers remove them, with a warning, before rendering)."""
    if has_disallowed(xml):
        raise InputError(
            f"{name}: a value holds characters Word cannot hold (control characters); "
            "remove them from the case data"
        )


def holds_braces(value: object) -> bool:
    """True if any text in a letter's values holds { or }: then template syntax left in the
    letter's text may be the data's own, printed literally, not a tag the template left."""
    if isinstance(value, str):
        return "{" in value or "}" in value
    if isinstance(value, dict):
        return any(holds_braces(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(holds_braces(v) for v in value)
    return False


@lru_cache(maxsize=64)
def check_well_formed(path: Path, name: str, data: bytes) -> None:
    """Refuse a rendered part that is not well-formed XML (cached: headers and footers repeat)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise TemplateProblem(f"{path}: {name} is not well-formed after rendering: {exc}") from None


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


def always_well_formed(tree: nodes.Template) -> bool:
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
