"""GOV.UK Notify's printable areas (PDF001-PDF003): the check on hand-made PDFs (each rule), the
cases of tests/rules/pdf_cases.yml on real letters through LibreOffice, every letter's PDF, and
`ehe-letters check-pdf`."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, example_case
from docx import Document
from docx.shared import Mm
from minipdf import address, good_first_page, make_pdf

from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile
from ehe_letters.models.loading import load_case_file
from ehe_letters.pdf.areas import check_areas
from ehe_letters.pdf.convert import ConverterPool, find_soffice

WHEN = date(2026, 12, 1)
CASES = yaml.safe_load((Path(__file__).parent / "rules" / "pdf_cases.yml").read_text("utf-8"))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def check(tmp_path, pages, **kw):
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf(pages, **kw))
    return check_areas(path)


def _without_address(page):
    return [i for i in page if not (i[0] == "text" and 40 < i[2] < 70)]


# ------------------------------------------------------------------ each rule, on hand-made PDFs


def test_a_letter_inside_the_areas_passes(tmp_path):
    later = [("text", 16, 8, 9, "Reference WM-1"), ("text", 16, 290, 9, "Page 2 of 2")]
    assert check(tmp_path, [good_first_page(), later]) == []


def test_text_in_the_print_tag_corner_of_page_1(tmp_path):
    found = check(tmp_path, [[*good_first_page(), ("text", 3, 5, 6, "TAG")]])
    assert codes(found) == ["PDF001"] and found[0].location == "page 1"
    assert "print-tag corner" in found[0].message


def test_the_print_tag_corner_matters_on_page_1_only(tmp_path):
    assert check(tmp_path, [good_first_page(), [("text", 15.1, 7.5, 9, "Ref")]]) == []


def test_an_image_touching_the_print_tag_corner(tmp_path):
    page = [item for item in good_first_page() if item[0] != "image"]
    found = check(tmp_path, [[*page, ("image", 15.0, 5.0, 100, 30)]])
    assert codes(found) == ["PDF001"] and found[0].message.startswith("image at")


def test_an_address_left_of_the_window(tmp_path):
    found = check(tmp_path, [[*_without_address(good_first_page()), *address(x=22.0)]])
    assert set(codes(found)) == {"PDF002"}
    assert "starts 22.3 mm from the left (the area starts at 24.6)" in found[0].message


def test_eight_address_lines(tmp_path):
    lines = ["Ms A", "Flat 1", "House", "1 Street", "Village", "TOWN", "County", "TE1 1ST"]
    page = _without_address(good_first_page())
    found = check(tmp_path, [[*page, *address(top=42, lines=lines, size=8)]])
    assert any(f.message == "8 lines; at most 7" for f in found)


def test_the_last_address_line_must_be_a_postcode(tmp_path):
    page = _without_address(good_first_page())
    found = check(tmp_path, [[*page, *address(lines=["Ms A", "1 Street", "TESTTOWN"])]])
    assert [(f.code, f.message) for f in found] == [
        ("PDF002", "the last line is not a UK postcode")
    ]


def test_no_address(tmp_path):
    found = check(tmp_path, [_without_address(good_first_page())])
    assert codes(found) == ["PDF002"] and found[0].message.startswith("no text in the address")


def test_text_between_the_address_and_the_body(tmp_path):
    found = check(tmp_path, [[*good_first_page(), ("text", 30, 85, 12, "Too high")]])
    assert (
        codes(found) == ["PDF001"] and "between the address area and the body" in found[0].message
    )


def test_text_in_the_side_margins_of_a_later_page(tmp_path):
    later = [("text", 10, 100, 12, "Left"), ("text", 196, 120, 12, "Right")]
    found = check(tmp_path, [good_first_page(), later])
    assert [(f.code, f.location) for f in found] == [("PDF001", "page 2")] * 2
    assert "left margin" in found[0].message and "right margin" in found[1].message


def test_text_below_the_bottom_margin(tmp_path):
    found = check(tmp_path, [[*good_first_page(), ("text", 20, 295, 9, "footer")]])
    assert codes(found) == ["PDF001"] and "bottom margin" in found[0].message


def test_an_image_into_the_right_margin(tmp_path):
    found = check(tmp_path, [[*good_first_page(), ("image", 150, 120, 200, 140)]])
    assert codes(found) == ["PDF001"] and "right margin" in found[0].message


def test_text_may_run_from_the_logo_area_into_the_sender_area(tmp_path):
    assert check(tmp_path, [[*good_first_page(), ("text", 100, 20, 12, "Across the line")]]) == []


def test_not_a4(tmp_path):
    found = check(tmp_path, [good_first_page()], size_mm=(216, 279))
    assert [(f.code, f.location, f.message) for f in found] == [
        ("PDF003", "page 1", "the page is 216 x 279 mm, not A4 portrait")
    ]


def test_more_than_ten_pages(tmp_path):
    later = [("text", 16, 100, 12, "More")]
    found = check(tmp_path, [good_first_page()] + [later] * 10)
    assert codes(found) == ["PDF003"] and "11 pages; at most 10" in found[0].message


def test_findings_never_quote_the_text(tmp_path):
    page = _without_address(good_first_page())
    found = check(tmp_path, [[*page, *address(x=20, lines=["Ms Secret", "1 Hidden Street", "X"])]])
    assert found and not any("Secret" in f.message or "Hidden" in f.message for f in found)


# ------------------------------------------------------------------ real letters (LibreOffice)


def _seven_line_address(data: dict) -> dict:
    for parent in data["case"]["parents"]:
        parent["address"] = {
            "lines": ["Flat 3", "Tŷ'r Ywen", "4 Lôn Glyndŵr"],
            "town": "Glanmor",
            "county": "Sir Benfro",
            "postcode": "SA72 6DN",
        }
    for inputs in data["case"].get("inputs", {}).values():
        if isinstance(inputs, dict) and "school" in inputs and "child" in inputs:  # to a school
            inputs["school"]["address"] = {  # with its name, recipients and county: 7 lines
                "lines": ["Heol y Porth"],
                "town": "Glanmor",
                "county": "Sir Benfro",
                "postcode": "SA72 6DN",
            }
    return data


def _edit(data: bytes, change: str) -> bytes:
    """A change made to a produced letter in Word (python-docx)."""
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    if change == "margins-10":
        section.left_margin = section.right_margin = Mm(10)
    elif change == "letter-size":
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    elif change == "no-postcode":
        cell = section.first_page_header.tables[0].cell(2, 1)
        last = cell.paragraphs[-1]
        last._p.getparent().remove(last._p)
    else:
        raise AssertionError(change)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _letter_docx(spec: dict) -> bytes:
    data = example_case(spec["letter"])
    if spec["change"] == "seven-line-address":
        data = _seven_line_address(data)
    letter = render_letter(spec["letter"], CaseFile.model_validate(data), WHEN)[0].data
    if spec["change"] in ("none", "seven-line-address"):
        return letter
    return _edit(letter, spec["change"])


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every case's PDF and the first page of every example letter, in one converter pool."""
    find_soffice()  # LibreOffice must be installed: these tests never skip
    folder = tmp_path_factory.mktemp("areas")
    pairs, names = [], {}
    for n, case in enumerate(CASES):
        spec = case.get("pass") or case["fail"]
        docx = folder / f"case-{n}.docx"
        docx.write_bytes(_letter_docx(spec))
        pairs.append((docx, docx.with_suffix(".pdf")))
        names[f"case-{n}"] = docx.with_suffix(".pdf")
    for letter_id in LETTER_IDS:
        case_file = load_case_file(EXAMPLES / f"{letter_id}.yaml")
        for letter in render_letter(letter_id, case_file, WHEN):
            docx = folder / letter.name
            docx.write_bytes(letter.data)
            pairs.append((docx, docx.with_suffix(".pdf")))
            names[Path(letter.name).stem] = docx.with_suffix(".pdf")
    with ConverterPool(workers=2) as pool:
        report = pool.convert(pairs)
    assert not report.failed
    return names


