"""A stable plain-text view of a .docx template or letter (golden tests, git diffs, the linter).

``docx_text(source)`` reads the package XML directly (zipfile + lxml) and returns one line per
paragraph, ending with a newline::

    [header: default]
    Anytown Council - Elective Home Education
    [header: first]
    {{ la.name }} letterhead
    Dear {{ parent.name }},

    We wrote on {{ date }}.⏎Please reply by {{ deadline }}.
    Name | Date of birth
    {{ child.name }} | {{ child.dob }} / (age {{ child.age }})
    Text was [-removed-][+added+] here.
    [text box] Reference: {{ ref }}
    [page break]
    [footer: default]
    Page 1 of 2

* Each section: its headers (default, first, even), body, footers. A header/footer part is shown
  once, where first referenced, and only if it has text. Later sections start ``[section N]``.
* Table rows are lines, cells joined by `` | ``, a cell's non-empty paragraphs by `` / ``; a
  row whose cells are all empty gives no line; a nested table is inlined as
  ``[table: a | b ; c | d]``.
* Text boxes (``w:txbxContent``; of ``mc:Choice``/``mc:Fallback`` only the Choice is read) follow
  their anchor paragraph, each line prefixed ``[text box] ``.
* ``w:tab`` -> tab; ``w:br``/``w:cr`` -> ``⏎`` so a paragraph stays one line; a page break ->
  ``[page break]``; ``w:noBreakHyphen`` -> ``-``; ``w:sym`` ignored. Fields show their result;
  ``fields=True`` also shows the code, ``[field: PAGE]1``.
* Tracked changes: ``[+inserted+]``, ``[-deleted-]`` (moves likewise). ``comments=True`` marks
  comment references ``[comment]``; ``marks=True`` adds ``**bold**`` and ``__underline__``
  (direct run formatting only).
* Trailing whitespace is stripped and runs of empty lines collapse to one. Jinja tags such as
  ``{{ child.name }}`` read exactly as typed even when Word split them across runs.

``iter_paragraphs(source)`` yields :class:`Paragraph` records in the same order for the linter;
their ``text``/``runs`` use ``\n`` (line break) and ``\f`` (page break), include insertions and
exclude deletions, so ``"".join(p.runs) == p.text``.
"""

from __future__ import annotations

import io
import os
import posixpath
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from lxml import etree

from ehe_letters.docx import ooxml
from ehe_letters.docx.safezip import check_docx
from ehe_letters.errors import InputError

W, R, PR = (f"{{{ns}}}" for ns in (ooxml.W, ooxml.R, ooxml.PKG))  # as tag prefixes
BREAK, PAGE_BREAK = "⏎", "[page break]"
Source = str | os.PathLike | bytes
_CHARS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_TYPES = ("default", "first", "even")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass
class Paragraph:
    part: str  # e.g. "word/document.xml", "word/footer1.xml"
    location: str  # e.g. "paragraph 12", "table 1, row 2, cell 3, paragraph 1"
    text: str = ""
    has_tracked_changes: bool = False
    has_comments: bool = False
    field_codes: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)


@dataclass
class _P:
    para: Paragraph
    segs: list[tuple[str, str, bool, bool, str]]  # text, change ("", "+", "-"), b, u, kind
    boxes: list[list[_P | _T]]
    sect: etree._Element | None


@dataclass
class _T:
    rows: list[list[list[_P | _T]]]


