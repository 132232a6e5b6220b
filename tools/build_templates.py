"""Build templates/<id>.docx from the drafting sources in tools/letter_sources/<id>.md.

This is the developers' tool for the shared layout and for first drafts of wording.  The layout
keeps page 1 to GOV.UK Notify's printable areas for ready-made letters (A4, mm from the top-left
corner; letter specification v2.4 and notifications-template-preview's validator): the logo
(`{{r letterhead.logo }}`: the authority's logo, or its name) in 15-125 x 5-30, the sender block
(authority, team, address, telephone, e-mail, website, our reference, date, contact officer) in
125-195 x 5-95, the recipient's address in 24.6-120 x 39.5-66.3 (the window of a DL or C5
envelope), all in the first-page header; the body from 95 mm down with 15 mm sides and 5 mm at
the bottom; nothing in the print-tag corner (0-15.2 x 0-6.1).  Later pages: a small reference
line at the top, 15 mm sides, 5 mm top and bottom, "Page X of Y" in the footer.

Once legal staff edit a template in Word, the .docx in templates/ is the text that counts (and
the one approved): do not re-run this over an edited template unless you mean to replace it —
the script refuses to overwrite a template whose current file is not the one it last built,
unless given --force.

Source format, one paragraph per line (blank lines are ignored):
  # text          the letter's heading            ## text     a section heading
  - text          a bullet point                  > text      an indented quotation
  @signature      the signature block (name, role, authority) of the letter's signatory
  {%p ... %}      a docxtpl paragraph tag on a line of its own
  anything else   a paragraph; **bold** marks bold text

Welsh versions: tools/letter_sources/cy/<id>.md builds templates/cy/<id>.docx (the layout's
words in Welsh: ehe_letters/letters/language.py LABELS); name them as cy/<id>.

Every letter of an authority bound by the Welsh Language Standards ends with standard 7's
statement that correspondence in Welsh is welcome (`letter.welsh_welcome`): in both languages
in an English letter, in Welsh in a Welsh one.

Usage: python tools/build_templates.py [LETTER_ID | cy/LETTER_ID ...] [--force]
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from first_page import (
    BOTTOM,
    FOOTER_DISTANCE,
    SIDE,
    TOP,
    first_page_header,
    letterhead_styles,
    slim_part,
)
from lxml import etree

from ehe_letters.letters.language import LABELS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "letter_sources"
TEMPLATES = ROOT / "ehe_letters" / "data" / "templates"
BUILT = SOURCES / ".built-hashes"
FIXED = datetime(2026, 1, 1)
FONT = "Arial"
DARK = RGBColor(0x1F, 0x3A, 0x5F)


def _font(style_or_run, size: float, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


# Welsh Language Standards, standard 7: correspondence in Welsh is welcome, will be answered in
# Welsh, and will not lead to delay.
WELSH_WELCOME = {
    "cy": "Rydym yn croesawu gohebiaeth yn Gymraeg. Byddwn yn ateb yn Gymraeg unrhyw ohebiaeth a "
    "gawn yn Gymraeg, ac ni fydd gohebu yn Gymraeg yn arwain at oedi.",
    "en": "We welcome correspondence in Welsh. We will reply in Welsh to any correspondence we "
    "receive in Welsh, and corresponding in Welsh will not lead to delay.",
}


def _styles(doc, language: str = "en") -> None:
    normal = doc.styles["Normal"]
    _font(normal, 12)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.1
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "cy-GB" if language == "cy" else "en-GB")
    normal.element.get_or_add_rPr().append(lang)
    for name, size, before in (("Letter Heading", 14, 6), ("Section Heading", 12, 10)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style, size, bold=True)
        style.font.color.rgb = DARK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    quote = doc.styles.add_style("Statute Quote", WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = normal
    quote.paragraph_format.left_indent = Mm(10)
    quote.paragraph_format.right_indent = Mm(10)
    bullet = doc.styles["List Bullet"]
    _font(bullet, 12)
    bullet.paragraph_format.space_after = Pt(4)
    for name in ("Header", "Footer"):
        _font(doc.styles[name], 12)
    letterhead_styles(doc, normal, _font)


def _runs(paragraph, text: str) -> None:
    for i, piece in enumerate(re.split(r"\*\*", text)):
        if piece:
            run = paragraph.add_run(piece)
            if i % 2:
                run.bold = True


def _field(paragraph, instr: str, placeholder: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _small(paragraph, size: float = 9) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)


def _header_footer(doc, language: str = "en") -> None:
    words = LABELS[language]
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    first_page_header(section, _runs, words)  # tools/first_page.py: Notify's areas on page 1
    # Later pages: one small line at the top (5 mm down), so a loose page can be matched.
    cont = section.header.paragraphs[0]
    reference = words["reference"]
    if language != "en":  # a bilingual letter's later pages say both
        reference += "{% if letter.bilingual %} / " + LABELS["en"]["reference"] + "{% endif %}"
    cont.text = f"{{{{ authority.name }}}} · {reference} {{{{ letter.reference }}}} · "
    cont.text += "{{ letter.date }}"
    _small(cont)
    cont.paragraph_format.space_after = Pt(6)
    contact = (
        "{{ authority.team_name }}, {{ authority.name }} · {{ authority.phone }} · "
        "{{ authority.email }} · {{ authority.website }}"
    )
    # Footers sit inside the body area: the footer distance (6 mm) keeps their last line more
    # than 5 mm from the bottom edge, and Word and LibreOffice both lift the body above them.
    for footer, numbered in ((section.first_page_footer, False), (section.footer, True)):
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _runs(p, contact)
        _small(p)
        if numbered:
            q = footer.add_paragraph()
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            q.paragraph_format.space_after = Pt(0)
            q.add_run(f"{words['page']} ")
            _field(q, "PAGE", "2")
            q.add_run(f" {words['of']} ")
            _field(q, "NUMPAGES", "2")
            if language != "en":  # "Tudalen 2 o 4 · Page 2 of 4" in a bilingual letter
                english = LABELS["en"]
                q.add_run(f"{{% if letter.bilingual %}} · {english['page']} ")
                _field(q, "PAGE", "2")
                q.add_run(f" {english['of']} ")
                _field(q, "NUMPAGES", "2")
                q.add_run("{% endif %}")
            for run in q._p.iter(qn("w:r")):
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    run.insert(0, rpr)
                size = OxmlElement("w:sz")
                size.set(qn("w:val"), "18")
                rpr.append(size)


def _signature(doc, signatory: str) -> None:
    space = doc.add_paragraph()
    space.paragraph_format.space_after = Pt(30)
    for text, bold in (
        (f"{{{{ {signatory}.name }}}}", True),
        (f"{{{{ {signatory}.role }}}}", False),
        ("{{ authority.name }}", False),
    ):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_with_next = True
        _runs(p, text)
        if bold:
            p.runs[0].bold = True


def _welsh_welcome(doc, language: str) -> None:
    """Standard 7's statement, printed when the authority is bound by the Standards."""
    doc.add_paragraph("{%p if letter.welsh_welcome %}")
    for lang in ("cy", "en") if language == "en" else ("cy",):
        p = doc.add_paragraph()
        _runs(p, WELSH_WELCOME[lang])
        _small(p, 10)
    doc.add_paragraph("{%p endif %}")


