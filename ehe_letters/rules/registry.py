"""One registry of every rule the toolkit enforces, whatever checks it.

Each rule has a stable code, a severity, a one-line summary, a reference (the law, the guidance
or the documentation it rests on) and the family that checks it:

- ``case``: the legal process, on the case before a letter is produced (EHE1xx), in
  ``rules/case_rules.py``, one function each;
- ``wording``: text a letter must or must not contain (EHE2xx, EHE3xx), kept as data with each
  letter's metadata (``templates/<id>.toml``) and in ``templates/wording-rules.toml``, checked
  by ``rules/wording.py``;
- ``lint``: template lint (EHE4xx), ``rules/lint.py``;
- ``approval``: template approval (EHE5xx), ``rules/approval.py``;
- ``verify``: a produced letter checked again later (VERxxx), ``letters/verify.py``;
- ``pdf``: checks of the PDFs the toolkit writes (PDFxxx): GOV.UK Notify's printable areas,
  ``pdf/areas.py``.

Every code has a passing and a failing case in ``tests/rules/`` (one YAML file per family),
and ``tests/test_rule_registry.py`` holds every code to its reference and both cases.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ehe_letters.rules.findings import Finding, Severity

if TYPE_CHECKING:
    from ehe_letters.letters.catalogue import Letter

__all__ = ["FAMILIES", "Rule", "all_rules", "get_rule", "register", "static_rules"]

Family = Literal["case", "wording", "lint", "approval", "verify", "pdf"]
FAMILIES: tuple[str, ...] = ("case", "wording", "lint", "approval", "verify", "pdf")

# The modules that register the static rules (wording rules are data in the templates folder).
_DEFINED_IN = (
    "ehe_letters.rules.case_rules",
    "ehe_letters.rules.lint",
    "ehe_letters.rules.approval",
    "ehe_letters.letters.verify",
    "ehe_letters.pdf.areas",
)


@dataclass(frozen=True)
class Rule:
    """One rule: its stable code, severity, summary, reference and what it applies to.

    `applies_to` holds letter ids, or "statutory" / "with-period" (every letter with that fact
    in its metadata), "templates" or "letters" (every produced letter), "pdf".
    `check` is the function of a case rule; `overridable` rules may be waived for one letter
    with a recorded reason; `needs_dates` case rules run only when the notice's service dates
    can be computed.
    """

    code: str
    severity: Severity
    family: Family
    summary: str
    reference: str
    applies_to: tuple[str, ...] = ()
    overridable: bool = False
    needs_dates: bool = False
    check: Callable | None = field(default=None, compare=False, repr=False)
    per_parent: bool = False  # checked once for each parent a notice is addressed to

    def finding(
        self, message: str, file: str = "", location: str = "", severity: Severity | None = None
    ) -> Finding:
        """A finding of this rule, with its code, severity and reference."""
        return Finding(
            self.code, severity or self.severity, message, self.reference, file, location
        )

    def as_json(self) -> dict:
        """The rule as `ehe-letters rules --json` lists it."""
        return {
            "code": self.code,
            "family": self.family,
            "severity": self.severity,
            "applies_to": list(self.applies_to),
            "summary": self.summary,
            "reference": self.reference,
            "overridable": self.overridable,
        }


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a static rule to the registry; a code is registered once."""
    if rule.family not in FAMILIES:
        raise ValueError(f"{rule.code}: unknown rule family {rule.family!r}")
    if rule.code in _RULES and _RULES[rule.code] != rule:
        raise ValueError(f"{rule.code}: registered twice")
    _RULES[rule.code] = rule
    return rule


def _load() -> None:
    for module in _DEFINED_IN:
        importlib.import_module(module)


def static_rules(family: str | None = None) -> list[Rule]:
    """Every rule defined in code (all families but wording), in code order."""
    _load()
    return sorted(
        (r for r in _RULES.values() if family is None or r.family == family),
        key=lambda r: r.code,
    )


def get_rule(code: str) -> Rule:
    """Return a static rule by its code."""
    _load()
    return _RULES[code]


def all_rules(letters: Iterable[Letter]) -> list[Rule]:
    """Every rule: the static ones and the wording rules of the given letters, by code."""
    from ehe_letters.rules.wording import wording_rules

    wording: dict[str, Rule] = {}
    for letter in letters:
        for w in wording_rules(letter):
            previous = wording.get(w.code)
            applies_to = tuple(sorted({*(previous.applies_to if previous else ()), *w.letters}))
            wording[w.code] = Rule(
                w.code, "error", "wording", f"{w.kind}: {w.message}", w.reference, applies_to
            )
    return sorted([*static_rules(), *wording.values()], key=lambda r: r.code)
