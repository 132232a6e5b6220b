"""Lint .docx letter templates: problems to fix in Word before any letter is produced from them.

``lint_template(path)`` returns :class:`Finding` records (severity "error"), each with a stable
code from :data:`LINT_RULES`, the template file and the part/paragraph it is in.  A template that
cannot be opened gives one EHE408 finding, never an exception.  Each part (body, headers,
footers) is compiled exactly as :class:`ehe_letters.docx.compiled.CompiledTemplate` compiles
it, and the variables are checked against the context ``context.build_jobs`` gives the letter (see
:mod:`ehe_letters.rules.lint_vars`).
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes

from ehe_letters.docx.compiled import template_sources
from ehe_letters.docx.jinja_env import make_environment, unsafe_accesses
from ehe_letters.docx.text import Paragraph, iter_paragraphs
from ehe_letters.errors import EheLettersError
from ehe_letters.letters.catalogue import LETTER_IDS, Letter, get_letter
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.lint_vars import Resolver, context_type
from ehe_letters.rules.registry import Rule, register
from ehe_letters.settings import Settings

__all__ = ["LINT_RULES", "lint_template"]

_DOCS = "docxtpl documentation (https://docxtpl.readthedocs.io/)"


def _lint(code: str, summary: str, reference: str) -> Rule:
    return register(Rule(code, "error", "lint", summary, reference, ("templates",)))


_LINT: tuple[Rule, ...] = (
    _lint(
        "EHE401",
        "Jinja syntax error in a template part",
        "Jinja template designer documentation; the part cannot be compiled, so no letter can "
        "be produced from the template",
    ),
    _lint(
        "EHE402",
        "a {{ }} or {% %} tag is split across Word runs",
        f"{_DOCS}, Restrictions: tags are to be used inside the same run of a paragraph",
    ),
    _lint(
        "EHE403",
        "curly (smart) quotes inside a tag",
        f"{_DOCS}: curly quotes in tags are rewritten as straight ones, so an apostrophe in a "
        "string ends it; turn off Word's AutoFormat 'smart quotes' when editing tags",
    ),
    _lint(
        "EHE404",
        "a variable the case model does not provide",
        "ehe_letters.letters.context.build_jobs and ehe_letters.models: a letter that uses it "
        "fails for every case",
    ),
    _lint(
        "EHE405",
        "tracked changes left in the template",
        "Word Review > Accept/Reject: rendering reads insertions and deletions as they are",
    ),
    _lint(
        "EHE406",
        "comments left in the template",
        "Word Review > Delete all comments: comments would be sent to the family",
    ),
    _lint(
        "EHE407",
        "a Word field other than PAGE, NUMPAGES or SECTIONPAGES",
        "merge, IF and DATE fields are not filled in by the toolkit: they print stale values",
    ),
    _lint(
        "EHE408",
        "the template cannot be opened as a Word .docx file",
        "templates are Word .docx files (Office Open XML)",
    ),
    _lint(
        "EHE409",
        "a tag reaches for Python internals (an attribute starting with _)",
        "Jinja documentation, Sandbox (https://jinja.palletsprojects.com/en/stable/sandbox/): "
        "letters are rendered in Jinja's sandbox, which refuses such a tag; it could run code "
        "on the machine that produces the letters, so no letter is made from the template",
    ),
)
LINT_RULES: dict[str, Rule] = {rule.code: rule for rule in _LINT}

_HEADER_FOOTER = re.compile(r"^word/(header|footer)\d*\.xml$")  # as render.CompiledTemplate
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TAG_OR_OPENER = re.compile(_TAG.pattern + r"|\{[{%#].*", re.DOTALL)  # a tag, or one never closed
_SMART = "‘’“”"
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
_REVISIONS = re.compile(rb"<w:(ins|del|moveFrom|moveTo|\w+PrChange)\b")


@dataclass
class _Template:
    """A template read once: its paragraphs, raw parts and Jinja sources (part -> source)."""

    path: Path
    letter: Letter | None
    paragraphs: list[Paragraph]
    raw: dict[str, bytes]
    sources: dict[str, str]

    @cached_property
    def trees(self) -> dict[str, nodes.Template | TemplateSyntaxError]:
        env, trees = make_environment(), {}
        for part, source in self.sources.items():
            try:
                trees[part] = env.parse(source)
                env.compile(trees[part])  # unknown filters and tests fail here
            except TemplateSyntaxError as exc:
                trees[part] = exc
        return trees

    def finding(self, code: str, where: str, message: str) -> Finding:
        return LINT_RULES[code].finding(message, str(self.path), where)

    def line_text(self, part: str, lineno: int | None) -> str:
        """The text (XML markup removed) of a line of a part's Jinja source: about a paragraph."""
        lines = self.sources[part].splitlines()
        line = lines[lineno - 1] if lineno and 0 < lineno <= len(lines) else ""
        return html.unescape(re.sub(r"<[^>]+>", "", line))

    def at(self, p: Paragraph) -> str:
        return f"{p.part}, {p.location}"

    def locate(self, part: str, lineno: int | None, needle: str) -> str:
        """The paragraph of ``part`` holding ``needle`` (nearest to the source line), else part."""
        line = _norm(self.line_text(part, lineno))
        own = [p for p in self.paragraphs if p.part == part and _norm(p.text)]
        found = [p for p in own if needle and _norm(needle) in _norm(p.text)]
        on_line = [p for p in found or own if line and _norm(p.text) in line]
        best = on_line or found
        return self.at(best[0]) if best else part


