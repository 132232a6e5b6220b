"""Tests for the template linter (ehe_letters.rules.lint).

The rule cases are data: ``tests/rules/lint_cases.yml`` describes one tiny template per case and
whether it should give findings of its rule.  Every rule must have a passing and a failing case.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ehe_letters.letters.catalogue import LETTER_IDS, get_letter
from ehe_letters.models import Authority, Child
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.lint import LINT_RULES, lint_template
from ehe_letters.rules.lint_vars import Rec, context_type

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "rules" / "lint_cases.yml").read_text(encoding="utf-8"))
_IDS = count(1)
_REVISION = 'w:author="Reviewer" w:date="2026-01-05T09:00:00Z"'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _fill(document, paragraph, spec: str | dict) -> None:
    """Write one paragraph spec (see the YAML file's header) into a python-docx paragraph."""
    spec = {"runs": [spec]} if isinstance(spec, str) else spec
    for text in spec.get("runs", []):
        paragraph.add_run(text)
    p = paragraph._p
    if "insert" in spec:
        inserted = _run(spec["insert"])
        p.append(
            parse_xml(f'<w:ins {nsdecls("w")} w:id="{next(_IDS)}" {_REVISION}>{inserted}</w:ins>')
        )
    if "delete" in spec:
        deleted = f"<w:r><w:delText>{escape(spec['delete'])}</w:delText></w:r>"
        p.append(
            parse_xml(f'<w:del {nsdecls("w")} w:id="{next(_IDS)}" {_REVISION}>{deleted}</w:del>')
        )
    if "field" in spec:
        instr = escape(spec["field"], {'"': "&quot;"})
        p.append(
            parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instr}">{_run("1")}</w:fldSimple>')
        )
    if "complex_field" in spec:
        instr = escape(spec["complex_field"])
        runs = [
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r><w:instrText xml:space="preserve">{instr}</w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            _run("1 January 2026"),
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        ]
        for run in runs:
            p.append(parse_xml(run.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    if "comment" in spec:
        document.add_comment(paragraph.runs, text=spec["comment"], author="Reviewer")


def build(case: dict, tmp_path: Path, name: str = "template.docx") -> Path:
    """Write the case's template to tmp_path and return its path."""
    path = tmp_path / name
    if "raw" in case:
        path.write_text(case["raw"], encoding="utf-8")
        return path
    document = docx.Document()
    section = document.sections[0]
    for key, part in (("header", section.header), ("footer", section.footer)):
        for i, spec in enumerate(case.get(key, [])):
            _fill(document, part.paragraphs[0] if i == 0 else part.add_paragraph(), spec)
    for spec in case.get("paragraphs", []):
        _fill(document, document.add_paragraph(), spec)
    document.save(path)
    return path


def lint_case(case: dict, tmp_path: Path) -> list[Finding]:
    letter = get_letter(case["letter"]) if "letter" in case else None
    return lint_template(build(case, tmp_path), letter)


def _case_id(case: dict) -> str:
    return f"{case['code']}-{'fails' if case['expect'] else 'passes'}-{case['case']}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_case(case: dict, tmp_path: Path) -> None:
    findings = lint_case(case, tmp_path)
    lines = [f.line() for f in findings]
    if not case["expect"]:
        assert findings == [], lines
        return
    assert {f.code for f in findings} == {case["code"]}, lines
    assert any(case.get("location", "") in f.location for f in findings), lines
    assert any(case.get("message", "") in f.message for f in findings), lines


@pytest.mark.parametrize("letter_id", LETTER_IDS)
def test_shipped_template_lints_clean(letter_id: str) -> None:
    path = ROOT / "templates" / f"{letter_id}.docx"
    assert [f.line() for f in lint_template(path)] == []
    assert [f.line() for f in lint_template(path, get_letter(letter_id))] == []


def test_findings_carry_file_severity_reference_and_one_line(tmp_path: Path) -> None:
    case = {"paragraphs": ["{{ child.shoe_size }}", {"runs": ["{{ letter.", "date }}"]}]}
    path = build(case, tmp_path)
    findings = lint_template(path)
    assert [f.code for f in findings] == ["EHE402", "EHE404"]
    for finding in findings:
        assert finding.severity == "error"
        assert finding.file == str(path)
        assert finding.reference == LINT_RULES[finding.code].reference
        assert "\n" not in finding.line()
    assert findings[1].line() == (
        f"{path}: word/document.xml, paragraph 1: EHE404 error: "
        "child.shoe_size: not provided by the case model"
    )


def test_letter_is_inferred_from_the_file_name(tmp_path: Path) -> None:
    case = {"paragraphs": ["{{ child.full_name }} {{ s437.service.deadline }}"]}
    assert lint_template(build(case, tmp_path, "s437-notice.docx")) == []
    assert lint_template(build(case, tmp_path, "my-own-letter.docx")) == []  # generic
    welcome = lint_template(build(case, tmp_path, "welcome.docx"))
    assert [f.message for f in welcome] == [
        "child: not provided by the case model (not given to the welcome letter)",
        "s437: not provided by the case model (not given to the welcome letter)",
    ]


def test_missing_file_is_one_finding_not_an_exception(tmp_path: Path) -> None:
    findings = lint_template(tmp_path / "nowhere.docx")
    assert [f.code for f in findings] == ["EHE408"]
    assert findings[0].location == ""


def test_context_description_follows_the_models() -> None:
    """New model fields are known to the linter without editing it."""
    context = context_type(None)
    child, authority = context["child"], context["authority"]
    assert isinstance(child, Rec) and isinstance(authority, Rec)
    # every field but the reason for home education (never printed), and the age at the date
    fields = set(Child.model_fields) | set(Child.model_computed_fields)
    assert fields - {"reason_for_home_education"} | {"age"} == set(child.fields)
    assert set(Authority.model_fields) | {"address_lines"} == set(authority.fields)


def test_tracked_change_outside_paragraphs_and_orphan_comments(tmp_path: Path) -> None:
    """A tracked table-row insertion, and comments kept after their anchors were deleted."""
    document = docx.Document()
    row = document.add_table(rows=1, cols=1).rows[0]._tr
    row.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:ins w:id="1" {_REVISION}/></w:trPr>'))
    paragraph = document.add_paragraph()
    paragraph.add_run("Dear parent")
    document.add_comment(paragraph.runs, text="Old note", author="Reviewer")
    for el in list(paragraph._p.iter()):
        if el.tag.rpartition("}")[2] in ("commentRangeStart", "commentRangeEnd"):
            el.getparent().remove(el)
    for run in paragraph.runs[1:]:  # the run holding the comment reference
        paragraph._p.remove(run._r)
    path = tmp_path / "template.docx"
    document.save(path)
    findings = [(f.code, f.location) for f in lint_template(path)]
    assert findings == [("EHE405", "word/document.xml"), ("EHE406", "word/comments.xml")]


def test_the_one_walker_gives_paths_as_the_case_data_lays_them_out() -> None:
    from ehe_letters.docx.jinja_env import make_environment
    from ehe_letters.rules.lint_vars import Resolver, context_type

    env = make_environment()
    tree = env.parse(
        "{% for c in children %}{{ c.full_name }}{% endfor %}"
        "{% set s = s437.service %}{{ s.deadline }}"
        "{{ parents | selectattr('email') | list }}{{ parents[0].address.postcode }}"
        "{% for k, v in case.items() %}{{ v }}{% endfor %}{{ loop_free }}"
    )
    walker = Resolver(context_type(None), frozenset(env.globals)).walk(tree)
    assert {
        "children[].full_name",
        "s437.service.deadline",
        "parents[].email",
        "parents[0].address.postcode",
        "loop_free",
    } <= walker.used
    assert not any(path.startswith(("c.", "s.", "k", "v")) for path in walker.used)
    assert [p.message for p in walker.problems] == ["loop_free: not provided by the case model"]
