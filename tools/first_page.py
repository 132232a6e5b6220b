"""The first page's letterhead for tools/build_templates.py: GOV.UK Notify's printable areas.

Areas (mm from the top-left corner of A4 portrait; Notify's letter specification v2.4 and the
validator in alphagov/notifications-template-preview, app/precompiled.py): logo 15-125 x 5-30,
sender details 125-195 x 5-95, recipient address 24.6-120 x 39.5-66.3 (at most 7 lines), body
15-195 from 95 mm down to 292; later pages 15-195 x 5-292; nothing in the print-tag box,
0-15.191 x 0-6.149 mm, on page 1.

The first-page header is a borderless table with fixed columns and exact row heights, placed at
the header distance (5 mm): its rows end where the areas end, so the body (pushed down by the
header) starts at 95 mm whatever the fonts.  Its paragraphs take their look from four styles
(`Letterhead`, `Letterhead Address`, `Letterhead Gap`, `Letterhead Spacer`) rather than direct
formatting, which keeps the part small: it is rendered for every letter.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

__all__ = [
    "BOTTOM",
    "FOOTER_DISTANCE",
    "SIDE",
    "TOP",
    "first_page_header",
    "letterhead_styles",
    "slim_part",
]

SIDE, TOP, BOTTOM = 15.0, 5.0, 5.0
# The footer distance is 6 mm, not 5: a footer line's descenders reach the bottom of its line
# box, which LibreOffice puts exactly at the footer distance (5 mm put them at 292.05 mm).
FOOTER_DISTANCE = 6.0
# The print-tag box's corner overlaps the logo area's, so the logo paragraph is indented 0.5 mm
# (logo 15.5-125 mm across, at most 109.5 mm wide: ehe_letters/docx/logo.py).
LOGO_INDENT = 0.5
COLUMNS = (9.6, 95.4, 5.0, 70.0)  # 15-24.6 | 24.6-120 (address) | 120-125 | 125-195 (sender)
ROWS = (25.0, 9.5, 26.8, 28.7)  # 5-30 logo | 30-39.5 | 39.5-66.3 address | 66.3-95
SENDER_PT, ADDRESS_PT, ADDRESS_LINE_PT = 10, 10, 10.5  # 7 x 10.5 pt = 25.9 mm < 26.8 mm
DARK = RGBColor(0x1F, 0x3A, 0x5F)


def sender_lines(words: dict[str, str]) -> list[str]:
    """The sender block's lines, with the labels of the letter's language (words: LABELS)."""
    return [
        "{{ authority.name }}",
        "{{ authority.team_name }}",
        "{%p for line in authority.address_lines %}",
        "{{ line }}",
        "{%p endfor %}",
        "",
        f"{words['telephone']}: {{{{ authority.phone }}}}",
        "{{ authority.email }}",
        "{{ authority.website }}",
        "",
        f"{words['our_reference']}: {{{{ letter.reference }}}}",
        f"{words['date']}: {{{{ letter.date }}}}",
        "",
        # The case's officer (case.officer), else the authority's signatory.
        f"{words['contact']}: {{{{ contact.name }}}}",
        "{%p if contact.phone is defined %}",
        f"{words['telephone']}: {{{{ contact.phone }}}}",
        "{%p endif %}",
        "{%p if contact.email is defined %}",
        "{{ contact.email }}",
        "{%p endif %}",
    ]


ADDRESS_LINES = [
    "{{ addressee.names }}",
    "{%p for line in addressee.address_lines %}",
    "{{ line }}",
    "{%p endfor %}",
]


def letterhead_styles(doc, normal, font) -> None:
    """The paragraph styles of the first-page header (`font(style, size)` sets the font)."""
    for name, size, line, exact, after in (
        ("Letterhead", SENDER_PT, 1.0, False, 0),
        ("Letterhead Address", ADDRESS_PT, ADDRESS_LINE_PT, True, 0),
        ("Letterhead Gap", 1, 1, True, SENDER_PT * 0.4),  # a little space between groups
        ("Letterhead Spacer", 1, 1, True, 0),  # an empty paragraph of (almost) no height
    ):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        font(style, size)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(after)
        if exact:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(line)
        else:
            fmt.line_spacing = line


def _insert_in_order(parent, child, successors: tuple[str, ...]) -> None:
    """Insert child before the first of its schema successors present (Word checks the order
    of w:tblPr's children; appending after w:tblLook makes the part schema-invalid)."""
    for tag in successors:
        found = parent.find(qn(f"w:{tag}"))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def no_borders(table) -> None:
    """No borders and no cell margins, in the schema's order of w:tblPr's children."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr = table._tbl.tblPr
    after_cell_mar = ("tblLook", "tblCaption", "tblDescription", "tblPrChange")
    _insert_in_order(tbl_pr, borders, ("shd", "tblLayout", "tblCellMar", *after_cell_mar))
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _insert_in_order(tbl_pr, margins, after_cell_mar)


def _clear(paragraph) -> None:
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)


def _lines_in(cell, lines: list[str], style: str, runs, bold_first: bool = False) -> None:
    """Fill a cell with one paragraph per line (docxtpl {%p %} lines included); "" is a gap."""
    _clear(cell.paragraphs[0])
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.style = "Letterhead Gap" if line == "" else style
        runs(p, line)
        if bold_first and i == 0:
            for run in p.runs:
                run.bold = True
                run.font.color.rgb = DARK


def _merged(table, first: tuple[int, int], last: tuple[int, int]):
    cell = table.cell(*first).merge(table.cell(*last))
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    return cell


def first_page_header(section, runs, words: dict[str, str]) -> None:
    """Logo area, sender block and recipient address in the first-page header, at the places
    GOV.UK Notify prints (ROWS and COLUMNS); `runs(paragraph, text)` adds a line's runs."""
    header = section.first_page_header
    header.is_linked_to_previous = False
    table = header.add_table(rows=len(ROWS), cols=len(COLUMNS), width=Mm(sum(COLUMNS)))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    no_borders(table)
    for col, width in zip(table.columns, COLUMNS, strict=True):
        col.width = Mm(width)
    for row, height in zip(table.rows, ROWS, strict=True):
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        for cell, width in zip(row.cells, COLUMNS, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].style = "Letterhead Spacer"
    # A header must end with a paragraph: python-docx's own one goes after the table, tiny.
    trailing = header.paragraphs[0]
    table._tbl.addnext(trailing._p)
    trailing.style = "Letterhead Spacer"

    p = _merged(table, (0, 0), (0, 2)).paragraphs[0]  # 15-125 mm across, 5-30 mm down
    p.style = "Letterhead"  # single spacing: an exact line would clip the picture
    p.paragraph_format.left_indent = Mm(LOGO_INDENT)
    mark = p._p.get_or_add_pPr()  # a 1 pt paragraph mark: the line is as high as the logo
    rpr, size = OxmlElement("w:rPr"), OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    rpr.append(size)
    mark.append(rpr)
    # {{r ...}}: docxtpl replaces the whole run with the value, which is run XML (the logo's
    # w:drawing, or the authority's name as a wordmark) made by ehe_letters/docx/logo.py.
    p.add_run("{{r letterhead.logo }}")

    sender = _merged(table, (0, 3), (len(ROWS) - 1, 3))  # 125-195 x 5-95 mm
    _lines_in(sender, sender_lines(words), "Letterhead", runs, bold_first=True)
    address = table.cell(2, 1)  # 24.6-120 x 39.5-66.3 mm: the envelope window
    _lines_in(address, ADDRESS_LINES, "Letterhead Address", runs)


_KEEP = ["r", "wp"]  # the prefixes header and footer parts use besides w (the logo: a, pic)
_MC_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"


def slim_part(xml: bytes) -> bytes:
    """A header or footer part without the namespace declarations it does not use (python-docx
    declares 17 on every header: 1.6 kB of a part that is rendered for every letter)."""
    root = etree.fromstring(xml)
    root.attrib.pop(_MC_IGNORABLE, None)  # names w14 and wp14, which these parts do not use
    etree.cleanup_namespaces(root, keep_ns_prefixes=_KEEP)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
