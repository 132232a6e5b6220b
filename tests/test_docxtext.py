"""Tests for the plain-text view of .docx files (ehe_letters.docx.text)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from ehe_letters.docx.text import Paragraph, docx_text, iter_paragraphs
from ehe_letters.errors import InputError

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def xml_paragraph(inner: str):
    return parse_xml(f"<w:p {NS}>{inner}</w:p>")


def save(document, tmp_path: Path, name: str = "doc.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def test_paragraphs_table_headers_and_footers(tmp_path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "Anytown Council"
    section.first_page_header.paragraphs[0].text = "{{ la.name }} letterhead"
    section.footer.paragraphs[0].text = "Continued  "
    section.first_page_footer.paragraphs[0].text = "Reference {{ ref }}"
    document.add_paragraph("Dear {{ parent.name }},")
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_paragraph("")
    document.add_paragraph("We wrote\tto you.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = "Date of birth"
    table.cell(1, 0).text = "{{ child.name }}"
    table.cell(1, 1).paragraphs[0].text = "{{ child.dob }}"
    table.cell(1, 1).add_paragraph("")
    table.cell(1, 1).add_paragraph("(age {{ child.age }})")
    document.add_paragraph("{% if late %}Overdue{% endif %}")
    assert docx_text(save(document, tmp_path)) == (
        "[header: default]\n"
        "Anytown Council\n"
        "[header: first]\n"
        "{{ la.name }} letterhead\n"
        "Dear {{ parent.name }},\n"
        "\n"
        "We wrote\tto you.\n"
        "Name | Date of birth\n"
        "{{ child.name }} | {{ child.dob }} / (age {{ child.age }})\n"
        "{% if late %}Overdue{% endif %}\n"
        "[footer: default]\n"
        "Continued\n"
        "[footer: first]\n"
        "Reference {{ ref }}\n"
    )


def test_tracked_changes_split_tag_and_breaks(tmp_path: Path) -> None:
    document = docx.Document()
    body = document.element.body
    body.insert(
        0,
        xml_paragraph(
            '<w:r><w:t xml:space="preserve">Text was </w:t></w:r>'
            '<w:del w:id="1" w:author="A"><w:r><w:delText>removed</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="A"><w:r><w:t>add</w:t></w:r><w:r><w:t>ed</w:t></w:r></w:ins>'
            '<w:r><w:t xml:space="preserve"> here.</w:t></w:r>'
        ),
    )
    body.insert(
        1,
        xml_paragraph(
            '<w:r><w:t xml:space="preserve">Dear {{ </w:t></w:r>'
            "<w:r><w:rPr><w:b/></w:rPr><w:t>parent</w:t></w:r>"
            "<w:r><w:t>.name }},</w:t></w:r>"
        ),
    )
    body.insert(
        2,
        xml_paragraph(
            "<w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t><w:cr/><w:t>non</w:t>"
            "<w:noBreakHyphen/><w:t>breaking</w:t>"
            '<w:sym w:font="Wingdings" w:char="F0FC"/></w:r>'
        ),
    )
    body.insert(3, xml_paragraph('<w:r><w:br w:type="page"/></w:r>'))
    path = save(document, tmp_path)
    assert docx_text(path) == (
        "Text was [-removed-][+added+] here.\n"
        "Dear {{ parent.name }},\n"
        "Line one⏎line two⏎non-breaking\n"
        "[page break]\n"
    )
    assert docx_text(path, marks=True).splitlines()[1] == "Dear {{ **parent**.name }},"
    first, second, third = list(iter_paragraphs(path))[:3]
    assert first == Paragraph(
        part="word/document.xml",
        location="paragraph 1",
        text="Text was added here.",
        has_tracked_changes=True,
        runs=["Text was ", "add", "ed", " here."],
    )
    assert second.runs == ["Dear {{ ", "parent", ".name }},"]
    assert not second.has_tracked_changes
    assert third.text == "Line one\nline two\nnon-breaking"


def test_fields_in_footer(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Body")
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    footer_p = footer.paragraphs[0]._p
    footer_p.addnext(
        xml_paragraph(
            '<w:r><w:t xml:space="preserve">Page </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            "<w:r><w:t>1</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:t xml:space="preserve"> of </w:t></w:r>'
            '<w:fldSimple w:instr=" NUMPAGES  \\* MERGEFORMAT ">'
            "<w:r><w:t>2</w:t></w:r></w:fldSimple>"
        )
    )
    path = save(document, tmp_path)
    assert docx_text(path) == "Body\n[footer: default]\n\nPage 1 of 2\n"
    assert docx_text(path, fields=True).endswith(
        "Page [field: PAGE]1 of [field: NUMPAGES \\* MERGEFORMAT]2\n"
    )
    last = list(iter_paragraphs(path))[-1]
    assert (last.part, last.location) == ("word/footer1.xml", "paragraph 2")
    assert last.field_codes == ["PAGE", "NUMPAGES \\* MERGEFORMAT"]
    assert last.text == "Page 1 of 2"


def test_text_box_read_once(tmp_path: Path) -> None:
    box = (
        "<w:txbxContent><w:p><w:r><w:t>Ref: {{ ref }}</w:t></w:r></w:p>"
        "<w:p/><w:p><w:r><w:t>Team</w:t></w:r></w:p></w:txbxContent>"
    )
    document = docx.Document()
    document.add_paragraph("Before")
    document.element.body.insert(
        1,
        xml_paragraph(
            "<w:r><w:t>Anchor</w:t><mc:AlternateContent>"
            '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
            f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
            "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:rect><v:textbox>{box}</v:textbox></v:rect></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>"
        ),
    )
    document.add_paragraph("After")
    path = save(document, tmp_path)
    assert docx_text(path) == (
        "Before\nAnchor\n[text box] Ref: {{ ref }}\n[text box] Team\nAfter\n"
    )
    locations = [(p.location, p.text) for p in iter_paragraphs(path)]
    assert locations == [
        ("paragraph 1", "Before"),
        ("paragraph 2", "Anchor"),
        ("paragraph 2, text box 1, paragraph 1", "Ref: {{ ref }}"),
        ("paragraph 2, text box 1, paragraph 2", ""),
        ("paragraph 2, text box 1, paragraph 3", "Team"),
        ("paragraph 3", "After"),
    ]


def test_nested_table_marks_and_comments(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Outer"
    inner = table.cell(0, 1).add_table(rows=2, cols=2)
    for r, c, text in [(0, 0, "a"), (0, 1, "b"), (1, 0, "c"), (1, 1, "d")]:
        inner.cell(r, c).text = text
    paragraph = document.add_paragraph("Plain ")
    paragraph.add_run("bold ").bold = True
    paragraph.add_run("under").underline = True
    paragraph._p.append(parse_xml(f'<w:r {NS}><w:commentReference w:id="0"/></w:r>'))
    path = save(document, tmp_path)
    assert docx_text(path) == "Outer | [table: a | b ; c | d]\nPlain bold under\n"
    assert docx_text(path, marks=True, comments=True).splitlines()[1] == (
        "Plain **bold** __under__[comment]"
    )
    paragraphs = list(iter_paragraphs(path))
    assert paragraphs[3].location == "table 1, row 1, cell 2, table 1, row 1, cell 2, paragraph 1"
    assert paragraphs[-1].has_comments


def test_sections(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "First header"
    document.add_paragraph("One")
    section = document.add_section()
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Second header"
    document.add_paragraph("Two")
    assert docx_text(save(document, tmp_path)) == (
        "[header: default]\nFirst header\nOne\n\n"
        "[section 2]\n[header: default]\nSecond header\nTwo\n"
    )


def test_stable_across_saves(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Header"
    document.add_paragraph("Same {{ text }}")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "x"
    first = save(document, tmp_path, "one.docx")
    second = save(document, tmp_path, "two.docx")
    assert docx_text(first) == docx_text(second) == docx_text(second.read_bytes())
    assert docx_text(first) == "[header: default]\nHeader\nSame {{ text }}\n | x\n"


def test_not_a_docx(tmp_path: Path) -> None:
    bad = tmp_path / "letter.docx"
    bad.write_text("not a zip")
    with pytest.raises(InputError, match="letter.docx: not a Word .docx file"):
        docx_text(bad)
    with pytest.raises(InputError, match="not a Word .docx file"):
        list(iter_paragraphs(b"PK\x05\x06" + b"\0" * 18))
