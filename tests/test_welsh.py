"""Welsh and bilingual letters for an authority bound by the Welsh Language Standards."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, batch, example_case, mailing_rows, write_csv

from ehe_letters.docx.text import docx_text
from ehe_letters.letters.catalogue import LETTER_IDS, get_letter, languages_of
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile
from ehe_letters.models.loading import read_data

WHEN = date(2026, 12, 1)
GOLDEN = Path(__file__).parent / "golden" / "cy"
WELSH_INPUTS = yaml.safe_load((Path(__file__).parent / "welsh_inputs.yaml").read_text("utf-8"))
FORBIDDEN = re.compile(r"\{\{|\{%|%\}|\}\}|\bNone\b|undefined", re.IGNORECASE)
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _set(data: dict, path: str, value) -> None:
    keys = [name or int(index) for name, index in _STEP.findall(path)]
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def welsh_case(letter_id: str, language: str | None = "cy") -> dict:
    """The letter's example case, written to by the Welsh authority, each parent (and for a
    letter to a school, the school) choosing `language` (None: not recorded, so 'unknown')."""
    data = example_case(letter_id)
    authority = read_data(EXAMPLES / "authority-wales.yaml")
    authority.pop("logo", None)
    data["authority"] = authority
    data["case"].pop("officer", None)
    letter = get_letter(letter_id)
    addressees = list(data["case"]["parents"])
    if letter.addressed_to == "school":
        addressees.append(data["case"]["inputs"][letter.inputs]["school"])
    for addressee in addressees:
        addressee.pop("preferred_language", None)
        if language:
            addressee["preferred_language"] = language
    for path, value in WELSH_INPUTS.get(letter_id, {}).items():
        _set(data, path, value)
    return data


def _texts(letter_id: str, data: dict, **options) -> list[tuple[str, str]]:
    results = render_letter(letter_id, CaseFile.model_validate(data), WHEN, **options)
    return [(r.language, docx_text(r.data)) for r in results]


WELSH_IDS = [i for i in LETTER_IDS if "cy" in languages_of(get_letter(i))]


@pytest.mark.parametrize("letter_id", WELSH_IDS)
def test_each_welsh_letter_matches_its_reviewed_snapshot(letter_id):
    for index, (language, text) in enumerate(_texts(letter_id, welsh_case(letter_id))):
        assert language == "cy"
        assert not FORBIDDEN.search(text), FORBIDDEN.search(text).group(0)
        assert "Dear " not in text and "Page " not in text
        snapshot = GOLDEN / f"{letter_id}_{index + 1}.txt"
        if os.environ.get("UPDATE_GOLDEN"):
            snapshot.write_text(text, encoding="utf-8")
        assert text == snapshot.read_text(encoding="utf-8"), f"{snapshot.name}: make golden"


def test_a_parent_who_chose_welsh_gets_the_welcome_in_welsh():
    data = welsh_case("welcome")
    data["case"]["parents"] = data["case"]["parents"][:1]  # Ms Llŷr, who chose Welsh
    [(language, text)] = _texts("welcome", data)
    assert language == "cy"
    assert "Annwyl Ms Llŷr," in text and "Dyddiad: 1 Rhagfyr 2026" in text
    assert "Dear" not in text and "December" not in text
    assert "Rydym yn croesawu gohebiaeth yn Gymraeg" in text


def test_a_parent_whose_choice_is_unknown_gets_both_languages_welsh_first():
    data = welsh_case("welcome", language=None)
    [(language, text)] = _texts("welcome", data)
    assert language == "cy+en"
    assert text.index("Annwyl Ms Llŷr a Mr O'Brien") < text.index("Dear Ms Llŷr and Mr O'Brien")
    assert "Tudalen" in text and "Page" in text


def test_parents_at_one_address_one_of_whom_chose_welsh_get_both_languages():
    data = welsh_case("welcome", language="en")
    data["case"]["parents"][0]["preferred_language"] = "cy"
    [(language, _)] = _texts("welcome", data)
    assert language == "cy+en"


@pytest.mark.parametrize(
    ("letter_id", "greeting"),
    [
        ("welcome", "Dear Ms Llŷr and Mr O'Brien"),  # parents who chose English
        ("school-off-rolling-challenge", "Dear Mrs Okoro and Mr Bell"),  # a school that did
    ],
)
def test_an_addressee_who_chose_english_gets_english_saying_welsh_is_welcome(letter_id, greeting):
    [(language, text)] = _texts(letter_id, welsh_case(letter_id, language="en"))
    assert language == "en"
    assert greeting in text and "Annwyl" not in text
    assert "Rydym yn croesawu gohebiaeth yn Gymraeg" in text
    assert "We welcome correspondence in Welsh" in text


def test_in_a_mailing_a_parent_who_chose_english_gets_a_welsh_version_too():
    data = welsh_case("welcome", language="en")
    [(language, _)] = _texts("welcome", data, mailing=True)
    assert language == "cy+en"  # standard 4: the same correspondence to several persons


def test_the_welsh_s437_notice_names_adran_437_1_and_the_same_dates_as_the_english():
    [(_, welsh), _other] = _texts("s437-notice", welsh_case("s437-notice"))
    [(_, english), _other] = _texts("s437-notice", welsh_case("s437-notice", language="en"))
    assert "adran 437(1) o Ddeddf Addysg 1996" in welsh
    # sent first class on Tuesday 1 December 2026, served on 3 December; 21 days: 23 December
    assert "ystyrir ei fod wedi'i gyflwyno i chi ar 3 Rhagfyr 2026" in welsh
    assert "yn dod i ben ar 23 Rhagfyr 2026: mae'n 21 diwrnod" in welsh
    assert "treated as served on you on 3 December 2026" in english
    assert "ends on 23 December 2026: it is 21 days" in english
    # the Act in English (its only language) with an unofficial translation
    assert "Cyfieithiad answyddogol" in welsh and "If it appears to a local authority" in welsh


SCHOOL_LETTERS = [i for i in LETTER_IDS if get_letter(i).addressed_to == "school"]


def test_a_school_that_chose_welsh_gets_the_letter_in_welsh():
    [(language, text)] = _texts("s439-consultation", welsh_case("s439-consultation"))
    assert language == "cy"
    assert "Mr Tomasz Nowak, Pennaeth, a'r Corff Llywodraethu" in text
    assert "Annwyl Mr Nowak a Llywodraethwyr," in text and "Dear" not in text
    assert "Grŵp blwyddyn ar gyfer yr oedran hwnnw: Blwyddyn 6" in text
    assert "Atebwch erbyn 15 Rhagfyr 2026" in text and "December" not in text


def test_a_school_whose_choice_is_unknown_gets_both_languages_welsh_first():
    [(language, text)] = _texts("governing-body-notice", welsh_case("governing-body-notice", None))
    assert language == "cy+en"  # standard 5: a governing body is a "person"
    welsh, english = "Annwyl Ms Pryce a Llywodraethwyr", "Dear Ms Pryce and Governors"
    assert text.index(welsh) < text.index(english)
    # the same order in both: served on 24 November, registered by 8 December 2026
    assert "ystyrir yn gyfreithiol ei fod wedi'i gyflwyno ar 24 Tachwedd 2026" in text
    assert "treated in law as served on 24 November 2026" in text
    assert "erbyn 8 Rhagfyr 2026" in text and "by 8 December 2026" in text


@pytest.mark.parametrize("letter_id", SCHOOL_LETTERS)
def test_the_school_s_choice_not_the_parents_decides_a_letter_to_a_school(letter_id):
    data = welsh_case(letter_id, language="cy")  # the parents chose Welsh too
    data["case"]["inputs"][get_letter(letter_id).inputs]["school"]["preferred_language"] = "en"
    [(language, _)] = _texts(letter_id, data)
    assert language == "en"
    data = welsh_case(letter_id, language="en")
    data["case"]["inputs"][get_letter(letter_id).inputs]["school"]["preferred_language"] = "cy"
    [(language, _)] = _texts(letter_id, data)
    assert language == "cy"


@pytest.mark.parametrize("language", ["cy", "en", "unknown"])
@pytest.mark.parametrize("letter_id", SCHOOL_LETTERS)
def test_an_english_authority_s_letters_to_schools_are_english_whatever_the_choice(
    letter_id, language
):
    data = example_case(letter_id)
    baseline = _texts(letter_id, data)
    data["case"]["inputs"][get_letter(letter_id).inputs]["school"]["preferred_language"] = language
    assert _texts(letter_id, data) == baseline
    assert [lang for lang, _ in baseline] == ["en"]
    assert "Cymraeg" not in baseline[0][1]


def test_without_a_welsh_template_a_letter_to_a_school_is_refused(
    cli, tmp_path, write_case, templates_copy
):
    (templates_copy / "cy" / "s439-consultation.docx").unlink()
    (templates_copy / "cy" / "s439-consultation.toml").unlink()
    out = tmp_path / "out"
    data = welsh_case("s439-consultation", language=None)
    result = cli("render", "s439-consultation", write_case(data), "-o", out)
    assert result.code == 1 and not out.exists()
    assert "EHE127" in result.err and "case.inputs.s439_consultation.school needs" in result.err
    data["case"]["inputs"]["s439_consultation"]["school"]["preferred_language"] = "en"
    result = cli("render", "s439-consultation", write_case(data), "-o", out, "--draft")
    assert result.code == 0, result.err


@pytest.mark.parametrize("language", ["cy", "en", "unknown"])
def test_an_english_authority_s_letters_are_unchanged_for_any_language(language):
    data = example_case("s437-notice")
    baseline = _texts("s437-notice", data)
    for parent in data["case"]["parents"]:
        parent["preferred_language"] = language
    assert _texts("s437-notice", data) == baseline
    assert all(lang == "en" for lang, _ in baseline)
    assert "Cymraeg" not in baseline[0][1]


def test_standards_apply_only_to_a_welsh_authority(cli, tmp_path, write_case):
    data = example_case("welcome")
    data["authority"]["nation"] = "england"
    result = cli("render", "welcome", write_case(data), "-o", tmp_path / "out")
    assert result.code == 2 and "welsh_language_standards" in result.err


def test_missing_welsh_text_of_a_field_is_one_line_naming_it(cli, tmp_path, write_case):
    data = welsh_case("s437-notice")
    del data["case"]["inputs"]["s437"]["reasons_cy"]
    result = cli("render", "s437-notice", write_case(data), "-o", tmp_path / "out")
    assert result.code == 2
    assert result.err.strip() == (
        "error: case.inputs.s437.reasons_cy: the letter needs this field but the case file "
        "does not give it"
    )
    assert not (tmp_path / "out").exists()


@pytest.fixture
def templates_copy(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    monkeypatch.setenv("EHE_LETTERS_TEMPLATES", str(folder))
    return folder


def test_without_a_welsh_template_the_letter_is_refused_not_sent_in_english(
    cli, tmp_path, write_case, templates_copy
):
    (templates_copy / "cy" / "welcome.docx").unlink()
    (templates_copy / "cy" / "welcome.toml").unlink()
    out = tmp_path / "out"
    result = cli("render", "welcome", write_case(welsh_case("welcome")), "-o", out)
    assert result.code == 1
    assert "EHE127" in result.err and "cy/welcome.docx" in result.err
    assert not out.exists()


def _edit_docx(path: Path, old: str, new: str) -> None:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def test_check_fails_a_welsh_template_missing_its_required_phrase(cli, templates_copy):
    assert cli("check").code == 0
    _edit_docx(templates_copy / "cy" / "s437-notice.docx", "adran 437(1) o Ddeddf", "adran 437 o")
    result = cli("check", "--format", "json")
    assert result.code == 1
    codes = {(Path(f["file"]).parent.name, f["code"]) for f in json.loads(result.out)}
    assert ("cy", "EHE201") in codes  # the required phrase, in the Welsh template


def test_letters_json_lists_the_languages(cli):
    rows = json.loads(cli("letters", "--json").out)
    assert all(row["languages"] == ["en", "cy"] for row in rows if row["id"] in WELSH_IDS)
    assert len(WELSH_IDS) >= 7


def test_a_welsh_mailing_records_each_letter_s_language(cli, tmp_path):
    rows = mailing_rows()[:2]
    for row, language in zip(rows, ("cy", "en"), strict=True):
        row["Language"] = language
        row["Case Officer"] = ""  # the Welsh authority's own signatory
    source = write_csv(tmp_path / "mailing.csv", rows)
    mapping = (EXAMPLES / "mailing-mapping.toml").read_text(encoding="utf-8")
    mapping = mapping.replace(
        "[values]",
        '"Language" = "case.parents[0].preferred_language"\n\n[values]\n'
        '"case.children[0].how_we_heard_cy" = "dywedodd yr ysgol wrthym ei bod wedi tynnu '
        'enw eich plentyn oddi ar ei chofrestr"',
    )
    (tmp_path / "mapping.toml").write_text(mapping, encoding="utf-8")
    out = tmp_path / "out"
    wales = EXAMPLES / "authority-wales.yaml"
    result = batch(cli, source, out, "--mapping", tmp_path / "mapping.toml", authority=wales)
    assert result.code == 0, result.err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["language"] for entry in manifest["letters"]] == ["cy", "cy+en"]


def test_the_welsh_orders_letters_refer_to_weinidogion_cymru_and_quote_the_act_in_english():
    [(_, refusal)] = _texts("sao-revocation-decision", welsh_case("sao-revocation-decision"))
    [(_, english)] = _texts("sao-revocation-decision", welsh_case("sao-revocation-decision", "en"))
    assert "gallwch gyfeirio'r cwestiwn at Weinidogion Cymru o dan adran 442" in refusal
    assert "Ar 2 Tachwedd 2026 cawsom eich cais" in refusal
    assert "On 2 November 2026 we received your application" in english
    [(_, warning)] = _texts("sao-non-compliance", welsh_case("sao-non-compliance"))
    assert "unless he proves that he is causing the child to receive suitable" in warning
    assert "Cyfieithiad answyddogol" in warning and "erbyn 15 Rhagfyr 2026" in warning


def test_a_welsh_letter_refuses_an_optional_paragraph_without_its_welsh_text(cli, tmp_path):
    data = welsh_case("return-to-school-support")
    data["case"]["inputs"]["return_to_school"]["note"] = "Ruby would like to start after half term."
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("render", "return-to-school-support", case, "-o", tmp_path / "out")
    assert result.code == 2  # not silently left out of the Welsh letter
    assert result.err.strip() == (
        "error: case.inputs.return_to_school.note_cy: the letter needs this field but the case "
        "file does not give it"
    )


def test_welsh_names_of_schools_are_used_when_given_and_empty_lists_need_no_welsh():
    data = welsh_case("return-to-school-support")
    [(_, text)] = _texts("return-to-school-support", data)
    assert "Sandby Primary School" in text  # a name, as given
    data["case"]["inputs"]["return_to_school"]["schools_mentioned_cy"] = [
        "Ysgol Gynradd Sandby",
        "Ysgol Parc Westmere",
    ]
    [(_, text)] = _texts("return-to-school-support", data)
    assert "Ysgol Gynradd Sandby" in text and "Sandby Primary School" not in text
    assert "i'n tîm derbyn: Derbyn i Ysgolion" in text  # authority.admissions.team_cy
    data = welsh_case("s437-decision")
    for event in data["case"]["history"]:
        if event["type"] == "decision":
            event["outcome"], event["expedient"] = "satisfied", None
    inputs = data["case"]["inputs"]["s437_decision"]
    inputs["reasons"] = []
    del inputs["reasons_cy"]
    texts = _texts("s437-decision", data)
    assert all("Mae Glanmor County Council yn fodlon" not in t for _, t in texts)
    assert all("Mae Cyngor Sir Glanmor yn fodlon bod Callum Hurst" in t for _, t in texts)


def test_the_month_of_the_next_contact_is_in_the_language_of_the_letter():
    data = welsh_case("education-appears-suitable", language=None)
    [(language, text)] = _texts("education-appears-suitable", data)
    assert language == "cy+en"
    assert "tua mis Rhagfyr 2027" in text and "around December 2027" in text


def test_template_text_takes_a_letter_id_and_its_welsh_version(cli):
    welsh = cli("template", "text", "cy/welcome")
    assert welsh.code == 0 and "Ein cyfeirnod" in welsh.out and "Our reference" not in welsh.out
    english = cli("template", "text", "welcome")
    assert (
        english.code == 0 and "Our reference" in english.out and "Ein cyfeirnod" not in english.out
    )
    unknown = cli("template", "text", "cy/nosuch")
    assert unknown.code == 2 and "unknown letter" in unknown.err
