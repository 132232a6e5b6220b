"""Wording rules (codes EHE2xx: must appear; EHE3xx: must not appear), kept as data.

Rules for one letter live in its `templates/<id>.toml`; rules shared by several letters in
`templates/wording-rules.toml`.  Three kinds:

- `required`: a regular expression that must match the letter's text;
- `forbidden`: a regular expression that must not match;
- `must-show`: a template expression (e.g. `{{ s437.service.deadline }}`) whose value for this
  letter must appear in the produced text — so dates and names match the case.

The text is one paragraph per line.  Templates are checked for `required` and `forbidden`
rules by `ehe-letters check`; every produced letter is checked for all three before it is
written.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import UndefinedError

from ehe_letters.docx.jinja_env import make_environment
from ehe_letters.errors import TemplateProblem
from ehe_letters.filecache import cached_by_file, file_stamp
from ehe_letters.letters.catalogue import Letter
from ehe_letters.rules.findings import Finding

__all__ = ["WordingRule", "check_text", "wording_rules"]

SHARED = "wording-rules.toml"
KINDS = ("required", "forbidden", "must-show")


@dataclass(frozen=True)
class WordingRule:
    code: str
    kind: str
    message: str
    reference: str
    pattern: re.Pattern | None = None
    value: str | None = None
    letters: tuple[str, ...] = ()
    nations: tuple[str, ...] = ("england", "wales")

    def applies(self, letter_id: str, nation: str | None) -> bool:
        return letter_id in self.letters and (nation is None or nation in self.nations)


def _parse(raw: dict, source: str, letter_id: str | None) -> WordingRule:
    try:
        kind = raw["kind"]
        if kind not in KINDS:
            raise KeyError("kind")
        pattern = re.compile(raw["pattern"]) if kind != "must-show" else None
        return WordingRule(
            code=raw["code"],
            kind=kind,
            message=raw["message"],
            reference=raw["reference"],
            pattern=pattern,
            value=raw["value"] if kind == "must-show" else None,
            letters=(letter_id,) if letter_id else tuple(raw["letters"]),
            nations=tuple(raw.get("nations", ("england", "wales"))),
        )
    except KeyError as exc:
        raise TemplateProblem(
            f"{source}: rule {raw.get('code', '?')} lacks {exc.args[0]!r}"
        ) from None
    except re.error as exc:
        raise TemplateProblem(f"{source}: rule {raw.get('code')}: bad pattern: {exc}") from None


@cached_by_file(maxsize=16)
def _shared_file(path: Path) -> tuple[WordingRule, ...]:
    if not path.exists():
        return ()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(_parse(raw, str(path), None) for raw in data.get("rule", []))


def _shared(folder: Path) -> tuple[WordingRule, ...]:
    return _shared_file(folder / SHARED)


def wording_rules(letter: Letter, nation: str | None = None) -> list[WordingRule]:
    """Return the wording rules for a letter (its own, then the shared ones that apply)."""
    own = [
        _parse(raw, str(letter.template.with_suffix(".toml")), letter.id) for raw in letter.rules
    ]
    shared = [r for r in _shared(letter.template.parent) if r.applies(letter.id, nation)]
    return [r for r in own if nation is None or nation in r.nations] + shared


@cache
def _expression(value: str):
    return make_environment().from_string(value)


# The rules in force for a letter: the letter (its .toml) and the shared file's stamp, so
# that an edited wording-rules.toml is read again and the caches below keyed on it are not used.
Version = tuple[Letter, tuple[int, int] | None]


def _version(letter: Letter) -> Version:
    return letter, file_stamp(letter.template.parent / SHARED)


@lru_cache(maxsize=64)
def _rules(version: Version, nation: str | None) -> tuple[WordingRule, ...]:
    return tuple(wording_rules(version[0], nation))


_SCOPED = re.compile(r"^\(\?([a-z]+)\)")


@lru_cache(maxsize=64)
def _any_forbidden(version: Version, nation: str | None) -> re.Pattern | None:
    """All of a letter's forbidden patterns as one regular expression, for a quick first look
    (each pattern's leading inline flags become scoped flags, e.g. (?i)x -> (?i:x))."""
    bodies = []
    for rule in _rules(version, nation):
        if rule.kind == "forbidden":
            pattern = rule.pattern.pattern
            flags = _SCOPED.match(pattern)
            body = pattern[flags.end() :] if flags else pattern
            bodies.append(f"(?{flags.group(1)}:{body})" if flags else f"(?:{body})")
    return re.compile("|".join(bodies)) if bodies else None


def _spans_paragraphs(rule: WordingRule) -> bool:
    """A required pattern that may match across paragraphs is checked on the whole text."""
    # Leading inline flags such as (?is) show in .flags; scoped ones (?s:...) only in the text.
    return bool(rule.pattern.flags & re.DOTALL) or "(?s" in rule.pattern.pattern


_FORBIDDEN: dict[tuple, tuple[tuple[str, str], ...]] = {}
_REQUIRED: dict[tuple, frozenset[str]] = {}


def _forbidden(version: Version, nation: str | None, paragraph: str) -> tuple[tuple[str, str], ...]:
    """(code, matched words) for each forbidden rule one paragraph breaks."""
    quick = _any_forbidden(version, nation)
    if quick is None or not quick.search(paragraph):
        return ()
    return tuple(
        (rule.code, match.group(0)[:60])
        for rule in _rules(version, nation)
        if rule.kind == "forbidden" and (match := rule.pattern.search(paragraph))
    )


def _required(rules, paragraph: str, wanted: set[str]) -> frozenset[str]:
    return frozenset(
        rule.code for rule in rules if rule.code in wanted and rule.pattern.search(paragraph)
    )


def _paragraphs(version: Version, nation: str | None, text: str):
    """Forbidden findings and satisfied required rules, paragraph by paragraph.

    Results for paragraphs seen before (most of a letter is the same from one letter to the
    next) are looked up; required rules are tried on new paragraphs only while unsatisfied.
    """
    if len(_FORBIDDEN) > 20000:
        _FORBIDDEN.clear(), _REQUIRED.clear()
    rules = _rules(version, nation)
    single = [r for r in rules if r.kind == "required" and not _spans_paragraphs(r)]
    all_codes = {r.code for r in single}
    forbidden: list[tuple[str, str]] = []
    satisfied: set[str] = set()
    unknown = []
    for paragraph in text.split("\n"):
        key = (version, nation, paragraph)
        found = _FORBIDDEN.get(key)
        if found is None:
            found = _FORBIDDEN[key] = _forbidden(version, nation, paragraph)
        forbidden += found
        met = _REQUIRED.get(key)
        if met is None:
            unknown.append(key)
        else:
            satisfied |= met
    for key in unknown:
        wanted = all_codes - satisfied
        if not wanted:
            break
        met = _required(single, key[2], wanted)
        satisfied |= met
        if wanted == all_codes:  # every required rule was tried: the answer is complete
            _REQUIRED[key] = met
    return forbidden, satisfied


def check_text(
    letter: Letter,
    text: str,
    *,
    nation: str | None = None,
    context: dict | None = None,
    file: str = "",
) -> list[Finding]:
    """Check a letter's text against its wording rules; must-show rules need the context.

    Wording is matched paragraph by paragraph (one paragraph per line of `text`), except
    required patterns that may span paragraphs (DOTALL) and must-show values, which are
    looked for in the whole text.
    """
    version = _version(letter)
    rules = _rules(version, nation)
    by_code = {rule.code: rule for rule in rules}
    findings = []
    reported: set[str] = set()
    forbidden, satisfied = _paragraphs(version, nation, text)
    for code, words in forbidden:
        if code not in reported:
            reported.add(code)
            rule = by_code[code]
            findings.append(
                Finding(code, "error", f'{rule.message}: "{words}"', rule.reference, file)
            )
    for rule in rules:
        if (
            rule.kind == "required"
            and rule.code not in satisfied
            and (not _spans_paragraphs(rule) or not rule.pattern.search(text))
        ):
            findings.append(
                Finding(rule.code, "error", f"missing: {rule.message}", rule.reference, file)
            )
        elif rule.kind == "must-show" and context is not None:
            try:
                expected = _expression(rule.value).render(context)
            except UndefinedError:
                continue  # a context without the value: rendering the letter itself fails first
            # Autoescape makes the expression's output XML-escaped; compare with plain text.
            expected = expected.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            expected = expected.replace("&#39;", "'").replace("&#34;", '"')
            if expected not in text:
                message = f'{rule.message} (expected "{rule.value}")'
                findings.append(Finding(rule.code, "error", message, rule.reference, file))
    return findings
