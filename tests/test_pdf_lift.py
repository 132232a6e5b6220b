"""The letterhead's picture lifted out of first-page headers in a chunk (pdf/lift.py): which
pictures may be lifted, and, with real LibreOffice, that a lifted letter's pages are those of
its own conversion to the pixel, and that a picture landing elsewhere is caught and corrected."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from lxml import etree
from test_pdf_chunks import docx_of, one_by_one, page_texts

from ehe_letters.cli.main import main
from ehe_letters.pdf import chunks, lift
from ehe_letters.pdf.chunks import Chunk, Letter
from ehe_letters.pdf.compose import compose
from ehe_letters.pdf.convert import ConverterPool

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def welcomes(tmp_path_factory) -> list[tuple[Path, str]]:
    """Six of the example mailing's welcome letters (one logo, different addresses)."""
    out = tmp_path_factory.mktemp("lift") / "m"
    args = ["batch", "welcome", EXAMPLES / "mailing.csv", "--out", out, "--quiet"]
    args += ["--authority", EXAMPLES / "authority.yaml", "--date", "2026-12-01"]
    assert main([*map(str, args), "--mapping", str(EXAMPLES / "mailing-mapping.toml")]) == 0
    return [(d, d.name.split("_")[0]) for d in sorted((out / "docx").glob("*.docx"))[:6]]


