"""`batch --pdf --merge` through chunks (real LibreOffice): reproducible PDFs and manifests,
--resume checking the PDFs, the print file from the chunks' PDFs, inserter marks."""

from __future__ import annotations

import json
import shutil

import pypdfium2 as pdfium
import pytest
from conftest import Result, batch, numbered_rows, write_csv

from ehe_letters.batch.pdf_stage import CHUNK
from ehe_letters.cli.main import main
from ehe_letters.pdf.areas import AREAS, PT_PER_MM, TAG
from ehe_letters.pdf.merge import MARK_BOX_MM


def rows(count: int) -> list[dict]:
    return numbered_rows(count, 5000)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same mailing of more than one chunk, run twice with --pdf --merge."""
    tmp = tmp_path_factory.mktemp("runs")
    source = write_csv(tmp / "mailing.csv", rows(CHUNK + 7))
    outs = [tmp / "first", tmp / "second"]

    def cli(*args):  # the cli fixture is per test: main itself, for the module
        return Result(main([str(a) for a in args]), "", "")

    for out in outs:
        assert batch(cli, source, out, "--pdf", "--merge", "--quiet").code == 0
    return tmp, source, outs


def test_two_pdf_runs_of_the_same_mailing_give_identical_manifests_and_pdfs(runs):
    _, _, (first, second) = runs
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()
    assert (first / "print.pdf").read_bytes() == (second / "print.pdf").read_bytes()
    pdfs = sorted(p.name for p in (first / "pdf").iterdir())
    assert len(pdfs) == CHUNK + 7 and pdfs == sorted(p.name for p in (second / "pdf").iterdir())
    for name in pdfs:
        assert (first / "pdf" / name).read_bytes() == (second / "pdf" / name).read_bytes()
    assert not (first / "pdf" / ".chunks").exists()  # the chunks' PDFs are not left behind


def test_resume_checks_the_pdfs_and_ends_with_the_same_manifest(runs, cli, tmp_path):
    tmp, source, (first, _) = runs
    out = tmp_path / "resumed"
    assert batch(cli, source, out, "--pdf").code == 0  # no print file yet
    pdfs = sorted((out / "pdf").glob("*.pdf"))
    pdfs[0].unlink()  # lost
    shutil.copy(pdfs[2], pdfs[1])  # another letter's PDF under this name
    result = batch(cli, source, out, "--pdf", "--merge", "--resume")
    assert result.code == 0, result.err
    assert (out / "manifest.json").read_bytes() == (first / "manifest.json").read_bytes()
    assert pdfs[1].read_bytes() == (first / "pdf" / pdfs[1].name).read_bytes()
    assert (out / "print.pdf").read_bytes() == (first / "print.pdf").read_bytes()


def test_the_print_file_shares_each_chunks_fonts(runs):
    _, _, (first, _) = runs
    letters = sum(p.stat().st_size for p in (first / "pdf").glob("*.pdf"))
    assert (first / "print.pdf").stat().st_size < letters / 4


def test_mark_puts_an_inserter_mark_outside_the_printable_areas(runs, cli, tmp_path):
    _, source, (first, _) = runs
    out = tmp_path / "marked"
    assert batch(cli, source, out, "--pdf", "--merge", "--mark", "--quiet").code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["print_file"]["inserter_marks"] is True
    for name in (p.name for p in (first / "pdf").glob("*.pdf")):  # letters' PDFs: no marks
        assert (out / "pdf" / name).read_bytes() == (first / "pdf" / name).read_bytes()
    document = pdfium.PdfDocument(out / "print.pdf")
    try:
        order = sorted(manifest["letters"], key=lambda e: e["print_pages"][0])
        for number, entry in enumerate(order, start=1):
            first_page, last_page = entry["print_pages"]
            page = document[first_page - 1]
            height = page.get_height()
            textpage = page.get_textpage()
            mark = f"{number:06d} {last_page - first_page + 1}"
            found = textpage.search(mark).get_next()
            assert found is not None, mark
            x0, bottom, x1, top = textpage.get_charbox(found[0])
            x1 = textpage.get_charbox(found[0] + len(mark) - 1)[2]
            box = (x0 / PT_PER_MM, (height - top) / PT_PER_MM, x1 / PT_PER_MM)
            box += ((height - bottom) / PT_PER_MM,)
            left, upper, right, lower = MARK_BOX_MM
            assert left <= box[0] and box[2] <= right and upper <= box[1] and box[3] <= lower
            assert not any(area.intersects(box) for area in (*AREAS["first"], TAG))
            textpage.close()
            page.close()
    finally:
        document.close()


def test_mark_needs_merge(cli, tmp_path):
    source = write_csv(tmp_path / "m.csv", rows(2))
    result = batch(cli, source, tmp_path / "out", "--pdf", "--mark")
    assert result.code == 2 and "--mark needs --merge" in result.err
