"""Batch PDFs with the real LibreOffice: each letter checked, one print file with duplex padding."""

from __future__ import annotations

import json

import yaml
from conftest import EXAMPLES
from pypdf import PdfReader

LONG = " ".join(
    f"Point {i}: we would like to understand how the learning in this area is planned and how "
    "progress is reviewed over the year, in whatever way suits your family."
    for i in range(30)
)


def _cases(count: int) -> list[dict]:
    base = yaml.safe_load((EXAMPLES / "information-request.yaml").read_text())["case"]
    cases = []
    for i in range(count):
        case = json.loads(json.dumps(base, default=str))
        case["reference"] = f"WM-EHE-P{i:04d}"
        case["parents"][0]["address"]["postcode"] = f"WM{1 + i % 9} {1 + i % 7}AB"
        if i % 4 == 0:
            case["inputs"]["information_request"]["detail"] = LONG  # a three-page letter
        cases.append(case)
    return cases


def test_pdf_merge_of_100_rows(cli, tmp_path):
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(_cases(100)), encoding="utf-8")
    out = tmp_path / "out"
    result = cli(
        "batch",
        "information-request",
        source,
        "--out",
        out,
        "--authority",
        EXAMPLES / "authority.yaml",
        "--date",
        "2026-12-01",
        "--pdf",
        "--merge",
        "--workers",
        "2",
    )
    assert result.code == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text())
    letters = manifest["letters"]
    assert len(letters) == 100
    pages = [next(f["pages"] for f in e["files"] if f["path"].endswith(".pdf")) for e in letters]
    assert set(pages) == {2, 3}, "the test needs letters of odd and even length"
    padding = sum(p % 2 for p in pages)
    merged = PdfReader(out / "print.pdf")
    assert len(merged.pages) == sum(pages) + padding == manifest["print_file"]["pages"]
    for entry, count in zip(letters, pages, strict=True):
        first, last = entry["print_pages"]
        assert last - first + 1 == count
        assert first % 2 == 1, "every letter starts on a fresh sheet (an odd page)"
        text = " ".join(merged.pages[i].extract_text() for i in range(first - 1, last))
        assert entry["reference"] in " ".join(text.split())
    order = sorted(letters, key=lambda e: e["print_pages"][0])
    postcodes = [e["reference"] for e in order]
    assert len(postcodes) == 100


def test_merge_needs_pdf(cli, tmp_path):
    result = cli(
        "batch",
        "welcome",
        EXAMPLES / "mailing.csv",
        "--out",
        tmp_path / "o",
        "--authority",
        EXAMPLES / "authority.yaml",
        "--mapping",
        EXAMPLES / "mailing-mapping.toml",
        "--merge",
    )
    assert result.code == 2 and "--merge needs --pdf" in result.err


def test_pdf_without_libreoffice_fails_at_once(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("EHE_LETTERS_SOFFICE", str(tmp_path / "no-such-soffice"))
    out = tmp_path / "o"
    result = cli(
        "batch",
        "welcome",
        EXAMPLES / "mailing.csv",
        "--out",
        out,
        "--authority",
        EXAMPLES / "authority.yaml",
        "--mapping",
        EXAMPLES / "mailing-mapping.toml",
        "--pdf",
    )
    assert result.code == 2 and "apt-get install libreoffice" in result.err
    assert not out.exists()


def test_render_pdf_for_one_letter(cli, tmp_path):
    result = cli(
        "render",
        "s437-notice",
        EXAMPLES / "s437-notice.yaml",
        "-o",
        tmp_path,
        "--date",
        "2026-12-01",
        "--pdf",
    )
    assert result.code == 0, result.err
    pdfs = [p for p in result.out.split() if p.endswith(".pdf")]
    assert len(pdfs) == 2
    for pdf in pdfs:
        reader = PdfReader(pdf)
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert "Notice under section 437(1) of the Education Act 1996" in text
        assert "23 December 2026" in text