def parts_of(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def first_header(docx: Path) -> etree._Element:
    return etree.fromstring(parts_of(docx)["word/header1.xml"])


def test_the_letterhead_logo_is_liftable_with_one_key_for_every_letter_of_the_template(welcomes):
    keys = {lift.find(first_header(d), b"A4").key for d, _ in welcomes}
    assert len(keys) == 1  # the addresses differ, but come after the logo's paragraph
    assert lift.find(first_header(welcomes[0][0]), b"A5").key not in keys  # other geometry


@pytest.mark.parametrize(
    "change",
    [
        (b'w:hRule="exact"', b'w:hRule="atLeast"'),  # the row may grow: its place is not fixed
        (b"<w:tcW", b'<w:vAlign w:val="bottom"/><w:tcW'),  # placed by what follows it
    ],
)
def test_a_picture_whose_place_the_letter_could_move_is_not_liftable(welcomes, change):
    data = etree.tostring(first_header(welcomes[0][0])).replace(*change, 1)
    assert change[1] in data
    assert lift.find(etree.fromstring(data), b"A4") is None


def test_a_header_with_two_pictures_or_none_is_not_liftable(welcomes):
    header = first_header(welcomes[0][0])
    drawing = next(header.iter(f"{W}drawing"))
    drawing.getparent().append(etree.fromstring(etree.tostring(drawing)))
    assert lift.find(header, b"A4") is None
    drawing.getparent().getparent().remove(drawing.getparent())
    for other in list(header.iter(f"{W}drawing")):
        other.getparent().remove(other)
    assert lift.find(header, b"A4") is None


def test_the_first_letter_of_a_chunk_is_the_witness_and_others_wait_for_a_place(welcomes):
    sources = [d.read_bytes() for d, _ in welcomes]
    placements = lift.Placements()
    _, _, lifts = compose(sources, None, placements)
    assert all(found is not None and found.place is None for found in lifts)  # none known
    placements.learn(lifts[0].key, (43.9, 756.94, 280.1, 827.79), 841.89)
    document, _, lifts = compose(sources, None, placements)
    assert lifts[0].place is None and all(found.place is not None for found in lifts[1:])
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        body = archive.read("word/document.xml")
        rels = archive.read("word/_rels/document.xml.rels")
        headers = [archive.read(f"word/l{n}-header1.xml") for n in range(len(sources))]
    assert body.count(b"<wp:anchor") == len(sources) - 1
    assert b"<w:drawing>" in headers[0] and all(b"<w:drawing>" not in h for h in headers[1:])
    for n in range(1, len(sources)):
        assert f'r:embed="rIdL{n}xLifted"'.encode() in body and f"rIdL{n}xLifted".encode() in rels


def composed_parts(sources: list[bytes], memo: bool, monkeypatch) -> dict[str, bytes]:
    """The chunk document's parts, its lifts' places, composed with or without the memo of
    how the first lifted header was lifted (lift_headers.LiftMemo)."""
    from ehe_letters.pdf import lift_headers as module

    placements = known_place(sources)
    with monkeypatch.context() as patch:
        if not memo:
            patch.setattr(module.LiftMemo, "learn", classmethod(lambda *a: None))
        document, _, lifts = compose(sources, None, placements)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["lifts"] = repr([(f.key, f.size, f.place) for f in lifts]).encode()
    return parts


def known_place(sources: list[bytes]) -> lift.Placements:
    """Placements that know where the first letter's logo goes."""
    placements = lift.Placements()
    _, _, lifts = compose(sources[:1], None, placements)
    placements.learn(lifts[0].key, (43.9, 756.94, 280.1, 827.79), 841.89)
    return placements


def test_headers_lifted_from_the_memo_are_those_lifted_one_by_one(welcomes, monkeypatch):
    sources = [d.read_bytes() for d, _ in welcomes]
    parsed = composed_parts(sources, memo=False, monkeypatch=monkeypatch)
    memoised = composed_parts(sources, memo=True, monkeypatch=monkeypatch)
    assert parsed.keys() == memoised.keys()
    for name in parsed:
        if name.endswith(".xml"):
            same = etree.tostring(etree.fromstring(parsed[name]), method="c14n")
            assert same == etree.tostring(etree.fromstring(memoised[name]), method="c14n"), name
        else:
            assert parsed[name] == memoised[name], name
    assert memoised["word/document.xml"].count(b"<wp:anchor") == len(sources) - 1


def test_a_header_unlike_the_memos_is_lifted_the_long_way(welcomes, monkeypatch):
    """A letter whose header differs before the logo's paragraph ends, or holds a second
    picture later, is not taken from the memo (its key would differ, or it is not liftable)."""
    sources = [d.read_bytes() for d, _ in welcomes[:3]]
    parts = parts_of(welcomes[1][0])
    parts["word/header1.xml"] = parts["word/header1.xml"].replace(
        b'w:hRule="exact"', b'w:hRule="atLeast"', 1
    )
    sources[1] = docx_of(parts)
    parts = parts_of(welcomes[2][0])
    header = parts["word/header1.xml"]
    drawing = header[header.index(b"<w:drawing>") : header.index(b"</w:drawing>") + 12]
    parts["word/header1.xml"] = header.replace(
        b"</w:tbl>", b"</w:tbl><w:p><w:r>%s</w:r></w:p>" % drawing, 1
    )
    sources[2] = docx_of(parts)
    sources.insert(1, welcomes[3][0].read_bytes())  # lifted from the memo: it is the same
    _, _, lifts = compose(sources, None, known_place(sources))
    assert lifts[1] is not None and lifts[1].place is not None
    assert lifts[2] is None and lifts[3] is None  # neither is liftable


def pictures(pdf: Path) -> list[list[tuple[float, ...]]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [lift.picture_bounds(page, (236.22, 70.87)) for page in document]
    finally:
        document.close()


def pngs(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("p*.png"))]


def convert_twice(welcomes, out: Path, placements: lift.Placements | None = None, spy=None):
    """Two chunks of the same letters on one converter, one after the other: the second lifts
    the logo (two chunks given at once are composed together, before either is laid out)."""
    out.mkdir()
    made = []
    for attempt in ("a", "b"):
        letters = tuple(Letter(d, out / f"{attempt}-{d.stem}.pdf", r) for d, r in welcomes)
        made.append(Chunk(letters))
    with ConverterPool(workers=1) as pool:
        pool.placements = placements or lift.Placements()  # none kept from other tests
        for chunk in made:
            report = pool.convert_chunks([chunk])
            assert report.ok and report.fallbacks == []
    return made, pool.placements


def spy_on_compose(monkeypatch) -> list:
    """Each chunk's liftable pictures, as composed (lifted: `place` set)."""
    composed = []
    real = chunks.compose

    def spy(*args):
        result = real(*args)
        composed.append(result[2])
        return result

    monkeypatch.setattr(chunks, "compose", spy)
    return composed


def test_a_lifted_letter_is_its_own_conversion_to_the_pixel(welcomes, tmp_path, monkeypatch):
    composed = spy_on_compose(monkeypatch)
    made, placements = convert_twice(welcomes, tmp_path / "chunks")
    assert [sum(f.place is not None for f in lifts) for lifts in composed] == [0, 5]
    alone = one_by_one(tmp_path, welcomes, "alone")
    for n, (letter, single) in enumerate(zip(made[1].letters, alone, strict=True)):
        assert page_texts(letter.target) == page_texts(single)
        assert pictures(letter.target) == pictures(single)
        assert pngs(letter.target, tmp_path / f"l{n}") == pngs(single, tmp_path / f"s{n}")


def test_a_lifted_picture_that_lands_elsewhere_is_caught_and_the_nudge_corrected(
    welcomes, tmp_path
):
    placements = lift.Placements()
    _, _, lifts = compose([d.read_bytes() for d, _ in welcomes], None, placements)
    alone = one_by_one(tmp_path, welcomes[:1], "alone")
    document = pdfium.PdfDocument(alone[0])
    page = document[0]
    placements.learn(lifts[0].key, lift.picture_bounds(page, lifts[0].size)[0], page.get_size()[1])
    page.close()
    document.close()
    placements.get(lifts[0].key).nudge = (3, -4)  # as if LibreOffice rounded another way
    made, placements = convert_twice(welcomes, tmp_path / "chunks", placements)
    assert placements.get(lifts[0].key).nudge != (3, -4)  # learnt from where it landed
    for letter in made[0].letters + made[1].letters:
        assert pictures(letter.target)[0] == pictures(alone[0])[0]  # every logo in its place


def test_a_key_laid_out_in_two_places_is_struck_off():
    placements = lift.Placements()
    assert placements.learn("k", (10.0, 10.0, 20.0, 20.0), 841.89)
    assert placements.learn("k", (10.0, 10.0, 20.0, 20.0), 841.89)
    assert not placements.learn("k", (10.0, 11.0, 20.0, 21.0), 841.89)
    assert placements.get("k") is None
    assert not placements.learn("k", (10.0, 10.0, 20.0, 20.0), 841.89)  # never again this run


def test_places_are_kept_for_the_next_run_beside_the_profiles(welcomes, tmp_path, monkeypatch):
    composed = spy_on_compose(monkeypatch)
    profiles = tmp_path / "profiles"
    out = tmp_path / "out"
    out.mkdir()
    for run in ("first", "second"):
        letters = tuple(Letter(d, out / f"{run}-{d.stem}.pdf", r) for d, r in welcomes)
        with ConverterPool(workers=1, profiles=profiles) as pool:
            assert pool.convert_chunks([Chunk(letters)]).fallbacks == []
    assert (profiles / "placements.json").exists()
    assert [sum(f.place is not None for f in lifts) for lifts in composed] == [0, 5]
    (profiles / "placements.json").write_text("{not json", encoding="utf-8")
    assert lift.Placements(profiles / "placements.json").get(composed[0][0].key) is None


def test_a_letter_of_two_sections_keeps_its_picture_in_its_header(welcomes):
    """In a letter of several sections the first page is not the last section's: nothing is
    lifted (a bilingual letter is one section: its English part follows a page break)."""
    parts = parts_of(welcomes[0][0])
    document = etree.fromstring(parts["word/document.xml"])
    body = document.find(f"{W}body")
    sect = body[-1]
    paragraph = body.find(f"{W}p")
    properties = paragraph.find(f"{W}pPr")
    if properties is None:
        properties = etree.SubElement(paragraph, f"{W}pPr")
        paragraph.insert(0, properties)
    properties.append(etree.fromstring(etree.tostring(sect)))  # a section ends here too
    parts["word/document.xml"] = etree.tostring(document)
    two = docx_of(parts)
    one = welcomes[0][0].read_bytes()
    placements = lift.Placements()
    _, _, lifts = compose([one, two], None, placements)
    assert lifts[0] is not None and lifts[1] is None


def test_welsh_letters_are_proven_by_tudalen_x_o_y_not_converted_one_by_one(tmp_path):
    """A Welsh letter's later pages say "Tudalen 2 o 3": a chunk of them is proven as English
    letters are (before, every multi-page Welsh chunk fell back to one by one)."""
    from datetime import date

    from test_welsh import welsh_case

    from ehe_letters.letters.produce import render_letter
    from ehe_letters.models import CaseFile

    [letter] = render_letter(
        "welcome", CaseFile.model_validate(welsh_case("welcome")), date(2026, 12, 1)
    )
    assert letter.language == "cy"
    letters = []
    for n in range(3):
        docx = tmp_path / f"{n}.docx"
        docx.write_bytes(letter.data)
        letters.append(Letter(docx, tmp_path / f"{n}.pdf", "GLN-EHE-2026-0412"))
    with ConverterPool(workers=1) as pool:
        report = pool.convert_chunks([Chunk(tuple(letters))])
    assert report.ok and report.fallbacks == []
    texts = page_texts(letters[2].target)
    assert len(texts) > 1 and f"Tudalen 2 o {len(texts)}" in texts[1]
