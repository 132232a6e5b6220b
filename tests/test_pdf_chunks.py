"""Chunks of letters converted as one LibreOffice document and split back per letter (real
LibreOffice, real PDFs): page counts, "Page X of Y", references, the fallback, kept profiles."""

from __future__ import annotations

import io
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from lxml import etree

from ehe_letters.cli.main import main
from ehe_letters.docx.ooxml import R as R_NS
from ehe_letters.docx.ooxml import W as W_NS
from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.pdf.chunks import Chunk, Letter
from ehe_letters.pdf.compose import NotComposable, compose
from ehe_letters.pdf.convert import ConverterPool
from ehe_letters.pdf.profiles import cache_folder, take_profile
from ehe_letters.pdf.settle import letter_identity, made_from, settle

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def reshape(source: Path, target: Path, keep: int | None = None, repeat: float = 1) -> Path:
    """A copy of a letter with its body cut to `keep` elements or repeated `repeat` times (for
    letters of one, two and three pages from the real template: headers and footers as made)."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(f"{W}body")
    *content, sect = list(body)
    for child in content:
        body.remove(child)
    whole, part = int(repeat), repeat - int(repeat)  # 1.5: the body and half of it again
    chosen = content[:keep] if keep else content * whole + content[: round(len(content) * part)]
    for child in chosen:
        body.insert(len(body) - 1, etree.fromstring(etree.tostring(child)))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    target.write_bytes(docx_of(parts))
    return target


def docx_of(parts: dict[str, bytes]) -> bytes:
    """A .docx package of these parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def page_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def mailing(tmp_path_factory) -> Path:
    """The example mailing's welcome letters (six references), rendered once."""
    out = tmp_path_factory.mktemp("mailing") / "m"
    args = ["batch", "welcome", EXAMPLES / "mailing.csv", "--out", out, "--quiet"]
    args += ["--authority", EXAMPLES / "authority.yaml", "--date", "2026-12-01"]
    assert main([*map(str, args), "--mapping", str(EXAMPLES / "mailing-mapping.toml")]) == 0
    return out / "docx"


@pytest.fixture(scope="module")
def varied(mailing, tmp_path_factory):
    """Five letters of one, two and three pages, with the reference each holds."""
    tmp = tmp_path_factory.mktemp("varied")
    sources = sorted(mailing.glob("*.docx"))[:5]
    shapes = [{"keep": 4}, {}, {"repeat": 1.5}, {"keep": 4}, {"repeat": 1.5}]  # 1, 2, 3, 1, 3 pages
    letters = []
    for n, (source, shape) in enumerate(zip(sources, shapes, strict=True)):
        docx = reshape(source, tmp / f"{n}-{source.name}", **shape)
        reference = source.name.split("_")[0]
        letters.append((docx, reference))
    return tmp, letters


def chunked(letters, out: Path) -> Chunk:
    """Convert the letters as one chunk, which must be proven; return it."""
    chunk = Chunk(tuple(Letter(d, out / f"{d.stem}.pdf", r) for d, r in letters))
    with ConverterPool(workers=1) as pool:
        report = pool.convert_chunks([chunk])
    assert report.ok and report.fallbacks == []
    return chunk


def one_by_one(tmp: Path, letters, name: str) -> list[Path]:
    out = tmp / name
    out.mkdir()
    items = [(docx, out / f"{docx.stem}.pdf") for docx, _ in letters]
    with ConverterPool(workers=1) as pool:
        assert pool.convert(items).ok
    return [target for _, target in items]


def test_a_chunk_of_one_two_and_three_page_letters_is_split_and_each_letter_proven(varied):
    tmp, letters = varied
    chunk = chunked(letters, tmp / "chunked")
    alone = one_by_one(tmp, letters, "alone")
    counts = []
    for n, (letter, single) in enumerate(zip(chunk.letters, alone, strict=True)):
        texts = page_texts(letter.target)
        counts.append(len(texts))
        assert texts == page_texts(single)  # the same text, page for page, as on its own
        assert letter.reference in texts[0]
        for j, text in enumerate(texts[1:], start=2):
            assert f"Page {j} of {len(texts)}" in text
        neighbours = [letters[m][1] for m in (n - 1, n + 1) if 0 <= m < len(letters)]
        assert not any(other in text for other in neighbours for text in texts)
    assert counts == [1, 2, 3, 1, 3]


def test_the_first_page_of_a_letter_after_a_three_page_one_is_its_own(varied):
    """The letter after a three-page one starts with its own first-page header and address."""
    tmp, letters = varied
    out = tmp / "chunked"  # written by the test above (module order)
    after_three = out / f"{letters[3][0].stem}.pdf"
    first = page_texts(after_three)[0]
    assert f"Our reference: {letters[3][1]}" in first and "Page" not in first
    three = page_texts(out / f"{letters[2][0].stem}.pdf")
    assert "Page 3 of 3" in three[2] and letters[3][1] not in three[2]


