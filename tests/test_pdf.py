"""PDF conversion through the real LibreOffice, the print file, and recovery from crashes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter

from ehe_letters.errors import InputError, TemplateProblem
from ehe_letters.pdf import soffice as pdf
from ehe_letters.pdf.check import check_pdf
from ehe_letters.pdf.convert import ConverterPool, docx_to_pdf
from ehe_letters.pdf.merge import merge
from ehe_letters.pdf.soffice import find_soffice

PAGES = [1, 3, 2, 1, 3]  # one letter per entry: its page count


def ref(n: int) -> str:
    return f"WM-EHE-2026-{n:04d}"


def make_docx(path: Path, text: str, pages: int = 1, marker: str = "") -> Path:
    """Write a small letter of the given number of pages, `text` on the first."""
    doc = Document()
    doc.add_paragraph(f"Our reference: {text}")
    doc.add_paragraph("Dear parent, thank you for telling us about your child's education. " * 3)
    for page in range(2, pages + 1):
        doc.add_page_break()
        doc.add_paragraph(f"Page {page} of the letter. {marker}")
    if marker:
        doc.add_paragraph(marker)
    doc.save(path)
    return path


def lo_processes(needle: str) -> list[str]:
    """Return command lines of running processes that mention needle (Linux only)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in text:
            found.append(text)
    return found


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Convert five letters through a real two-worker pool, once for the module."""
    find_soffice()  # LibreOffice must be installed: these tests never skip
    tmp = tmp_path_factory.mktemp("pdf")
    items = [
        (make_docx(tmp / f"letter{n}.docx", ref(n), pages), tmp / f"letter{n}.pdf")
        for n, pages in enumerate(PAGES)
    ]
    items[1][1].write_bytes(b"stale")  # an old PDF under a target name is replaced
    done = []
    with ConverterPool(workers=2) as pool:
        root = pool._root
        report = pool.convert(items, on_done=lambda target, ok: done.append((target, ok)))
        # both converters are resident LibreOffice processes, still running for the next batch
        assert all(c.server and c.server.poll() is None for c in pool._converters)
    return items, report, done, root


def test_pool_converts_every_letter_and_cleans_up(converted):
    items, report, done, root = converted
    assert report.ok and report.failed == [] and report.restarts == 0
    assert sorted(report.converted) == sorted(t for _, t in items)
    assert sorted(done) == sorted((t, True) for _, t in items)
    for n, (_, target) in enumerate(items):
        assert check_pdf(target, ref(n)) == PAGES[n]
    assert not root.exists()
    assert lo_processes(str(root)) == []
    assert not list(items[0][1].parent.glob(".*.part"))


def test_check_pdf_tolerates_line_breaks_but_not_other_characters(converted, tmp_path):
    items, *_ = converted
    target = items[0][1]
    assert check_pdf(target, "WM-EHE-\n2026- 0000") == 1
    with pytest.raises(TemplateProblem) as exc:
        check_pdf(target, "WM-EHE-2026-0009")
    message = str(exc.value)
    assert str(target) in message and "WM-EHE" not in message and "\n" not in message
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    with pytest.raises(TemplateProblem, match="broken.pdf"):
        check_pdf(broken, "x")
    empty = tmp_path / "empty.pdf"
    PdfWriter().write(empty)
    with pytest.raises(TemplateProblem, match="empty.pdf"):  # PDFium refuses a 0-page PDF
        check_pdf(empty, "")


def test_merge_pads_odd_letters_and_returns_ranges(converted, tmp_path):
    items, *_ = converted
    target = tmp_path / "print.pdf"
    ranges = merge([t for _, t in items], target)
    assert ranges == [(1, 1), (3, 5), (7, 8), (9, 9), (11, 13)]
    reader = PdfReader(target)
    assert len(reader.pages) == sum(PAGES) + sum(p % 2 for p in PAGES) == 14
    for n, (first, last) in enumerate(ranges):
        text = "".join(reader.pages[i].extract_text() for i in range(first - 1, last))
        assert ref(n) in text
        assert first % 2 == 1  # every letter starts on the front of a sheet
    blank = reader.pages[1]
    assert blank.extract_text().strip() == ""
    assert (blank.mediabox.width, blank.mediabox.height) == (
        reader.pages[0].mediabox.width,
        reader.pages[0].mediabox.height,
    )
    assert not list(tmp_path.glob(".*.part"))


def test_docx_to_pdf_renders_a_visible_page(tmp_path):
    docx = make_docx(tmp_path / "one.docx", ref(42), pages=2)
    target = tmp_path / "one.pdf"
    assert docx_to_pdf(docx, target) == 2
    assert check_pdf(target, ref(42)) == 2
    # Render page 1 to a grey-scale bitmap (PGM: easy to read) and check it is not blank.
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "60", "-f", "1", "-l", "1", target, tmp_path / "page"],
        check=True,
    )
    (image,) = tmp_path.glob("page*.pgm")
    data = image.read_bytes()
    _, size, _, pixels = data.split(b"\n", 3)
    width, height = map(int, size.split())
    assert len(pixels) == width * height
    dark = sum(1 for byte in pixels if byte < 128)
    assert 0.001 < dark / len(pixels) < 0.2  # some ink, mostly paper


def test_a_converter_that_died_is_restarted(tmp_path):
    letters = [make_docx(tmp_path / f"l{n}.docx", ref(n)) for n in range(2)]
    with ConverterPool(workers=1) as pool:
        assert pool.convert([(letters[0], tmp_path / "l0.pdf")]).ok
        server = pool._converters[0].server
        os.killpg(server.pid, 9)  # LibreOffice crashed between batches
        server.wait()
        report = pool.convert([(letters[1], tmp_path / "l1.pdf")])
    assert report.ok and report.restarts == 1
    assert check_pdf(tmp_path / "l1.pdf", ref(1)) == 1


FAKE = """\
    #!{python}
    # A stand-in for soffice: no resident mode; crashes on CRASH, hangs on HANG.
    import sys, time, zipfile
    from pathlib import Path
    args = sys.argv[1:]
    if "--convert-to" not in args:
        sys.exit(0)
    out = Path(args[args.index("--outdir") + 1])
    for name in (a for a in args if a.endswith(".docx")):
        xml = zipfile.ZipFile(name).read("word/document.xml").decode()
        if "HANG" in xml:
            time.sleep(60)
        if "CRASH" in xml:
            sys.exit(1)
        (out / (Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4 (fake)\\n%%EOF\\n")
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "soffice"
    script.write_text(textwrap.dedent(FAKE).format(python=sys.executable), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(pdf.ENV_VAR, str(script))
    return script


def test_crash_and_timeout_restart_retry_then_fall_back_to_one_at_a_time(fake_soffice, tmp_path):
    markers = ["", "CRASH", "", "HANG", "", ""]
    items = [
        (make_docx(tmp_path / f"l{n}.docx", ref(n), marker=m), tmp_path / f"l{n}.pdf")
        for n, m in enumerate(markers)
    ]
    items[1][1].write_bytes(b"%PDF stale")  # a failed letter must not keep an old PDF
    done = []
    with ConverterPool(workers=2, timeout=2, retries=1, chunk_size=3) as pool:
        assert pool.soffice == str(fake_soffice)
        report = pool.convert(items, on_done=lambda target, ok: done.append((target, ok)))
        root = pool._root
    failed = dict(report.failed)
    assert set(failed) == {items[1][0], items[3][0]}
    assert "exited with code 1" in failed[items[1][0]]
    assert "longer than 2 s" in failed[items[3][0]]
    ok = [t for (_, t), m in zip(items, markers, strict=True) if not m]
    assert sorted(report.converted) == sorted(ok)
    assert all(t.exists() for t in ok) and not items[1][1].exists() and not items[3][1].exists()
    assert sorted(done) == sorted((t, not m) for (_, t), m in zip(items, markers, strict=True))
    assert report.restarts >= 4  # crash: retry + single; hang: retry + single
    assert lo_processes(str(root)) == []


def test_interrupt_kills_converters_and_removes_temp_dir(fake_soffice, tmp_path):
    items = [
        (make_docx(tmp_path / f"l{n}.docx", ref(n), marker=m), tmp_path / f"l{n}.pdf")
        for n, m in enumerate(["", "HANG"])
    ]

    def interrupt(target, ok):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with ConverterPool(workers=2, timeout=30, chunk_size=1) as pool:
            root = pool._root
            pool.convert(items, on_done=interrupt)
    assert not root.exists()
    assert lo_processes(str(root)) == []


def test_find_soffice_says_how_to_install_when_missing(tmp_path, monkeypatch):
    monkeypatch.delenv(pdf.ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pdf, "SEARCH_DIRS", [])
    with pytest.raises(InputError) as exc:
        find_soffice()
    message = str(exc.value)
    assert "\n" not in message
    assert "sudo apt-get install libreoffice-writer-nogui fonts-liberation2" in message
    assert "libreoffice.org" in message
    monkeypatch.setenv(pdf.ENV_VAR, str(tmp_path / "no-such-soffice"))
    with pytest.raises(InputError, match="EHE_LETTERS_SOFFICE"):
        find_soffice()


def test_find_soffice_uses_the_environment_variable(tmp_path, monkeypatch):
    program = tmp_path / "my-soffice"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv(pdf.ENV_VAR, str(program))
    assert find_soffice() == str(program)
    monkeypatch.delenv(pdf.ENV_VAR)
    assert Path(find_soffice()).name in ("soffice", "libreoffice")  # the real one is installed
    assert os.access(find_soffice(), os.X_OK)
