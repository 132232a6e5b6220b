"""Case rules for the letters addressed to a school (EHE150-EHE158): each is refused until the
step it follows is recorded - the order naming the school (s437(5)), the authority's decision
before a consultation (s439), the child's removal from the roll of the school challenged; and
(EHE159) a notice of intention waits for the consultation's reply, or its reply date."""

from __future__ import annotations

from collections.abc import Iterator

from ehe_letters.letters.school_context import order_events
from ehe_letters.models import EventType
from ehe_letters.rules.case_facts import Facts, rule, when

__all__: list[str] = []  # the rules register themselves

_NOTICE = ("governing-body-notice",)
_CONSULTATION = ("s439-consultation",)
_CHALLENGE = ("school-off-rolling-challenge",)


def _orders(facts: Facts) -> list:
    inputs = facts.inputs
    return order_events(facts.case, inputs.school, inputs.child, facts.letter_date)


@rule("EHE150", "error", _NOTICE, "Education Act 1996 s437(5); brief check 39")
def no_order_naming_the_school(facts: Facts) -> Iterator[str]:
    """A notice to a governing body follows a school attendance order naming its school."""
    if not _orders(facts):
        name = facts.inputs.school.name
        yield (
            f"no school attendance order naming {name} is recorded as served in case.history "
            f"(a notice-served event of school-attendance-order with school: {name}, and child "
            "when the case has several children): s437(5) applies once the order is served"
        )


@rule("EHE151", "error", _NOTICE, "Education Act 1996 s437(3), (5); brief check 39")
def order_dates_not_recorded(facts: Facts) -> Iterator[str]:
    """The order's record says how it was served and the date it names for registration."""
    orders = _orders(facts)
    if not orders:
        return  # EHE150
    latest = max(orders, key=lambda e: e.date)
    index = facts.case.history.index(latest)
    if latest.method is None or latest.method == "email":
        yield (
            f"case.history[{index}].method: record how the order was served (the notice gives "
            "the school the day it was served)"
        )
    if latest.deadline is None:
        yield (
            f"case.history[{index}].deadline: record the date the order names for the child to "
            "be registered by (the notice tells the school)"
        )


@rule(
    "EHE152",
    "error",
    _NOTICE,
    "Education Act 1996 s437(5), (6), (8); Academies Act 2010 s1 (funding agreement) [NV]",
)
def school_without_the_duty(facts: Facts) -> Iterator[str]:
    """The notice goes to a maintained school (s437(5)) or an Academy (its funding agreement)."""
    school = facts.inputs.school
    if not school.maintained and not school.academy:
        yield (
            f"case.inputs.governing_body_notice.school.type: {school.name} is {school.type}, "
            "neither a maintained school (s437(5), (6)) nor an Academy; the notice states a "
            "duty to admit that such a school does not have: write to it yourself"
        )


@rule("EHE153", "warning", _NOTICE, "Education Act 1996 s437(5)")
def school_already_informed(facts: Facts) -> Iterator[str]:
    """Warn when the school is already recorded as informed of the latest order naming it."""
    orders = _orders(facts)
    if not orders:
        return
    since = max(e.date for e in orders)
    school = facts.inputs.school.name
    for index, event in enumerate(facts.case.history):
        informed = event.type == EventType.SCHOOL_INFORMED and event.school == school
        if informed and event.date >= since:
            yield (
                f"case.history[{index}]: {school} is already recorded as informed of the order "
                f"on {when(event.date)}; check before sending the notice again"
            )


@rule("EHE154", "error", _CONSULTATION, "Education Act 1996 s437(3), s438(2), s439 [NV]")
def consulted_before_a_decision(facts: Facts) -> Iterator[str]:
    """A school is consulted only once the authority has decided an order is expedient."""
    decision = facts.last(EventType.DECISION)
    if decision is None or decision.outcome != "not-satisfied" or decision.expedient is not True:
        yield (
            "no decision is recorded that the authority is not satisfied and that it is "
            "expedient for the child to attend school (a decision event with outcome: "
            "not-satisfied and expedient: true): until then a school is not told of the case"
        )