def _local(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def _branch(alt: etree._Element) -> list[etree._Element]:
    """The one branch of an mc:AlternateContent to read: the first Choice, else the Fallback."""
    kids = [c for c in alt if _local(c) == "Choice"] or [c for c in alt if _local(c) == "Fallback"]
    return list(kids[0]) if kids else []


def _kids(children, *names: str) -> Iterator[etree._Element]:
    """Elements named ``names``, looking through content-control and custom-XML wrappers."""
    for c in children:
        name = _local(c)
        if name in names:
            yield c
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _kids(c, *names)
        elif name == "AlternateContent":
            yield from _kids(_branch(c), *names)


def _boxes(children) -> Iterator[etree._Element]:
    """Outermost w:txbxContent elements among/below ``children``, reading one mc: branch."""
    for c in children:
        name = _local(c)
        if name == "txbxContent":
            yield c
        else:
            yield from _boxes(_branch(c) if name == "AlternateContent" else c)


def _blocks(container: etree._Element, part: str, prefix: str) -> list[_P | _T]:
    out: list[_P | _T] = []
    counts = {"p": 0, "tbl": 0}
    for el in _kids(container, "p", "tbl"):
        kind = _local(el)
        counts[kind] += 1
        if kind == "p":
            out.append(_parse_p(el, part, f"{prefix}paragraph {counts['p']}"))
            continue
        loc, rows = f"{prefix}table {counts['tbl']}", []
        for i, tr in enumerate(_kids(el, "tr"), 1):
            cells = enumerate(_kids(tr, "tc"), 1)
            rows.append([_blocks(tc, part, f"{loc}, row {i}, cell {j}, ") for j, tc in cells])
        out.append(_T(rows))
    return out


def _on(rpr: etree._Element | None, name: str, off: tuple[str, ...]) -> bool:
    el = rpr.find(W + name) if rpr is not None else None
    return el is not None and el.get(W + "val", "true").lower() not in off


def _parse_p(p: etree._Element, part: str, location: str) -> _P:
    para = Paragraph(part, location)
    segs: list[tuple[str, str, bool, bool, str]] = []
    boxes: list[list[_P | _T]] = []
    fields: list[list] = []  # stack of [instr, shown]

    def show_field(f: list) -> None:
        if not f[1]:
            f[1] = True
            code = " ".join(f[0].split())
            para.field_codes.append(code)
            segs.append((code, "", False, False, "field"))

    def run(r: etree._Element, change: str) -> None:
        rpr = r.find(W + "rPr")
        if rpr is not None and rpr.find(W + "rPrChange") is not None:
            para.has_tracked_changes = True
        bold = _on(rpr, "b", ("0", "false", "off"))
        under = _on(rpr, "u", ("none",))
        texts = []
        for c in r:
            name = _local(c)
            text = (c.text or "") if name == "t" else _CHARS.get(name)
            if name == "br" and c.get(W + "type") == "page":
                text = "\f"
            elif name == "delText":
                segs.append((c.text or "", "-", bold, under, "t"))
            elif name == "instrText" and fields:
                fields[-1][0] += c.text or ""
            elif name == "fldChar":
                kind = c.get(W + "fldCharType")
                if kind == "begin":
                    fields.append(["", False])
                elif fields and kind in ("separate", "end"):
                    show_field(fields[-1])
                    if kind == "end":
                        fields.pop()
            elif name == "commentReference":
                para.has_comments = True
                segs.append(("", change, False, False, "comment"))
            elif text is None and name not in ("rPr", "sym", "delInstrText"):
                for box in _boxes([c]):
                    boxes.append(_blocks(box, part, f"{location}, text box {len(boxes) + 1}, "))
            if text is not None:
                texts.append(text)
                segs.append((text, change, bold, under, "t"))
        if change != "-" and (joined := "".join(texts)):
            para.runs.append(joined)

    def walk(children, change: str) -> None:
        for c in children:
            name = _local(c)
            if name == "r":
                run(c, change)
            elif name in ("ins", "moveTo", "del", "moveFrom"):
                para.has_tracked_changes = True
                walk(c, "-" if name in ("del", "moveFrom") else "+")
            elif name in ("commentRangeStart", "commentRangeEnd"):
                para.has_comments = True
            elif name == "fldSimple":
                show_field([c.get(W + "instr", ""), False])
                walk(c, change)
            elif name == "AlternateContent":
                walk(_branch(c), change)
            elif name == "pPr":
                tracked = ("ins", "del", "pPrChange", "rPrChange", "sectPrChange")
                if any(_local(d) in tracked for d in c.iter()):
                    para.has_tracked_changes = True
            elif name not in ("sdtPr", "sdtEndPr"):
                walk(c, change)

    walk(p, "")
    para.text = "".join(t for t, ch, _b, _u, kind in segs if kind == "t" and ch != "-")
    ppr = p.find(W + "pPr")
    return _P(para, segs, boxes, ppr.find(W + "sectPr") if ppr is not None else None)


def _wrap(text: str, mark: str) -> str:
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _render(p: _P, o: dict[str, bool]) -> str:
    items = []
    for text, change, bold, under, kind in p.segs:
        if kind != "t":
            if not o[kind]:
                continue
            text, bold, under = (f"[field: {text}]" if kind == "field" else "[comment]"), 0, 0
        text = text.replace("\n", BREAK).replace("\f", PAGE_BREAK)
        items.append(((change, bool(bold and o["marks"]), bool(under and o["marks"])), text))
    out = []
    for (change, bold, under), group in groupby(items, key=lambda item: item[0]):
        text = "".join(t for _, t in group)
        text = _wrap(text, "__") if under else text
        text = _wrap(text, "**") if bold else text
        out.append(f"[{change}{text}{change}]" if change else text)
    return "".join(out)


def _cell(blocks: list[_P | _T], o: dict[str, bool]) -> str:
    items = []
    for b in blocks:
        if isinstance(b, _T):
            rows = " ; ".join(" | ".join(_cell(c, o) for c in row) for row in b.rows)
            items.append(f"[table: {rows}]")
            continue
        items.append(_render(b, o).strip())
        items += [f"[text box] {text}" for box in b.boxes if (text := _cell(box, o))]
    return " / ".join(i for i in items if i)


def _lines(blocks: list[_P | _T], o: dict[str, bool]) -> list[str]:
    lines = []
    for b in blocks:
        if isinstance(b, _T):
            cells = [[_cell(c, o) for c in row] for row in b.rows]
            lines += [" | ".join(row) for row in cells if any(row)]  # no line for an empty row
            continue
        lines.append(_render(b, o))
        for box in b.boxes:
            lines += [f"[text box] {line}" for line in _lines(box, o) if line.strip()]
    return lines


def _read(zf: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(zf.read(name), _PARSER)


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> part name for the internal relationships of ``part``."""
    folder, base = posixpath.split(part)
    name = f"{folder}/_rels/{base}.rels"
    rels = _read(zf, name).iter(PR + "Relationship") if name in zf.namelist() else ()
    return {
        r.get("Id", ""): posixpath.normpath(posixpath.join(folder, r.get("Target", ""))).lstrip("/")
        for r in rels
        if r.get("TargetMode") != "External"
    }


def _load(source: Source) -> list[tuple[str | None, str, list[_P | _T]]]:
    """The document as (label, part, blocks) in output order, label None for the body."""
    path = "<bytes>" if isinstance(source, bytes) else os.fspath(source)
    check_docx(source, path)
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            return _sections(zf, "word/document.xml")
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file") from e
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, IsADirectoryError) as e:
        raise InputError(f"{path}: not a Word .docx file") from e


def _sections(zf: zipfile.ZipFile, main: str) -> list:
    body = _read(zf, main).find(W + "body")
    if body is None:
        raise KeyError(main)
    sections, current = [], []
    for b in _blocks(body, main, ""):
        current.append(b)
        if isinstance(b, _P) and b.sect is not None:
            sections.append((current, b.sect))
            current = []
    sections.append((current, body.find(W + "sectPr")))
    rels, seen, out = _rels(zf, main), set(), []

    def parts(sect: etree._Element | None, kind: str) -> list:
        found = []
        refs = [] if sect is None else sect.findall(W + kind + "Reference")
        refs = {r.get(W + "type", "default"): r.get(R + "id") for r in refs}
        for typ in sorted(refs, key=lambda t: (_TYPES + (t,)).index(t)):
            name = rels.get(refs[typ] or "")
            if name and name not in seen and name in zf.namelist():
                seen.add(name)
                root = _read(zf, name)
                found.append((f"[{kind}: {typ}]", name, _blocks(root, name, "")))
        return found

    for number, (blocks, sect) in enumerate(sections, 1):
        if number > 1:
            out.append((f"[section {number}]", main, []))
        out += parts(sect, "header") + [(None, main, blocks)] + parts(sect, "footer")
    return out


def docx_text(
    source: Source, *, marks: bool = False, fields: bool = False, comments: bool = False
) -> str:
    """The stable text view of a .docx (see the module docstring for the format)."""
    o = {"marks": marks, "field": fields, "comment": comments}
    lines: list[str] = []
    for label, _part, blocks in _load(source):
        body = [line.rstrip() for line in _lines(blocks, o)]
        if label is None or label.startswith("[section") or any(body):
            lines += ([label] if label else []) + body
    out = [line for i, line in enumerate(lines) if line or i == 0 or lines[i - 1]]
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _flatten(blocks: list[_P | _T]) -> Iterator[Paragraph]:
    for b in blocks:
        if isinstance(b, _T):
            for row in b.rows:
                for cell in row:
                    yield from _flatten(cell)
        else:
            yield b.para
            for box in b.boxes:
                yield from _flatten(box)


def iter_paragraphs(source: Source) -> Iterator[Paragraph]:
    """Every paragraph (headers, body, tables, text boxes, footers) in ``docx_text`` order."""
    for _label, _part, blocks in _load(source):
        yield from _flatten(blocks)


if __name__ == "__main__":  # python -m ehe_letters.docx.text FILE.docx (usable as a git textconv)
    sys.stdout.buffer.write(docx_text(sys.argv[1]).encode("utf-8"))