def test_an_unprovable_chunk_falls_back_to_one_by_one_and_gives_the_same_pdfs(varied):
    tmp, letters = varied
    out = tmp / "fallback"
    out.mkdir()
    wrong = [(d, r) for d, r in letters]
    wrong[1] = (letters[1][0], "WM-EHE-NOT-ON-THE-PAGE")  # so its first page cannot be proven
    chunk = Chunk(tuple(Letter(d, out / f"{d.stem}.pdf", r) for d, r in wrong))
    with ConverterPool(workers=1) as pool:
        report = pool.convert_chunks([chunk])
    assert report.ok
    reason = "split not proven: letter 1: its reference is not on its first page"
    assert report.fallbacks == [reason]
    alone = one_by_one(tmp, letters, "alone-again")
    for letter, single in zip(chunk.letters, alone, strict=True):
        assert letter.target.read_bytes() == single.read_bytes()


def test_letters_of_different_templates_are_not_composed(tmp_path, mailing):
    welcome = sorted(mailing.glob("*.docx"))[0].read_bytes()
    with zipfile.ZipFile(io.BytesIO(welcome)) as archive:  # a template whose styles differ
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b'w:val="24"', b'w:val="22"', 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert buffer.getvalue() != welcome
    with pytest.raises(NotComposable, match="does not share word/styles.xml"):
        compose([welcome, buffer.getvalue()])


def test_each_section_reads_its_largest_header_or_footer_last(mailing):
    """The letterhead (the first-page header) is read after the other headers and footers, so
    LibreOffice copies it less often; each reference still names its letter's own part."""
    letters = [d.read_bytes() for d in sorted(mailing.glob("*.docx"))[:3]]
    document, _, _ = compose(letters)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        sizes = {
            name: len(archive.read(f"word/{name}"))
            for name in targets.values()
            if name.startswith("l")
        }
    w, r = f"{{{W_NS}}}", f"{{{R_NS}}}"
    sections = list(body.iter(f"{w}sectPr"))
    assert len(sections) == len(letters)
    for n, sect in enumerate(sections):
        refs = [c for c in sect if c.tag in (f"{w}headerReference", f"{w}footerReference")]
        assert list(sect)[: len(refs)] == refs  # still the leading children
        parts = [targets[ref.get(f"{r}id")] for ref in refs]
        assert all(part.startswith(f"l{n}-") for part in parts)
        assert [sizes[part] for part in parts] == sorted(sizes[part] for part in parts)
        last = refs[-1]
        assert (last.tag, last.get(f"{w}type")) == (f"{w}headerReference", "first")
        kinds = sorted((ref.tag.rsplit("}")[1], ref.get(f"{w}type")) for ref in refs)
        footers = [("footerReference", "default"), ("footerReference", "first")]
        headers = [("headerReference", "default"), ("headerReference", "first")]
        # the footers, the same in every letter of two pages, are the first letter's
        assert kinds == (footers + headers if n == 0 else headers)


def test_a_header_or_footer_the_same_as_the_previous_letters_is_inherited_not_repeated(mailing):
    """A letter's footer that is byte for byte the one before it is left out of its section
    (so that it inherits it); one that differs, by its page count here, is kept."""
    letters = [d.read_bytes() for d in sorted(mailing.glob("*.docx"))[:4]]
    document, expected, _ = compose(letters, [2, 2, 3, 3])
    assert expected == [2, 2, 3, 3]
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        names = set(archive.namelist())
    w, r = f"{{{W_NS}}}", f"{{{R_NS}}}"
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    footers = [
        sorted(targets[ref.get(f"{r}id")] for ref in sect.findall(f"{w}footerReference"))
        for sect in body.iter(f"{w}sectPr")
    ]
    assert footers == [
        ["l0-footer1.xml", "l0-footer2.xml"],
        [],  # letter 1: letter 0's footers, both the same
        ["l2-footer2.xml"],  # "of 3": its own; its first-page footer, unnumbered, inherited
        [],
    ]
    assert "word/l1-footer2.xml" not in names and "word/l2-footer2.xml" in names
    assert set(targets.values()) <= {n.removeprefix("word/") for n in names}  # none dangles


@pytest.mark.parametrize("letter", LETTER_IDS)
def test_every_letter_split_from_a_chunk_has_the_text_of_its_own_conversion(letter, tmp_path):
    args = ["render", letter, EXAMPLES / f"{letter}.yaml", "-o", tmp_path / "d"]
    assert main([*map(str, args), "--date", "2026-12-01"]) == 0
    docx = sorted((tmp_path / "d").glob("*.docx"))
    reference = docx[0].name.split("_")[0]
    twice = [*docx, *(shutil.copy(d, tmp_path / f"again-{d.name}") for d in docx)]
    letters = [(Path(d), reference) for d in twice]
    chunk = chunked(letters, tmp_path / "chunked")
    alone = one_by_one(tmp_path, letters, "alone")
    for item, single in zip(chunk.letters, alone, strict=True):
        assert page_texts(item.target) == page_texts(single)