def _norm(text: str) -> str:
    """Tag text as docxtpl hands it to Jinja: straight quotes, no p/tr/tc/r prefix, one space."""
    for curly, straight in zip(_SMART, "''\"\"", strict=True):
        text = text.replace(curly, straight)
    return " ".join(re.sub(r"([{][{%#])(?:p|tr|tc|r)\s", r"\1 ", text).split())


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(path: Path, letter: Letter | None) -> _Template:
    """Read the template as the renderer does; raises if it is not a Word .docx file."""
    paragraphs = list(iter_paragraphs(path))
    with zipfile.ZipFile(path) as archive:
        raw = {n: archive.read(n) for n in archive.namelist() if n.startswith("word/")}
    return _Template(path, letter, paragraphs, raw, template_sources(path))


def _culprit(env: Environment, tags: list[str], message: str) -> str:
    """The tag on the error line most likely at fault: one never closed, the unknown tag, one
    that fails on its own (not merely for want of its end tag), else the last on the line (a
    ``{%p`` paragraph's tag is moved to the end of the line before it)."""
    unknown = re.search(r"unknown tag '(\w+)'", message)
    for tag in tags:
        if not tag.endswith(("}}", "%}", "#}")):  # opened, never closed
            return tag
    for tag in tags:
        if unknown and re.match(rf"\{{%[-+]?\s*{unknown.group(1)}\b", tag):
            return tag
    for tag in tags:
        try:
            env.parse(tag)
        except TemplateSyntaxError as exc:
            alone = exc.message or ""
            if "end of template" not in alone and "unknown tag" not in alone:
                return tag
    return tags[-1] if tags else ""


def _syntax(t: _Template) -> Iterator[Finding]:
    """EHE401. Anti-pattern: a tag Jinja cannot parse (``{{ child.name( }}``, ``{% endfro %}``,
    a ``{%p for %}`` without ``{%p endfor %}``, an unknown filter).  Fix: correct the tag in
    Word; the message names the tag nearest the error where it can be found."""
    env = make_environment()
    for part, tree in t.trees.items():
        if not isinstance(tree, TemplateSyntaxError):
            continue
        said = " ".join((tree.message or "").split())
        line = tree.lineno if "end of template" not in said else None
        needle = _culprit(env, _TAG_OR_OPENER.findall(t.line_text(part, line)), said)
        near = f" (near {_short(_norm(needle))})" if needle else ""
        where = t.locate(part, line, needle) if line else part
        message = f"template syntax error: {said}{near}"
        yield t.finding("EHE401", where, message)


def _split_tags(t: _Template) -> Iterator[Finding]:
    """EHE402. Anti-pattern: a tag whose characters come from more than one Word run, e.g.
    ``{{ child.`` in one run and ``full_name }}`` in another after an edit, a spell-check mark
    or a formatting change.  Parts may look alike but carry different formatting, and editing
    the tag again is fragile.  Fix: select the whole tag, clear its formatting (or retype it in
    one go) so it is one run."""
    for p in t.paragraphs:
        bounds, end = set(), 0
        for run in p.runs:
            end += len(run)
            bounds.add(end)
        for m in _TAG.finditer(p.text):
            pieces = sum(1 for b in bounds if m.start() < b < m.end()) + 1
            if pieces > 1:
                message = f"tag '{_short(m.group())}' is split across {pieces} Word runs"
                yield t.finding("EHE402", t.at(p), message)


def _smart_quotes(t: _Template) -> Iterator[Finding]:
    """EHE403. Anti-pattern: ``{{ names | join(“, ”) }}``: Word's AutoFormat turned the quotes
    curly.  docxtpl straightens them, so ``'O’Brien'`` ends at the apostrophe and the template
    means something other than it shows.  Fix: type straight quotes (turn off smart quotes)."""
    for p in t.paragraphs:
        for m in _TAG.finditer(p.text):
            if any(q in m.group() for q in _SMART):
                message = f"curly quotes in tag '{_short(m.group())}': use straight quotes"
                yield t.finding("EHE403", t.at(p), message)