@pytest.mark.parametrize(
    "number",
    range(len(CASES)),
    ids=[f"{c['code']}-{'pass' if 'pass' in c else 'fail'}" for c in CASES],
)
def test_pdf_case(pdfs, number):
    case = CASES[number]
    found = set(codes(check_areas(pdfs[f"case-{number}"])))
    assert (case["code"] in found) == ("fail" in case), found


def test_every_letter_of_every_example_keeps_to_the_areas(pdfs):
    letters = {name: path for name, path in pdfs.items() if not name.startswith("case-")}
    assert len(letters) == len(list((Path(__file__).parent / "golden").glob("*.txt")))
    for name, path in letters.items():
        assert check_areas(path) == [], name


def test_the_logo_is_drawn_in_the_logo_area(pdfs):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdfs["WM-EHE-2023-0190_s437-notice_p1"])
    page = document[0]
    height = page.get_size()[1]
    images = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    left, bottom, right, top = (v * 25.4 / 72 for v in images[0].get_bounds())
    x0, y0, x1, y1 = left, height * 25.4 / 72 - top, right, height * 25.4 / 72 - bottom
    assert 15.0 <= x0 and x1 <= 125.0 and 4.95 <= y0 and y1 <= 30.05
    assert (x1 - x0) / (y1 - y0) == pytest.approx(1000 / 300, rel=0.01)  # aspect kept
    assert y1 - y0 == pytest.approx(25.0, abs=0.2)
    page.close()
    document.close()


def test_the_check_takes_a_few_milliseconds_a_letter(pdfs):
    path = pdfs["WM-EHE-2023-0190_s437-notice_p1"]
    check_areas(path)
    start = time.perf_counter()
    for _ in range(20):
        check_areas(path)
    assert (time.perf_counter() - start) / 20 < 0.05  # measured ~4 ms for two pages


# ------------------------------------------------------------------ ehe-letters check-pdf


def _failing(pdfs: dict[str, Path], code: str) -> Path:
    return pdfs[f"case-{next(i for i, c in enumerate(CASES) if c['code'] == code and 'fail' in c)}"]


def test_check_pdf_passes_good_letters_and_fails_the_others(cli, pdfs):
    good = pdfs["GLN-EHE-2026-0412_welcome"]
    result = cli("check-pdf", good)
    assert result.code == 0 and result.out == ""
    bad = _failing(pdfs, "PDF001")
    result = cli("check-pdf", good, bad)
    assert result.code == 1
    assert all(line.startswith(f"{bad}: page ") for line in result.out.splitlines())
    assert (
        "PDF001 error" in result.out and "Tyler" not in result.out and "Greaves" not in result.out
    )


def test_check_pdf_json(cli, pdfs):
    import json

    bad = _failing(pdfs, "PDF003")
    result = cli("check-pdf", "--json", bad)
    assert result.code == 1
    rows = json.loads(result.out)
    assert {r["code"] for r in rows} >= {"PDF003"}
    assert all(r["reference"] and r["location"] for r in rows)


def test_check_pdf_unreadable_is_exit_2_with_one_line(cli, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_text("not a pdf")
    result = cli("check-pdf", junk)
    assert result.code == 2 and "Traceback" not in result.err
    assert f"error: {junk}: not a readable PDF" in result.err
    result = cli("check-pdf", tmp_path / "missing.pdf")
    assert result.code == 2 and "file not found" in result.err