def build(letter_id: str) -> bytes:
    """Build one template (an id, or cy/<id> for the Welsh one) and return the .docx bytes."""
    import tomllib

    language = "cy" if letter_id.startswith("cy/") else "en"
    meta = tomllib.loads((TEMPLATES / f"{letter_id}.toml").read_text(encoding="utf-8"))
    doc = Document()
    _styles(doc, language)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    # Notify's margins: 15 mm sides, 5 mm top and bottom.  Page 1's body starts at 95 mm because
    # the first-page header (logo, sender, address) fills 5-95 mm and pushes it down.
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(SIDE), Mm(SIDE)
    section.header_distance, section.footer_distance = Mm(TOP), Mm(FOOTER_DISTANCE)
    body = doc.paragraphs[0]._p if doc.paragraphs else None
    if body is not None:
        body.getparent().remove(body)
    _header_footer(doc, language)
    signatory = "signatory"
    for line in (SOURCES / f"{letter_id}.md").read_text(encoding="utf-8").splitlines():
        line = line.rstrip()
        if not line:
            continue
        if line == "@signature":
            _signature(doc, signatory)
        elif line.startswith("## "):
            doc.add_paragraph(line[3:], style="Section Heading")
        elif line.startswith("# "):
            doc.add_paragraph(line[2:], style="Letter Heading")
        elif line.startswith("- "):
            _runs(doc.add_paragraph(style="List Bullet"), line[2:])
        elif line.startswith("> "):
            _runs(doc.add_paragraph(style="Statute Quote"), line[2:])
        else:
            _runs(doc.add_paragraph(), line)
    _welsh_welcome(doc, language)
    props = doc.core_properties
    props.title = meta["title"]
    props.author = "ehe-letters"
    props.last_modified_by = "ehe-letters"
    props.created = props.modified = FIXED
    props.revision = 1
    props.comments = f"Template for the {letter_id} letter."
    props.language = "cy-GB" if language == "cy" else "en-GB"
    _slim(doc)
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise(raw.getvalue())


