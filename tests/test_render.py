"""Rendering: escaping, missing fields, determinism, and agreement with docxtpl's own path."""

from __future__ import annotations

import io
from datetime import date

import pytest
from conftest import example_case
from docx import Document
from docxtpl import DocxTemplate

from ehe_letters.docx.compiled import CompiledTemplate
from ehe_letters.docx.jinja_env import make_environment
from ehe_letters.docx.text import docx_text
from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import LETTER_IDS, get_letter
from ehe_letters.letters.context import build_jobs
from ehe_letters.letters.produce import render_letter
from ehe_letters.models import CaseFile

WHEN = date(2026, 12, 1)


def _build_template(tmp_path, *paragraphs: str):
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "t.docx"
    doc.save(path)
    return CompiledTemplate(path)


def test_autoescape_prints_ampersands_and_angle_brackets_literally(tmp_path):
    template = _build_template(tmp_path, "Dear {{ name }},")
    data = template.render({"name": "Smith & Co <Ltd>"})
    assert "Dear Smith & Co <Ltd>," in docx_text(data)
    Document(io.BytesIO(data))  # opens in python-docx


def test_a_missing_value_names_its_path(tmp_path):
    from ehe_letters.letters.context import PathDict

    template = _build_template(tmp_path, "{{ child.views }}")
    child = PathDict({"given_names": "Ann"}, "case.children[0]")
    with pytest.raises(InputError, match=r"case\.children\[0\]\.views"):
        template.render({"child": child})


def test_none_never_prints(tmp_path):
    template = _build_template(tmp_path, "{{ value }}")
    with pytest.raises(Exception, match="None"):
        template.render({"value": None})


def test_a_template_syntax_error_is_reported_with_the_file(tmp_path):
    from ehe_letters.errors import TemplateProblem

    with pytest.raises(TemplateProblem, match="t.docx"):
        _build_template(tmp_path, "{% if %}")


def test_rendering_twice_gives_identical_bytes():
    case = CaseFile.model_validate(example_case("concern-notification"))
    first = [r.data for r in render_letter("concern-notification", case, WHEN)]
    second = [r.data for r in render_letter("concern-notification", case, WHEN)]
    assert first == second and len(first) == 2


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_compiled_path_matches_docxtpl_own_rendering(letter_id, tmp_path):
    """The compiled template produces the same text as docxtpl's DocxTemplate.render()."""
    case_file = CaseFile.model_validate(example_case(letter_id))
    letter = get_letter(letter_id)
    job = build_jobs(letter, case_file.case, case_file.authority, WHEN)[0]
    ours = CompiledTemplate(letter.template).render(job.context)
    reference = DocxTemplate(letter.template)
    reference.render(job.context, jinja_env=make_environment(), autoescape=True)
    theirs = tmp_path / "docxtpl.docx"
    reference.save(theirs)
    assert docx_text(ours) == docx_text(theirs)


def test_statutory_notices_are_served_on_each_parent_separately():
    case = CaseFile.model_validate(example_case("s437-notice"))
    results = render_letter("s437-notice", case, WHEN)
    assert [r.job.parent_indexes for r in results] == [(0,), (1,)]
    assert "Ms Kerry Greaves" in docx_text(results[0].data)
    assert "Mr Dean Greaves" in docx_text(results[1].data)


def test_informal_letters_go_once_to_each_address():
    case = CaseFile.model_validate(example_case("welcome"))  # two parents, one address
    results = render_letter("welcome", case, WHEN)
    assert len(results) == 1
    assert "Dear Ms Llŷr and Mr O'Brien," in docx_text(results[0].data)


def test_welsh_authority_uses_welsh_terms_and_english_uses_english():
    welsh = CaseFile.model_validate(example_case("welcome"))
    english = CaseFile.model_validate(example_case("information-request"))
    welsh_text = docx_text(render_letter("welcome", welsh, WHEN)[0].data)
    english_text = docx_text(render_letter("information-request", english, WHEN)[0].data)
    assert "additional learning needs" in welsh_text
    assert "special educational needs" not in welsh_text
    assert "special educational needs" in english_text
    assert "additional learning needs" not in english_text


def test_a_letter_without_its_inputs_names_the_missing_field():
    data = example_case("concern-notification")
    del data["case"]["inputs"]
    case = CaseFile.model_validate(data)
    with pytest.raises(InputError, match=r"case\.inputs\.concern"):
        render_letter("concern-notification", case, WHEN)


def test_parts_shared_by_a_batch_follow_a_change_of_authority():
    """Footers are re-used between letters only while the authority is the same object."""
    welsh = CaseFile.model_validate(example_case("welcome"))
    english_data = example_case("welcome")
    english_data["authority"] = example_case("information-request")["authority"]
    english = CaseFile.model_validate(english_data)
    first = docx_text(render_letter("welcome", welsh, WHEN)[0].data)
    second = docx_text(render_letter("welcome", english, WHEN)[0].data)
    third = docx_text(render_letter("welcome", welsh, WHEN)[0].data)
    footer = first.split("[footer: default]")[1]
    assert "Cyngor Sir Glanmor" in footer  # the Welsh part comes first
    assert "Westmere Borough Council" in second.split("[footer: default]")[1]
    assert first == third


@pytest.mark.parametrize(
    "source, provable",
    [
        ("<w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p>", True),
        ("<w:body>{% if a %}<w:p><w:t>x</w:t></w:p>{% endif %}</w:body>", True),
        ("<w:body>{% for x in xs %}<w:p><w:t>{{ x }}</w:t></w:p>{% endfor %}</w:body>", True),
        ("<w:p><w:t>A {% if a %}B</w:t></w:p><w:p><w:t>C{% endif %}</w:t></w:p>", False),
        ("<w:body>{% if a %}<w:p>{% endif %}</w:p></w:body>", False),
        ('<w:p w:rsid="{{ a }}"><w:t>x</w:t></w:p>', True),
        ("<w:body><w:p></w:body></w:p>", False),
    ],
)
def test_well_formedness_is_proved_only_when_sound(source, provable):
    from ehe_letters.docx.wellformed import always_well_formed as _always_well_formed

    assert _always_well_formed(make_environment().parse(source)) is provable


def test_a_template_not_proved_well_formed_is_parsed_after_each_rendering(tmp_path):
    from ehe_letters.errors import TemplateProblem

    template = _build_template(tmp_path, "A {% if cut %}B", "C{% endif %} D")
    assert "word/document.xml" in template._parse_each
    template.render({"cut": True})  # balanced either way: renders
    template.render({"cut": False})
    doc = Document()
    doc.add_paragraph("A {% if cut %}B")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "C{% endif %}"
    doc.save(tmp_path / "cell.docx")
    broken = CompiledTemplate(tmp_path / "cell.docx")
    broken.render({"cut": True})  # the whole text: well-formed
    with pytest.raises(TemplateProblem, match="not well-formed"):
        broken.render({"cut": False})  # cuts from a paragraph into a table cell


def test_shipped_templates_are_proved_always_well_formed():
    for letter_id in LETTER_IDS:
        assert not CompiledTemplate(get_letter(letter_id).template)._parse_each