def _variables(t: _Template) -> Iterator[Finding]:
    """EHE404. Anti-pattern: ``{{ child.shoe_size }}``, a misspelt ``{{ chlid.full_name }}`` or
    ``{{ child.full_name }}`` in a letter that is not per child: every letter fails to render.
    Fix: use a field of the case model (``ehe_letters/models.py``) or add the field there."""
    globals_ = frozenset(make_environment().globals)
    context = context_type(t.letter)
    missing = [n for n in context_type(None) if n not in context] if t.letter else []
    hints = {n: f"not given to the {t.letter.id} letter" for n in missing}
    for part, tree in t.trees.items():
        if isinstance(tree, TemplateSyntaxError):
            continue
        seen = set()
        for problem in Resolver(context, globals_, dict(hints)).check(tree):
            where = t.locate(part, problem.lineno, problem.needle)
            if (problem.message, where) not in seen:
                seen.add((problem.message, where))
                yield t.finding("EHE404", where, problem.message)


def _internals(t: _Template) -> Iterator[Finding]:
    """EHE409. Anti-pattern: ``{{ cycler.__init__.__globals__.os.system('...') }}``,
    ``{{ x | attr('__class__') }}`` or ``{{ '{0.__class__}'.format(x) }}``: a tag that reaches
    from a template value into Python itself, which could run commands with the rights of
    whoever produces the letters.  The sandbox refuses it when rendering; ``check`` names it so
    that it is removed.  Fix: delete the tag; a letter needs only the case's fields."""
    for part, tree in t.trees.items():
        if isinstance(tree, TemplateSyntaxError):
            continue
        found: dict[str, list[str]] = {}
        for lineno, attribute in unsafe_accesses(tree):
            names = found.setdefault(t.locate(part, lineno, attribute), [])
            if attribute not in names:
                names.append(attribute)
        for where, names in found.items():
            names.sort(key=t.sources[part].find)
            listed = ", ".join(repr(_short(n, 30)) for n in names)
            yield t.finding("EHE409", where, f"unsafe tag: reaches for {listed} (Python internals)")


def _tracked_changes(t: _Template) -> Iterator[Finding]:
    """EHE405. Anti-pattern: a template saved with Track Changes on, so insertions, deletions or
    formatting changes are still pending.  Fix: Review > Accept (or Reject) All Changes, turn
    Track Changes off, save."""
    flagged = set()
    for p in t.paragraphs:
        if p.has_tracked_changes:
            flagged.add(p.part)
            yield t.finding("EHE405", t.at(p), "tracked changes: accept or reject them in Word")
    for part in t.sources:  # e.g. table-row or section changes outside any paragraph
        if part not in flagged and _REVISIONS.search(t.raw[part]):
            yield t.finding("EHE405", part, "tracked changes: accept or reject them in Word")


def _comments(t: _Template) -> Iterator[Finding]:
    """EHE406. Anti-pattern: review comments left in the template; they travel into every letter
    sent to a family.  Fix: Review > Delete > Delete All Comments in Document, save."""
    flagged = False
    for p in t.paragraphs:
        if p.has_comments:
            flagged = True
            yield t.finding("EHE406", t.at(p), "a comment is left in the template: delete it")
    if not flagged and b"<w:comment " in t.raw.get("word/comments.xml", b""):
        yield t.finding("EHE406", "word/comments.xml", "comments are left in the template")


def _fields(t: _Template) -> Iterator[Finding]:
    """EHE407. Anti-pattern: a Word field such as MERGEFIELD, IF, DATE or REF: the toolkit fills
    in Jinja tags, not fields, so the letter prints whatever value the field last showed (DATE:
    the day Word last updated it).  Fix: replace it with a tag (``{{ letter.date }}``); only
    PAGE, NUMPAGES and SECTIONPAGES (page numbers) may stay."""
    for p in t.paragraphs:
        for code in p.field_codes:
            if (code.split() or [""])[0].upper() not in _PAGE_FIELDS:
                message = f"Word field '{_short(code)}' is not filled in by the toolkit"
                yield t.finding("EHE407", t.at(p), message)


_CHECKS: tuple[Callable[[_Template], Iterator[Finding]], ...] = (
    _syntax,
    _split_tags,
    _smart_quotes,
    _variables,
    _internals,
    _tracked_changes,
    _comments,
    _fields,
)


def _infer(path: Path, settings: Settings | None) -> Letter | None:
    """The catalogue letter named by the file stem, or None (lint generically)."""
    if path.stem not in LETTER_IDS:
        return None
    try:
        return get_letter(path.stem, settings)
    except EheLettersError:
        return None


def lint_template(
    path: Path, letter: Letter | None = None, settings: Settings | None = None
) -> list[Finding]:
    """Lint one .docx template; ``letter`` None: infer it from the file name, else generic."""
    path = Path(path)
    letter = letter if letter is not None else _infer(path, settings)
    try:
        template = _open(path, letter)
    except Exception as exc:  # noqa: BLE001 - any failure to read it is the one finding
        reason = str(exc).removeprefix(f"{path}: ") or type(exc).__name__
        message = f"cannot open the template as a Word .docx file: {_short(reason, 100)}"
        return [LINT_RULES["EHE408"].finding(message, str(path))]
    return [finding for check in _CHECKS for finding in check(template)]
