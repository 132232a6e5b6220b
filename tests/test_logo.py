"""The authority's logo in the first-page letterhead: sizing, checks, package parts, loading.

The PDF with the logo drawn in the logo area is checked in test_pdf_areas.py (LibreOffice).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml
from conftest import EXAMPLES, example_case
from images import jpeg_header, png
from lxml import etree

from ehe_letters.docx.logo import EMU_PER_MM, LOGO_REL_ID, Logo, LogoProblem, logo_run_xml
from ehe_letters.errors import InputError
from ehe_letters.letters.produce import compiled, render_letter
from ehe_letters.models import CaseFile
from ehe_letters.models.loading import load_authority, load_case_file

WHEN = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("size", "dpi", "expected_mm"),
    [
        ((1200, 300), 300, (100.0, 25.0)),  # wide: as high as the area
        ((600, 600), 150, (25.0, 25.0)),  # square: shrunk to the area's height
        ((2000, 100), 72, (109.5, 5.475)),  # very wide: as wide as the area
        ((120, 40), None, (75.0, 25.0)),  # tiny, no DPI: grown to fit
        ((400, 200), 100, (50.0, 25.0)),  # another DPI: only the aspect ratio counts
    ],
)
def test_the_logo_fits_the_area_keeping_its_aspect_ratio(size, dpi, expected_mm):
    logo = Logo.from_bytes(png(*size, dpi=dpi))
    w, h = logo.cx / EMU_PER_MM, logo.cy / EMU_PER_MM
    assert (w, h) == pytest.approx(expected_mm, abs=0.001)
    assert w <= 109.5 and h <= 25.0
    assert abs(w / h - size[0] / size[1]) < 0.001


def test_a_jpeg_is_accepted_by_its_bytes():
    logo = Logo.from_bytes(jpeg_header(600, 300, dpi=150))
    assert (logo.ext, logo.content_type) == ("jpg", "image/jpeg")
    assert logo.cx / EMU_PER_MM == pytest.approx(50.0, abs=0.001)


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"GIF89a\x01\x00\x01\x00", "not a PNG or JPEG image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a PNG or JPEG image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "a damaged PNG or JPEG image"),
        (png(10, 10) + b"\x00" * (2 * 1024 * 1024), "over 2 MB"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(blob, message):
    with pytest.raises(LogoProblem, match=message):
        Logo.from_bytes(blob)


def test_the_alt_text_is_the_authority_name_escaped():
    logo = Logo.from_bytes(png(400, 100, 300))
    xml = logo_run_xml(logo, 'Smith & "Jones" <Council>')
    root = etree.fromstring(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        + str(xml)
        + "</w:p>"
    )
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    assert root.find(f".//{wp}docPr").get("descr") == 'Smith & "Jones" <Council>'


def _members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_letter_of_an_authority_with_a_logo_carries_it_in_the_first_page_header():
    case_file = load_case_file(EXAMPLES / "s437-notice.yaml")  # Westmere: has a logo
    letter = render_letter("s437-notice", case_file, WHEN)[0]
    members = _members(letter.data)
    blob = (EXAMPLES / "westmere-logo.png").read_bytes()
    assert members["word/media/ehe-logo.png"] == blob
    assert b'Extension="png" ContentType="image/png"' in members["[Content_Types].xml"]
    for name, data in members.items():  # every part well-formed
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)
    document = docx.Document(io.BytesIO(letter.data))
    header = document.sections[0].first_page_header
    part = header.part.related_parts[LOGO_REL_ID]
    assert part.content_type == "image/png" and part.blob == blob
    descr = header._element.xpath(".//wp:docPr/@descr")
    assert descr == ["Westmere Borough Council"]  # the alt text
    assert not document.sections[0].header._element.xpath(".//wp:docPr")  # page 1 only


def test_without_a_logo_the_letterhead_shows_the_authority_name():
    case_file = load_case_file(EXAMPLES / "welcome.yaml")  # Glanmor: no logo
    letter = render_letter("welcome", case_file, WHEN)[0]
    members = _members(letter.data)
    assert not any(name.startswith("word/media/") for name in members)
    header = docx.Document(io.BytesIO(letter.data)).sections[0].first_page_header
    first_cell = header.tables[0].cell(0, 0).text
    assert first_cell == "Cyngor Sir Glanmor"  # its Welsh name: the letter is Welsh first


def test_the_logo_parts_are_built_once_per_template_and_logo():
    case_file = load_case_file(EXAMPLES / "visit-offer.yaml")
    first = render_letter("visit-offer", case_file, WHEN)[0].data
    template = compiled(_template("visit-offer"))
    cached = dict(template._logo_cache)
    assert len(cached) == 1
    again = render_letter("visit-offer", case_file, WHEN)[0].data
    assert again == first  # deterministic
    assert template._logo_cache == cached
    assert all(a is b for a, b in zip(template._logo_cache.values(), cached.values(), strict=True))


def _template(letter_id: str) -> Path:
    from ehe_letters.letters.catalogue import get_letter

    return get_letter(letter_id).template


def test_the_logo_path_is_relative_to_the_authority_file(tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "crest.png").write_bytes(png(300, 100, 150))
    data = yaml.safe_load((EXAMPLES / "authority.yaml").read_text(encoding="utf-8"))
    data["logo"] = "crest.png"
    (folder / "authority.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    authority = load_authority(folder / "authority.yaml")
    assert authority.logo_image.blob == (folder / "crest.png").read_bytes()


def test_an_inline_authority_logo_is_relative_to_the_case_file(tmp_path, write_case):
    (tmp_path / "crest.png").write_bytes(png(300, 100, 150))
    data = example_case("welcome")
    data["authority"]["logo"] = "crest.png"
    case_file = load_case_file(write_case(data))
    assert case_file.authority.logo_image.blob == (tmp_path / "crest.png").read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"GIF89a\x01\x00\x01\x00", "not a PNG or JPEG image"),
        (b"x" * (2 * 1024 * 1024 + 1), "over 2 MB"),
    ],
)
def test_an_unusable_logo_is_one_line_naming_the_field(cli, tmp_path, write_case, content, message):
    if content is not None:
        (tmp_path / "crest.png").write_bytes(content)
    data = example_case("welcome")
    data["authority"]["logo"] = "crest.png"
    case = write_case(data)
    result = cli("render", "welcome", case, "-o", tmp_path / "out", "--date", "2026-12-01")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err
    assert lines[0].startswith(f"error: {case}: authority.logo: ") and message in lines[0]
    assert not (tmp_path / "out").exists()


def test_an_authority_validated_without_loading_reads_its_logo_when_first_used(tmp_path):
    (tmp_path / "crest.png").write_bytes(png(300, 100, 150))
    data = example_case("welcome")
    data["authority"]["logo"] = str(tmp_path / "crest.png")
    case_file = CaseFile.model_validate(data)  # a script's own validation: nothing read yet
    assert case_file.authority.logo_image is None
    letter = render_letter("welcome", case_file, WHEN)[0]
    assert "word/media/ehe-logo.png" in _members(letter.data)
    data["authority"]["logo"] = str(tmp_path / "missing.png")
    with pytest.raises(InputError, match=r"^authority: authority.logo: .*file not found"):
        render_letter("welcome", CaseFile.model_validate(data), WHEN)
