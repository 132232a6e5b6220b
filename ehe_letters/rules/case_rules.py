"""Legal-process rules checked on the case before a letter is produced (codes EHE1xx).

Each rule is a small function registered with its code, severity, the letters it applies to and
its legal reference (the numbers are the checks in the legal brief, section 10).  A rule yields
one message per problem; an "error" refuses the letter, a "warning" is printed and recorded.
Where the brief marks the law as not verified [NV], the rule takes the conservative reading and
says so.  Rules marked `overridable` can be waived for one letter with a recorded reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ehe_letters import law
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.notice_dates import service_dates
from ehe_letters.models import Authority, Case
from ehe_letters.rules import (  # noqa: F401  (they register)
    case_chain_rules,
    case_notice_rules,
    case_outcome_rules,
    case_parent_rules,
    case_school_rules,
)
from ehe_letters.rules.case_facts import CASE_RULES, STATUTORY, WITH_PERIOD, Facts, applies
from ehe_letters.rules.findings import Finding

__all__ = ["CASE_RULES", "STATUTORY", "WITH_PERIOD", "applies", "check_case"]


def check_case(
    letter: Letter,
    case: Case,
    authority: Authority,
    letter_date: date,
    overrides: dict[str, str] | None = None,
    parents: tuple[int, ...] | None = None,
) -> list[Finding]:
    """Run every rule for a letter; an overridden rule becomes a warning quoting the reason.

    A per-parent rule of a letter addressed to each parent is checked once for each of
    `parents` (default: every parent), its messages naming the parent (``case.parents[1]: ...``).
    """
    overrides = overrides or {}
    findings: list[Finding] = []
    dates = None
    inputs = getattr(case.inputs, letter.inputs) if letter.inputs else None
    if (
        inputs is not None
        and hasattr(inputs, "service")
        and inputs.service.method != "email"
        and (
            letter.period is None
            or inputs.period_days is None  # the authority's policy period, never below 15
            or inputs.period_days >= law.minimum_period(letter.period, letter_date)
        )
    ):
        dates = service_dates(letter, inputs, letter_date, authority)
    facts = Facts(letter, case, authority, letter_date, dates)
    selected = tuple(range(len(case.parents))) if parents is None else parents
    for code, rule_ in CASE_RULES.items():
        if not applies(rule_.applies_to, letter) or (rule_.needs_dates and dates is None):
            continue
        if rule_.per_parent and letter.addressed_to == "each-parent":
            messages = [
                f"case.parents[{p}]: {message}"
                for p in selected
                for message in rule_.check(replace(facts, parent=p))
            ]
        else:
            messages = list(rule_.check(facts))
        for message in messages:
            if code in overrides and rule_.overridable:
                reason = overrides[code]
                findings.append(
                    rule_.finding(f"overridden ({reason}): {message}", severity="warning")
                )
            else:
                findings.append(rule_.finding(message))
    return findings
