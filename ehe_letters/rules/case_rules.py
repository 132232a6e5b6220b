"""Legal-process rules checked on the case before a letter is produced (codes EHE1xx).

Each rule is a small function registered with its code, severity, the letters it applies to and
its legal reference (the numbers are the checks in the legal brief, section 10).  A rule yields
one message per problem; an "error" refuses the letter, a "warning" is printed and recorded.
Where the brief marks the law as not verified [NV], the rule takes the conservative reading and
says so.  Rules marked `overridable` can be waived for one letter with a recorded reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ehe_letters import law
from ehe_letters.letters.catalogue import Letter, get_letter
from ehe_letters.letters.context import long_date
from ehe_letters.letters.notice_dates import ServiceDates, last_event, period_end_of, service_dates
from ehe_letters.models import Authority, Case, Child, EventType
from ehe_letters.rules.findings import Finding
from ehe_letters.rules.registry import Rule, register

__all__ = ["CASE_RULES", "STATUTORY", "WITH_PERIOD", "applies", "check_case"]

# Rules apply to letters named by id, or to every letter with a fact of its metadata:
STATUTORY = "statutory"  # every statutory notice (`statutory = true`)
WITH_PERIOD = "with-period"  # every notice that gives the parent a period (`period = ...`)


def applies(letters: tuple[str, ...], letter: Letter) -> bool:
    """Tell whether a rule for `letters` (ids, STATUTORY or WITH_PERIOD) applies to a letter."""
    return (
        letter.id in letters
        or (STATUTORY in letters and letter.statutory)
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

    @property
    def nation(self) -> str:
        return self.authority.nation

    def last(self, kind: EventType, letter_id: str | None = None):
        """The latest event of a kind recorded on or before the letter date."""
        return last_event(self.case, kind, letter_id, on_or_before=self.letter_date)

    @property
    def inputs(self):
        return getattr(self.case.inputs, self.letter.inputs) if self.letter.inputs else None


# The case family of the registry (rules/registry.py), in code order: the same Rule objects.
CASE_RULES: dict[str, Rule] = {}


def rule(code, severity, letters, reference, *, overridable=False, needs_dates=False):
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
            )
        )
        return fn

    return register_rule


def _children(facts: Facts) -> list[tuple[str, Child]]:
    """The children with the path that names each in messages (never the child's name)."""
    return [(f"case.children[{i}]", child) for i, child in enumerate(facts.case.children)]


def _d(value: date) -> str:
    return long_date(value)


@rule(
    "EHE101",
    "error",
    (STATUTORY,),
    "Education Act 1996 s8 and s437(1); brief check 3",
    needs_dates=True,
)
def not_of_compulsory_school_age(facts: Facts) -> Iterator[str]:
    """A statutory notice is only for a child of compulsory school age on the day it is served."""
    served = facts.dates.deemed_served
    for who, child in _children(facts):
        if not law.is_compulsory_school_age(child.date_of_birth, served):
            start, end = law.csa_start(child.date_of_birth), law.csa_end(child.date_of_birth)
            yield (
                f"{who} is not of compulsory school age on {_d(served)}, the day "
                f"the notice is served (compulsory school age runs from {_d(start)} to {_d(end)})"
            )


@rule(
    "EHE102",
    "warning",
    (STATUTORY,),
    "DfE 2019 guidance para 6.14(a); brief check 4",
    needs_dates=True,
)
def age_ends_soon(facts: Facts) -> Iterator[str]:
    """Warn when compulsory school age ends before, or within 8 weeks of, the date in the notice."""
    end_of_period = facts.dates.deadline or facts.dates.deemed_served
    for who, child in _children(facts):
        end = law.csa_end(child.date_of_birth)
        if end < end_of_period + timedelta(weeks=8) and end >= facts.dates.deemed_served:
            when = "before" if end < end_of_period else "within 8 weeks of"
            yield (
                f"{who}: compulsory school age ends on {_d(end)}, {when} "
                f"{_d(end_of_period)}: an order may not be expedient"
            )


@rule(
    "EHE103", "warning", (STATUTORY,), "Education Act 1996 s8(3) and s579 [NV]; brief section 4.1"
)
def leaving_date_edge_case(facts: Facts) -> Iterator[str]:
    """Warn when a 16th birthday falls in 1-7 September: confirm the school leaving date by hand."""
    for who, child in _children(facts):
        if law.csa_edge_case(child.date_of_birth):
            yield (
                f"{who}: the 16th birthday is in early September: confirm by hand "
                "when compulsory school age ends"
            )


@rule("EHE104", "error", (STATUTORY,), "Education Act 1996 s572 [NV]; brief section 1.12, check 12")
def email_service(facts: Facts) -> Iterator[str]:
    """A statutory notice is served on paper: no verified rule allows service by e-mail."""
    service = getattr(facts.inputs, "service", None)
    if service is not None and service.method == "email":
        yield (
            f"case.inputs.{facts.letter.inputs}.service.method: e-mail is not a method of service "
            "for a statutory notice; serve it by hand, at the address or by post (an e-mailed "
            "courtesy copy may be recorded as well)"
        )


@rule("EHE105", "error", (STATUTORY,), "Brief check 14 (letter date <= sending <= deemed service)")
def sent_before_dated(facts: Facts) -> Iterator[str]:
    """A notice cannot be sent before the date it bears."""
    service = getattr(facts.inputs, "service", None)
    if service and service.sent_on and service.sent_on < facts.letter_date:
        yield (
            f"case.inputs.{facts.letter.inputs}.service.sent_on {service.sent_on.isoformat()} is "
            f"before the letter date {facts.letter_date.isoformat()}"
        )


@rule(
    "EHE106",
    "error",
    (WITH_PERIOD,),
    "Education Act 1996 s437(2), s438(3) [NV]; brief checks 24 and 31",
)
def period_too_short(facts: Facts) -> Iterator[str]:
    """The period in a notice is never shorter than the statutory minimum (15 days)."""
    minimum = law.minimum_period(facts.letter.period, facts.letter_date)
    if facts.inputs.period_days < minimum:
        yield (
            f"case.inputs.{facts.letter.inputs}.period_days is {facts.inputs.period_days}: the "
            f"period must be at least {minimum} days beginning with the day of service"
        )


@rule(
    "EHE107",
    "warning",
    (WITH_PERIOD,),
    "Education Act 1996 s437(2), s438(3) [NV]; brief check 25",
    needs_dates=True,
)
def small_margin(facts: Facts) -> Iterator[str]:
    """Warn when the date in the notice is less than 3 days beyond the statutory minimum."""
    margin = (facts.dates.deadline - facts.dates.earliest_deadline).days
    if margin < 3:
        yield (
            f"the period ends on {_d(facts.dates.deadline)}, {margin} day(s) after the earliest "
            "lawful date; consider a longer period to allow for delays in the post"
        )


@rule(
    "EHE110",
    "error",
    ("s437-notice",),
    "DfE 2019 guidance ch. 6 [NV para]; brief check 20",
    overridable=True,
)
def no_informal_enquiry(facts: Facts) -> Iterator[str]:
    """A s437 notice follows an informal enquiry recorded in the case history."""
    enquiries = [
        e
        for e in facts.case.history
        if e.date <= facts.letter_date
        and (
            e.type == EventType.INFORMAL_ENQUIRY
            or (e.type == EventType.NOTICE_SERVED and e.letter == "information-request")
        )
    ]
    if not enquiries:
        yield (
            "no informal enquiry is recorded in case.history before a s437 notice; record one, or "
            "override with --override EHE110 --reason TEXT saying why it was skipped"
        )


@rule(
    "EHE111", "error", ("sao-intention",), "Education Act 1996 s437(3), s438 [NV]; brief check 28"
)
def s438_too_early(facts: Facts) -> Iterator[str]:
    """A notice of intention follows a s437 notice whose period has ended, and a decision."""
    s437 = facts.last(EventType.NOTICE_SERVED, "s437-notice")
    if s437 is None:
        yield "no s437 notice is recorded in case.history (a notice-served event for s437-notice)"
        return
    end = period_end_of(s437, get_letter(s437.letter), facts.nation)
    if facts.letter_date <= end:
        yield (
            f"the s437 notice's period ends on {_d(end)}; a notice of intention is allowed from "
            f"{_d(end + timedelta(days=1))}"
        )
    decision = facts.last(EventType.DECISION)
    if (
        decision is None
        or decision.date <= end
        or decision.outcome != "not-satisfied"
        or decision.expedient is not True
    ):
        yield (
            f"no decision after {_d(end)} is recorded that the authority is not satisfied and "
            "that it is expedient for the child to attend school (a decision event with "
            "outcome: not-satisfied and expedient: true)"
        )


def _plan_route(facts: Facts, child: Child) -> bool:
    """England: any EHC plan (s441). Wales: an IDP naming a school (s441A)."""
    if facts.nation == "wales":
        return bool(child.has_ehc_plan and child.plan_names_school)
    return child.has_ehc_plan


@rule(
    "EHE112",
    "error",
    ("sao-intention",),
    "Education Act 1996 s438(1), s441 [NV], s441A; brief check 29",
)
def plan_route(facts: Facts) -> Iterator[str]:
    """No s438 notice for a child with an EHC plan (England) or an IDP naming a school (Wales)."""
    for who, child in _children(facts):
        if _plan_route(facts, child):
            plan = "IDP naming a school" if facts.nation == "wales" else "EHC plan"
            yield (
                f"{who} has an {plan}: the order must name the plan's school "
                "(s441/s441A), so a s438 notice of intention does not apply"
            )


@rule("EHE113", "error", ("sao-intention",), "Education Act 1996 s439 [NV]; brief check 32")
def school_not_consulted(facts: Facts) -> Iterator[str]:
    """Every school named in a notice of intention has been consulted before it is named."""
    inputs = facts.inputs
    for i, school in enumerate([inputs.school, *inputs.alternatives]):
        path = "school" if i == 0 else f"alternatives[{i - 1}]"
        if school.consulted_on is None or school.consulted_on > facts.letter_date:
            yield (
                f"case.inputs.sao_intention.{path}.consulted_on: {school.name} must be consulted "
                "(governing body, and the admission authority if different) before it is named"
            )


@rule(
    "EHE114",
    "error",
    ("school-attendance-order",),
    "Education Act 1996 s437(3), s438(3) [NV]; brief check 33",
)
def sao_too_early(facts: Facts) -> Iterator[str]:
    """An order follows the end of the s438 period (or, on the plan route, the s437 period)."""
    plan = any(_plan_route(facts, c) for _, c in _children(facts))
    before = "s437-notice" if plan else "sao-intention"
    notice = facts.last(EventType.NOTICE_SERVED, before)
    if notice is None:
        yield f"no {before} is recorded in case.history (a notice-served event) before the order"
        return
    end = period_end_of(notice, get_letter(notice.letter), facts.nation)
    if facts.letter_date <= end:
        yield (
            f"the {before} period ends on {_d(end)}; the order is allowed from "
            f"{_d(end + timedelta(days=1))}"
        )
    decision = facts.last(EventType.DECISION)
    if decision is None or decision.outcome != "not-satisfied" or decision.expedient is not True:
        yield (
            "no decision is recorded that the authority is not satisfied and that attending "
            "school is expedient (a decision event with outcome and expedient)"
        )


@rule(
    "EHE115",
    "error",
    ("school-attendance-order",),
    "Education Act 1996 s438(3)-(6) [NV], s441/s441A; brief check 34",
)
def wrong_school(facts: Facts) -> Iterator[str]:
    """The order names the parent's choice made within the period, or the plan's school."""
    named = facts.inputs.school.name
    for _who, child in _children(facts):
        if (
            _plan_route(facts, child)
            and child.plan_names_school
            and child.plan_names_school != named
        ):
            yield f"the order must name {child.plan_names_school}, the school in the plan"
            return
    notice = facts.last(EventType.NOTICE_SERVED, "sao-intention")
    choice = facts.last(EventType.PARENT_CHOSE_SCHOOL)
    if (
        notice
        and choice
        and choice.school
        and choice.date <= period_end_of(notice, get_letter(notice.letter), facts.nation)
        and choice.school != named
    ):
        yield (
            f"the parent chose {choice.school} on {_d(choice.date)}, within the period: the order "
            "must name that school"
        )


@rule("EHE116", "error", ("welcome",), "SI 2024/208 reg 13(4); brief check 16")
def welcome_before_removal(facts: Facts) -> Iterator[str]:
    """A welcome letter is not dated before the child was taken off the school roll."""
    for who, child in _children(facts):
        if child.removed_from_roll_on and facts.letter_date < child.removed_from_roll_on:
            yield (
                f"the letter date is before {who} was taken off the roll on "
                f"{_d(child.removed_from_roll_on)}"
            )


@rule("EHE117", "warning", ("welcome",), "SI 2024/208 reg 9 [NV]; brief check 17")
def special_school_consent(facts: Facts) -> Iterator[str]:
    """Warn that a child leaving a special school needs the authority's consent to deletion."""
    for who, child in _children(facts):
        if child.special_school:
            yield (
                f"{who} attended a special school: check that the authority "
                "consented to the deletion from the roll"
            )


@rule(
    "EHE118", "warning", ("school-attendance-order",), "Education Act 1996 s437(3); brief check 40"
)
def prescribed_form(facts: Facts) -> Iterator[str]:
    """Warn until legal services record that the order's form is confirmed (no form was found)."""
    if not facts.authority.sao_form_confirmed:
        yield (
            "prescribed form of school attendance order unconfirmed: have legal services check "
            "the template and record it as authority.sao_form_confirmed"
        )


@rule(
    "EHE119", "warning", ("school-attendance-order",), "Education Act 1996 s437(5); brief check 39"
)
def inform_school(facts: Facts) -> Iterator[str]:
    """Warn that a maintained school named in an order must be informed (s437(5))."""
    if facts.inputs.school.maintained:
        yield (
            f"{facts.inputs.school.name} is maintained: inform its governing body and head "
            "teacher (s437(5)); the toolkit does not yet produce that letter"
        )


@rule(
    "EHE120",
    "error",
    (STATUTORY,),
    "Children's Wellbeing and Schools Act 2026 s78; brief check 1, 9",
)
def regime(facts: Facts) -> Iterator[str]:
    """Education Act 1996 notices are refused once CWSA 2026 is commenced on the letter date."""
    current = law.regime_on(facts.letter_date, facts.nation)
    if current != facts.letter.regime:
        yield (
            f"the {facts.letter.id} template is for the {facts.letter.regime} regime, but "
            f"{current} is in force on {facts.letter_date.isoformat()}"
        )


@rule("EHE121", "error", ("school-attendance-order",), "Education Act 1996 s437(3)")
def register_by_after_service(facts: Facts) -> Iterator[str]:
    """The date to register by falls after the day the order is served."""
    register_by = facts.inputs.register_by
    if facts.dates and register_by <= facts.dates.deemed_served:
        yield (
            f"case.inputs.school_attendance_order.register_by ({register_by.isoformat()}) is not "
            f"after the day the order is served ({facts.dates.deemed_served.isoformat()})"
        )


def check_case(
    letter: Letter,
    case: Case,
    authority: Authority,
    letter_date: date,
    overrides: dict[str, str] | None = None,
) -> list[Finding]:
    """Run every rule for a letter; an overridden rule becomes a warning quoting the reason."""
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
            or inputs.period_days >= law.minimum_period(letter.period, letter_date)
        )
    ):
        dates = service_dates(letter, inputs, letter_date, authority.nation)
    facts = Facts(letter, case, authority, letter_date, dates)
    for code, rule_ in CASE_RULES.items():
        if not applies(rule_.applies_to, letter) or (rule_.needs_dates and dates is None):
            continue
        for message in rule_.check(facts):
            if code in overrides and rule_.overridable:
                reason = overrides[code]
                findings.append(
                    rule_.finding(f"overridden ({reason}): {message}", severity="warning")
                )
            else:
                findings.append(rule_.finding(message))
    return findings
