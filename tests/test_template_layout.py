"""The shipped templates' layout: GOV.UK Notify's areas in the first-page header, margins, and
table properties in the order the schema requires (Word refuses them otherwise)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from docx import Document
from docx.oxml.ns import qn

from ehe_letters.letters.catalogue import LETTER_IDS

# CT_TblPr's sequence (ISO/IEC 29500-1, 17.4.60): its children must come in this order.
TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
]


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_page_one_keeps_to_notify_areas(letter_id):
    document = Document(ROOT / "templates" / f"{letter_id}.docx")
    section = document.sections[0]
    page = (section.page_width.mm, section.page_height.mm)
    assert page == pytest.approx((210, 297), abs=0.05)
    assert section.left_margin.mm == section.right_margin.mm == pytest.approx(15, abs=0.05)
    assert section.top_margin.mm == section.bottom_margin.mm == pytest.approx(5, abs=0.05)
    assert section.different_first_page_header_footer
    (table,) = section.first_page_header.tables
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert grid == [_twips(w) for w in (9.6, 95.4, 5.0, 70.0)]  # 15 | 24.6 | 120 | 125 | 195
    heights = [(row.height, row.height_rule) for row in table.rows]
    assert [round(h.mm, 1) for h, _ in heights] == [25.0, 9.5, 26.8, 28.7]  # 5|30|39.5|66.3|95
    assert all(rule == 2 for _, rule in heights)  # exactly (WD_ROW_HEIGHT_RULE.EXACTLY)
    assert "{{r letterhead.logo }}" in table.cell(0, 0).text
    assert "{{ addressee.names }}" in table.cell(2, 1).text
    assert "Contact: {{ contact.name }}" in table.cell(0, 3).text


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_table_properties_are_in_schema_order(letter_id):
    document = Document(ROOT / "templates" / f"{letter_id}.docx")
    parts = [document.part, *(s.first_page_header.part for s in document.sections)]
    for part in parts:
        for tbl_pr in part.element.iter(qn("w:tblPr")):
            names = [child.tag.split("}")[1] for child in tbl_pr]
            assert names == sorted(names, key=TBL_PR_ORDER.index), names
