"""What a case rule sees (Facts), which letters it applies to, and how it is registered.

Case rules (EHE1xx) are small functions registered with `@rule(code, severity, letters,
reference)`; their docstring's first line is the summary.  They live in `case_notice_rules.py`
(the notice itself: age, service, period), `case_parent_rules.py` (what a case says of each
parent), `case_chain_rules.py` (the legal chain:
prerequisites between notices, the order), `case_outcome_rules.py` (the letters that follow
a step: outcomes, decisions, amendment, non-compliance) and `case_school_rules.py` (the letters
to schools)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.context import long_date
from ehe_letters.letters.notice_dates import ServiceDates, last_event
from ehe_letters.models import Authority, Case, Child, EventType
from ehe_letters.rules.registry import Rule, register

__all__ = [
    "CASE_RULES",
    "INFORMAL",
    "STATUTORY",
    "WITH_PERIOD",
    "Facts",
    "applies",
    "children",
    "rule",
    "when",
]

# Rules apply to letters named by id, or to every letter with a fact of its metadata:
STATUTORY = "statutory"  # every statutory notice (`statutory = true`)
INFORMAL = "informal"  # every letter that is not a statutory notice
WITH_PERIOD = "with-period"  # every notice that gives the parent a period (`period = ...`)


def applies(letters: tuple[str, ...], letter: Letter) -> bool:
    """Tell whether a rule for `letters` (ids, STATUTORY or WITH_PERIOD) applies to a letter."""
    return (
        letter.id in letters
        or (STATUTORY in letters and letter.statutory)
        or (INFORMAL in letters and not letter.statutory)
        or (WITH_PERIOD in letters and letter.period is not None)
    )


@dataclass(frozen=True)
class Facts:
    """What a rule may look at: the letter, the case, the date, the computed service dates."""

    letter: Letter
    case: Case
    authority: Authority
    letter_date: date
    dates: ServiceDates | None
    parent: int | None = None  # the addressee a per-parent rule is checked for

    @property
    def nation(self) -> str:
        return self.authority.nation

    def last(self, kind: EventType, letter_id: str | None = None):
        """The latest event of a kind recorded on or before the letter date; for a per-parent
        rule, a notice served is one served on that parent (the event's `parent`)."""
        parent = self.parent if kind == EventType.NOTICE_SERVED else None
        return last_event(self.case, kind, letter_id, self.letter_date, parent)

    @property
    def inputs(self):
        return getattr(self.case.inputs, self.letter.inputs) if self.letter.inputs else None


# The case family of the registry (rules/registry.py), in code order: the same Rule objects.
CASE_RULES: dict[str, Rule] = {}


def rule(
    code, severity, letters, reference, *, overridable=False, needs_dates=False, per_parent=False
):
    """Register a case rule function; its docstring's first line is the rule's summary."""

    def register_rule(fn: Callable[[Facts], Iterator[str]]):
        summary = (fn.__doc__ or "").strip().splitlines()[0]
        CASE_RULES[code] = register(
            Rule(
                code,
                severity,
                "case",
                summary,
                reference,
                tuple(letters),
                overridable,
                needs_dates,
                fn,
                per_parent,
            )
        )
        return fn

    return register_rule


def children(facts: Facts) -> list[tuple[str, Child]]:
    """The children with the path that names each in messages (never the child's name)."""
    return [(f"case.children[{i}]", child) for i, child in enumerate(facts.case.children)]


def when(value: date) -> str:
    return long_date(value)
