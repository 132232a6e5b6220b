"""Case rules about the legal chain (EHE110-EHE121): what must come before each notice,
the schools named, the order and the regime in force."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ehe_letters import law
from ehe_letters.letters.catalogue import sibling
from ehe_letters.letters.notice_dates import earliest_registration, period_end_of, policy_days
from ehe_letters.models import Child, EventType
from ehe_letters.rules.case_facts import STATUTORY, Facts, children, rule, when

__all__: list[str] = []  # the rules register themselves


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
    "EHE111",
    "error",
    ("sao-intention",),
    "Education Act 1996 s437(3), s438 [NV]; brief check 28",
    per_parent=True,
)
def s438_too_early(facts: Facts) -> Iterator[str]:
    """A notice of intention follows a s437 notice whose period has ended, and a decision."""
    s437 = facts.last(EventType.NOTICE_SERVED, "s437-notice")
    if s437 is None:
        yield (
            "no s437 notice served on this parent is recorded in case.history (a notice-served "
            "event for s437-notice naming the parent); s437(3) allows an order only on a parent "
            "served with one"
        )
        return
    end = period_end_of(s437, sibling(facts.letter, s437.letter), facts.nation)
    if facts.letter_date <= end:
        yield (
            f"the s437 notice's period ends on {when(end)}; a notice of intention is allowed from "
            f"{when(end + timedelta(days=1))}"
        )
    decision = facts.last(EventType.DECISION)
    if (
        decision is None
        or decision.date <= end
        or decision.outcome != "not-satisfied"
        or decision.expedient is not True
    ):
        yield (
            f"no decision after {when(end)} is recorded that the authority is not satisfied and "
            "that it is expedient for the child to attend school (a decision event with "
            "outcome: not-satisfied and expedient: true)"
        )


def _plan_route(facts: Facts, child: Child) -> bool:
    """England: any EHC plan (s441). Wales: an IDP naming a school (s441A)."""
    return law.plan_route(facts.nation, child.has_ehc_plan, child.plan_names_school)


@rule(
    "EHE112",
    "error",
    ("sao-intention", "s439-consultation"),
    "Education Act 1996 s438(1), s441 [NV], s441A; brief check 29",
)
def plan_route(facts: Facts) -> Iterator[str]:
    """No s438 notice, nor a s439 consultation for one, for a child on the plan route.

    The plan route: an EHC plan (England) or an IDP naming a school (Wales).
    """
    about = children(facts)
    if hasattr(facts.inputs, "child"):  # a consultation about one of the children
        about = [about[facts.inputs.child]]
    for who, child in about:
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
    per_parent=True,
)
def sao_too_early(facts: Facts) -> Iterator[str]:
    """An order follows the end of the s438 period (or, on the plan route, the s437 period)."""
    plan = any(_plan_route(facts, c) for _, c in children(facts))
    before = "s437-notice" if plan else "sao-intention"
    notice = facts.last(EventType.NOTICE_SERVED, before)
    if notice is None:
        yield (
            f"no {before} served on this parent is recorded in case.history (a notice-served "
            "event naming the parent) before the order"
        )
        return
    end = period_end_of(notice, sibling(facts.letter, notice.letter), facts.nation)
    if facts.letter_date <= end:
        yield (
            f"the {before} period ends on {when(end)}; the order is allowed from "
            f"{when(end + timedelta(days=1))}"
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
    per_parent=True,
)
def wrong_school(facts: Facts) -> Iterator[str]:
    """The order names the parent's choice made within the period, or the plan's school."""
    named = facts.inputs.school.name
    for _who, child in children(facts):
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
        and choice.date <= period_end_of(notice, sibling(facts.letter, notice.letter), facts.nation)
        and choice.school != named
    ):
        yield (
            f"the parent chose {choice.school} on {when(choice.date)}, within the period: the "
            "order must name that school"
        )


@rule("EHE116", "error", ("welcome",), "SI 2024/208 reg 13(4); brief check 16")
def welcome_before_removal(facts: Facts) -> Iterator[str]:
    """A welcome letter is not dated before the child was taken off the school roll."""
    for who, child in children(facts):
        if child.removed_from_roll_on and facts.letter_date < child.removed_from_roll_on:
            yield (
                f"the letter date is before {who} was taken off the roll on "
                f"{when(child.removed_from_roll_on)}"
            )


@rule("EHE117", "warning", ("welcome",), "SI 2024/208 reg 9 [NV]; brief check 17")
def special_school_consent(facts: Facts) -> Iterator[str]:
    """Warn that a child leaving a special school needs the authority's consent to deletion."""
    for who, child in children(facts):
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
    "EHE119",
    "warning",
    ("school-attendance-order", "sao-amendment"),
    "Education Act 1996 s437(5); brief check 39",
)
def inform_school(facts: Facts) -> Iterator[str]:
    """Warn that a maintained school named in an order must be informed (s437(5))."""
    school = facts.inputs.school
    informed = [
        e
        for e in facts.case.history
        if e.type == EventType.SCHOOL_INFORMED and e.school == school.name
    ]
    if school.maintained and not informed:
        yield (
            f"{school.name} is a maintained school: inform its governing body and head teacher "
            "(s437(5): the governing-body-notice letter, once the order is recorded as served) "
            "and record it (a school-informed event naming the school); until then the order "
            "does not say they have been informed"
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


@rule(
    "EHE121",
    "error",
    ("school-attendance-order", "sao-amendment"),
    "Education Act 1996 s437(3); authority policy sao_register_days (law/parameters/"
    "policy_periods.yaml: 15 days by default)",
)
def register_by_too_soon(facts: Facts) -> Iterator[str]:
    """The date to register by gives at least the authority's policy time after service."""
    given = facts.inputs.register_by
    if facts.dates is None or given is None:
        return  # the date is then computed from the policy (notice_dates.register_by)
    earliest = earliest_registration(facts.dates.deemed_served, facts.authority, facts.letter_date)
    if given < earliest:
        days = policy_days(facts.authority, "sao_register_days", facts.letter_date)
        yield (
            f"case.inputs.{facts.letter.inputs}.register_by ({given.isoformat()}) is before "
            f"{when(earliest)}: the order is served on {when(facts.dates.deemed_served)}, and "
            f"the authority's policy gives at least {days} days beginning with that day "
            "(authority.policy.sao_register_days); leave it out to use the earliest date"
        )


@rule(
    "EHE122",
    "error",
    ("sao-intention", "school-attendance-order"),
    "Education Act 1996 s437(2), s438(3) [NV]; brief checks 23-25",
    per_parent=True,
)
def recorded_period_too_short(facts: Facts) -> Iterator[str]:
    """A notice recorded as served names a date no earlier than the law allows (as computed)."""
    for index, event in enumerate(facts.case.history):
        if (
            event.type != EventType.NOTICE_SERVED
            or event.parent != facts.parent
            or event.deadline is None
            or event.method in (None, "email")
            or event.date > facts.letter_date
        ):
            continue
        notice = sibling(facts.letter, event.letter)
        if notice.period is None:
            continue
        computed = law.compute_deadline(
            notice.period, event.date, event.method, facts.nation, delivered_at=event.time
        )
        if event.deadline < computed.deadline:
            yield (
                f"case.history[{index}].deadline ({event.deadline.isoformat()}) is before "
                f"{when(computed.deadline)}, the earliest date that {event.letter} could name, "
                f"computed from its sending on {when(event.date)} by {event.method}: check the "
                "notice and the record"
            )


@rule(
    "EHE124",
    "error",
    ("sao-intention", "school-attendance-order", "sao-amendment", "s439-consultation"),
    "Education Act 1996 s437(3), s438(2) [NV]: a school suitable for the child",
)
def school_for_another_age(facts: Facts) -> Iterator[str]:
    """A school named takes children of the child's age on the date the letter names."""
    inputs = facts.inputs
    on = (
        getattr(inputs, "register_by", None)
        or getattr(inputs, "proposed_start", None)  # a s439 consultation: the date proposed
        or facts.letter_date
    )
    schools = [("school", inputs.school)] + [
        (f"alternatives[{i}]", s) for i, s in enumerate(getattr(inputs, "alternatives", []))
    ]
    about = children(facts)
    if hasattr(inputs, "child"):  # a letter about one of the children
        about = [about[inputs.child]]
    for path, school in schools:
        if school.age_range is None:
            continue
        for who, child in about:
            age = law.age_on(child.date_of_birth, on)
            low, high = school.age_range.youngest, school.age_range.oldest
            if not low <= age <= high:
                yield (
                    f"case.inputs.{facts.letter.inputs}.{path}: {school.name} takes ages {low} "
                    f"to {high}, but {who} is {age} on {when(on)}"
                )