def _slim(doc) -> None:
    """Drop parts of python-docx's default package that letters never use (a legacy copy of the
    styles, a thumbnail, custom XML), so that every letter produced is smaller."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel_id, rel in list(rels.items()):
            target = "" if rel.is_external else str(rel.target_part.partname)
            if "stylesWithEffects" in target or "thumbnail" in target or "customXml" in target:
                del rels[rel_id]


def _trim_styles(src: zipfile.ZipFile) -> bytes:
    """Keep only the styles the template uses (and what they are based on), and no latent
    styles: python-docx's default has 167 styles in 350 kB, which every letter would carry and
    LibreOffice would parse for every PDF (trimming halves its conversion time)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    styles = etree.fromstring(src.read("word/styles.xml"))
    text = b"".join(
        src.read(n)
        for n in src.namelist()
        if n.startswith("word/") and n.endswith(".xml") and n != "word/styles.xml"
    )
    used = {m.decode() for m in re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', text)}
    by_id = {style.get(w + "styleId"): style for style in styles.findall(w + "style")}
    used |= {sid for sid, style in by_id.items() if style.get(w + "default") == "1"}
    todo = list(used)
    while todo:
        style = by_id.get(todo.pop())
        for tag in ("basedOn", "next", "link"):
            ref = style.find(w + tag) if style is not None else None
            if ref is not None and ref.get(w + "val") not in used:
                used.add(ref.get(w + "val"))
                todo.append(ref.get(w + "val"))
    for sid, style in by_id.items():
        if sid not in used:
            styles.remove(style)
    latent = styles.find(w + "latentStyles")
    if latent is not None:
        styles.remove(latent)
    return etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


def _normalise(data: bytes) -> bytes:
    """Rewrite a .docx with trimmed styles and fixed zip timestamps (same source, same bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    styles = _trim_styles(src)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            data = styles if info.filename == "word/styles.xml" else src.read(info)
            if re.match(r"word/(header|footer)\d*\.xml$", info.filename):
                data = slim_part(data)
            dst.writestr(fixed, data)
    return out.getvalue()


def _hashes() -> dict[str, str]:
    if not BUILT.exists():
        return {}
    return dict(line.split("  ", 1)[::-1] for line in BUILT.read_text().splitlines() if line)


def main(argv: list[str]) -> int:
    force = "--force" in argv
    ids = [a for a in argv if not a.startswith("--")] or [
        p.stem for p in sorted(SOURCES.glob("*.md"))
    ] + [f"cy/{p.stem}" for p in sorted((SOURCES / "cy").glob("*.md"))]
    hashes = _hashes()
    for letter_id in ids:
        target = TEMPLATES / f"{letter_id}.docx"
        if target.exists() and not force:
            current = hashlib.sha256(target.read_bytes()).hexdigest()
            if hashes.get(letter_id) not in (None, current):
                print(f"{target}: edited since it was built; not overwritten (use --force)")
                continue
        data = build(letter_id)
        target.write_bytes(data)
        hashes[letter_id] = hashlib.sha256(data).hexdigest()
        print(target)
    BUILT.write_text("".join(f"{h}  {i}\n" for i, h in sorted(hashes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