def test_a_settled_pdf_names_its_docx_and_letter_date(varied):
    tmp, letters = varied
    target = tmp / "chunked" / f"{letters[0][0].stem}.pdf"
    data, docx = target.read_bytes(), letters[0][0].read_bytes()
    assert made_from(data, docx) and not made_from(data, letters[1][0].read_bytes())
    assert b"/CreationDate(D:20261201000000+00'00')" in data
    assert settle(data, *letter_identity(docx)) == data  # settling twice changes nothing


def test_kept_profiles_are_private_reused_and_a_corrupt_one_is_made_again(tmp_path, mailing):
    folder = tmp_path / "cache"
    docx = sorted(mailing.glob("*.docx"))[0]
    with ConverterPool(workers=1, profiles=folder) as pool:
        assert pool.convert([(docx, tmp_path / "a.pdf")]).ok
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    profile = folder / "profile-0"
    assert (profile / "ok").is_file() and (profile / "user").is_dir()
    (profile / "user" / "kept.txt").write_text("still here")
    with ConverterPool(workers=1, profiles=folder) as pool:
        assert pool.convert([(docx, tmp_path / "b.pdf")]).ok
    assert (profile / "user" / "kept.txt").exists()  # reused, not made again
    shutil.rmtree(profile / "user")
    (profile / "user").write_text("not a profile")  # LibreOffice cannot start on this
    with ConverterPool(workers=1, profiles=folder) as pool:
        assert pool.convert([(docx, tmp_path / "c.pdf")]).ok
    assert (profile / "user").is_dir() and (profile / "ok").is_file()
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()


def test_two_runs_at_once_never_share_a_profile(tmp_path):
    first, second = take_profile(tmp_path), take_profile(tmp_path)
    try:
        assert first.path != second.path
    finally:
        first.release()
        second.release()
    again = take_profile(tmp_path)
    assert again.path == first.path  # released: free again
    again.release()


def test_the_profile_cache_follows_xdg_cache_home(tmp_path):
    expected = tmp_path / "ehe-letters" / "libreoffice"
    assert cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == expected


def test_a_chunk_is_composed_while_the_one_before_converts_and_no_converter_is_shared(
    varied, monkeypatch
):
    """Two drivers a converter: the next chunk's document is ready when the converter is free,
    and each converter still converts one document at a time (and the fallback too)."""
    from ehe_letters.pdf import chunks, converter

    tmp, letters = varied
    events, running = [], set()
    real_run, real_compose = converter.Converter.run, chunks.compose

    def run(self, items, convert_to=None):
        assert id(self) not in running, "a converter converting two things at once"
        running.add(id(self))
        events.append("run")
        try:
            return real_run(self, items, convert_to)
        finally:
            events.append("ran")
            running.discard(id(self))

    def compose(*args):
        try:
            return real_compose(*args)
        finally:
            events.append("composed")

    monkeypatch.setattr(converter.Converter, "run", run)
    monkeypatch.setattr(chunks, "compose", compose)
    out = tmp / "pipelined"
    out.mkdir()
    made = [Chunk(tuple(Letter(d, out / f"{n}-{d.stem}.pdf", r) for d, r in letters)) for n in "ab"]
    wrong = [(d, "WM-EHE-NOT-ON-THE-PAGE") for d, _ in letters[:2]]  # falls back: one by one
    made.append(Chunk(tuple(Letter(d, out / f"c-{d.stem}.pdf", r) for d, r in wrong)))
    with ConverterPool(workers=1) as pool:
        pool.warm_up()
        for thread in pool._warming:
            thread.join()
        events.clear()
        report = pool.convert_chunks(made)
    assert report.ok and len(report.fallbacks) == 1
    first_done = events.index("ran")  # the second chunk was ready before the first was done:
    assert events[:first_done].count("composed") == 2
    assert all(letter.target.exists() for chunk in made for letter in chunk.letters)


def _one_footer_for_both_kinds(data: bytes) -> bytes:
    """The letter with its first-page and later-page footers both pointing at one part."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    refs = root.findall(f".//{W}footerReference")
    for ref in refs[1:]:
        ref.set(f"{{{R_NS}}}id", refs[0].get(f"{{{R_NS}}}id"))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return docx_of(parts)


def test_a_footer_a_section_uses_for_two_kinds_is_never_left_to_be_inherited(mailing):
    letters = [
        _one_footer_for_both_kinds(d.read_bytes()) for d in sorted(mailing.glob("*.docx"))[:3]
    ]
    document, _, _ = compose(letters)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        names = set(archive.namelist())
    for n, sect in enumerate(body.iter(f"{W}sectPr")):
        refs = sect.findall(f"{W}footerReference")
        assert len(refs) == 2 and len({ref.get(f"{{{R_NS}}}id") for ref in refs}) == 1
        assert any(name.startswith(f"word/l{n}-footer") for name in names)