@rule("EHE155", "error", _CONSULTATION, "Education Act 1996 s439 [NV]; brief check 32")
def consulted_after_naming(facts: Facts) -> Iterator[str]:
    """The consultation comes before a notice of intention names the school."""
    school = facts.inputs.school.name
    for index, event in enumerate(facts.case.history):
        if (
            event.type == EventType.NOTICE_SERVED
            and event.letter == "sao-intention"
            and event.school == school
            and event.date <= facts.letter_date
        ):
            yield (
                f"case.history[{index}]: a notice of intention naming {school} was served on "
                f"{when(event.date)}; the governing body is consulted before a school is named"
            )


@rule("EHE156", "warning", _CHALLENGE, "UK GDPR art 5(1)(c), art 6(1)(e); Data Protection Act 2018")
def family_not_asked(facts: Facts) -> Iterator[str]:
    """Warn until the family's agreement to raising their account with the school is recorded."""
    if not facts.inputs.family_agreed:
        yield (
            "case.inputs.off_rolling_challenge.family_agreed: the letter tells the school what "
            "we have reason to think happened; record that the family agreed (true), or make "
            "sure the concern says nothing they would not want the school to hear from us"
        )


@rule(
    "EHE157",
    "error",
    _CHALLENGE,
    "SI 2024/208 reg 9, 13(4) [NV]: the school that took the child off its roll",
)
def not_the_school_left(facts: Facts) -> Iterator[str]:
    """The challenge goes to the school the child left, after the removal from its roll."""
    inputs = facts.inputs
    child = facts.case.children[inputs.child]
    path = f"case.children[{inputs.child}]"
    if child.school_last_attended != inputs.school.name:
        yield (
            f"{path}.school_last_attended is not {inputs.school.name}: the challenge goes to "
            "the school the child left"
        )
    if child.removed_from_roll_on is None or child.removed_from_roll_on > facts.letter_date:
        yield (
            f"{path}.removed_from_roll_on: record the day the school took the child off its "
            "roll (on or before the letter date)"
        )


@rule("EHE158", "warning", _CHALLENGE, "Case history (a letter already sent)")
def school_already_challenged(facts: Facts) -> Iterator[str]:
    """Warn when a challenge to the same school is already recorded in the history."""
    school = facts.inputs.school.name
    for index, event in enumerate(facts.case.history):
        if event.type == EventType.SCHOOL_CHALLENGED and event.school == school:
            yield (
                f"case.history[{index}]: we already wrote to {school} about the removal on "
                f"{when(event.date)}; check before writing again"
            )


@rule(
    "EHE159",
    "error",
    ("sao-intention",),
    "Education Act 1996 s439 [NV]; a consultation's replies are considered before the decision "
    "(R v Brent LBC ex p Gunning (1985)) [NV]",
)
def named_before_the_school_replied(facts: Facts) -> Iterator[str]:
    """A school consulted with a reply date is named only once it replied or that date passed."""
    inputs = facts.inputs
    history = facts.case.history
    for school in [inputs.school, *inputs.alternatives]:
        for index, consulted in enumerate(history):
            if (
                consulted.type != EventType.SCHOOL_CONSULTED
                or consulted.school != school.name
                or consulted.deadline is None
                or consulted.deadline < facts.letter_date
            ):
                continue
            replied = any(
                e.type == EventType.REPLY_RECEIVED
                and e.school == school.name
                and consulted.date <= e.date <= facts.letter_date
                for e in history
            )
            if not replied:
                yield (
                    f"case.history[{index}]: {school.name} was consulted on "
                    f"{when(consulted.date)} and asked to reply by {when(consulted.deadline)}; "
                    "name it once its reply is recorded (a reply-received event naming the "
                    f"school) or after {when(consulted.deadline)}"
                )
