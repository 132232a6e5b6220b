"""Case rules for the letters that follow a step (EHE140-EHE149): an outcome, a decision on a
s437 notice, a decision on an application to revoke an order, an amended order, and a letter
about an order not complied with.  Each refuses its letter until the step it reports is
recorded in the case history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ehe_letters import law
from ehe_letters.letters.catalogue import sibling
from ehe_letters.letters.notice_dates import earliest_registration, last_event, period_end_of
from ehe_letters.models import Event, EventType, ServiceMethod
from ehe_letters.rules.case_facts import Facts, children, rule, when

__all__: list[str] = []  # the rules register themselves

_ORDERS = ("school-attendance-order", "sao-amendment")


def _latest(facts: Facts, kind: EventType, after: date | None = None, parent: int | None = None):
    """The latest event of a kind on or before the letter date (and after a date, by a parent)."""
    events = [
        e
        for e in facts.case.history
        if e.type == kind
        and e.date <= facts.letter_date
        and (after is None or e.date >= after)
        and (parent is None or e.parent == parent)
    ]
    return max(events, key=lambda e: e.date, default=None)


def _reasons_missing(facts: Facts, kind: EventType, outcome: str, what: str) -> Iterator[str]:
    """A letter reporting the latest decision of a kind with this outcome must give reasons."""
    decision = _latest(facts, kind)
    if decision is not None and decision.outcome == outcome and not facts.inputs.reasons:
        yield (
            f"case.inputs.{facts.letter.inputs}.reasons: the decision recorded is {outcome}; "
            f"say {what}"
        )


def _order(facts: Facts, parent: int | None) -> Event | None:
    """The order served on a parent as it now stands: the latest order or amendment served."""
    served = [
        last_event(facts.case, EventType.NOTICE_SERVED, lid, facts.letter_date, parent)
        for lid in _ORDERS
    ]
    return max((e for e in served if e is not None), key=lambda e: e.date, default=None)


@rule(
    "EHE140",
    "error",
    ("education-appears-suitable",),
    "DfE 2019 guidance ch. 6 [NV para]; letters.md section 2 (an outcome after every enquiry)",
)
def no_information_received(facts: Facts) -> Iterator[str]:
    """An outcome letter follows an informal enquiry and the information received after it."""
    enquiry = [
        e
        for e in facts.case.history
        if e.date <= facts.letter_date
        and (
            e.type == EventType.INFORMAL_ENQUIRY
            or (e.type == EventType.NOTICE_SERVED and e.letter == "information-request")
        )
    ]
    if not enquiry:
        yield "no informal enquiry is recorded in case.history (an informal-enquiry event)"
        return
    first = min(e.date for e in enquiry)
    if _latest(facts, EventType.REPLY_RECEIVED, after=first) is None:
        yield (
            f"no information is recorded as received since the enquiry of {when(first)} (a "
            "reply-received event): the letter says that what we received shows the education "
            "appears suitable"
        )


@rule(
    "EHE141",
    "error",
    ("s437-decision",),
    "Education Act 1996 s437(1), (3): the parent has the whole period specified in the notice",
    per_parent=True,
)
def s437_period_not_ended(facts: Facts) -> Iterator[str]:
    """A decision on a s437 notice is sent to a parent only after that parent's period ended."""
    notice = facts.last(EventType.NOTICE_SERVED, "s437-notice")
    if notice is None:
        yield (
            "no s437 notice served on this parent is recorded in case.history (a notice-served "
            "event for s437-notice naming the parent): there is no notice to decide on"
        )
        return
    end = period_end_of(notice, sibling(facts.letter, notice.letter), facts.nation)
    if facts.letter_date <= end:
        yield (
            f"the period in the s437 notice served on this parent ends on {when(end)}; the "
            f"decision may be sent from {when(end + timedelta(days=1))}"
        )


@rule(
    "EHE142",
    "error",
    ("s437-decision",),
    "Education Act 1996 s437(3): satisfied or not, and whether attending school is expedient",
    per_parent=True,
)
def s437_decision_not_recorded(facts: Facts) -> Iterator[str]:
    """The decision the letter reports is recorded, after the end of this parent's period."""
    notice = facts.last(EventType.NOTICE_SERVED, "s437-notice")
    if notice is None:
        return  # EHE141 says so
    end = period_end_of(notice, sibling(facts.letter, notice.letter), facts.nation)
    decision = _latest(facts, EventType.DECISION, after=end + timedelta(days=1))
    if decision is None or decision.outcome is None:
        yield (
            f"no decision after {when(end)} is recorded (a decision event with outcome: "
            "satisfied or not-satisfied, dated after the period)"
        )
    elif decision.outcome == "not-satisfied" and decision.expedient is None:
        yield (
            f"the decision of {when(decision.date)} does not record whether it is expedient that "
            "the child should attend school (expedient: true or false)"
        )


@rule(
    "EHE143",
    "error",
    ("s437-decision",),
    "DfE 2019 guidance ch. 6 [NV para]: a decision not to be satisfied gives its reasons",
)
def s437_reasons_missing(facts: Facts) -> Iterator[str]:
    """A decision that the authority is not satisfied gives the reasons, in plain words."""
    yield from _reasons_missing(
        facts, EventType.DECISION, "not-satisfied", "based on what was and was not received"
    )


@rule(
    "EHE144",
    "error",
    ("sao-revocation-decision",),
    "Education Act 1996 s442 [NV]: an application to revoke an order in force",
)
def revocation_not_recorded(facts: Facts) -> Iterator[str]:
    """A decision on revocation answers an application by a parent served with the order, and
    the decision is recorded."""
    request = _latest(facts, EventType.REVOCATION_REQUESTED)
    if request is None or request.parent is None:
        yield (
            "no application to revoke the order is recorded (a revocation-requested event naming "
            "the parent who applied)"
        )
        return
    order = _order(facts, request.parent)
    if order is None or order.date > request.date:
        yield (
            f"no school attendance order served on case.parents[{request.parent}] before the "
            "application is recorded (a notice-served event for school-attendance-order naming "
            "the parent)"
        )
    decision = _latest(facts, EventType.REVOCATION_DECISION, after=request.date)
    if decision is None:
        yield (
            f"no decision on the application of {when(request.date)} is recorded (a "
            "revocation-decision event with outcome: revoked or refused)"
        )


@rule(
    "EHE145",
    "error",
    ("sao-revocation-decision",),
    "Education Act 1996 s442 [NV]; brief check 43: a refusal states its reasons",
)
def revocation_reasons_missing(facts: Facts) -> Iterator[str]:
    """A refusal to revoke an order gives the reasons no satisfactory arrangements appear made."""
    yield from _reasons_missing(
        facts,
        EventType.REVOCATION_DECISION,
        "refused",
        "why no satisfactory arrangements appear to have been made",
    )


@rule(
    "EHE146",
    "error",
    ("sao-amendment",),
    "Education Act 1996 s437(4), s440; brief check 42: only an order in force is amended",
    per_parent=True,
)
def no_order_to_amend(facts: Facts) -> Iterator[str]:
    """An amendment is served on a parent on whom the order it amends was served, and names a
    school other than the one the order names now."""
    order = _order(facts, facts.parent)
    if order is None:
        yield (
            "no school attendance order served on this parent is recorded in case.history (a "
            "notice-served event for school-attendance-order naming the parent)"
        )
        return
    if not order.school:
        yield (
            "the order served on this parent does not record the school it named (the "
            "notice-served event's school): the amendment says which school it replaces"
        )
    elif order.school == facts.inputs.school.name:
        yield f"the order already names {order.school}"
    revoked = _latest(facts, EventType.REVOCATION_DECISION, after=order.date)
    if revoked is not None and revoked.outcome == "revoked":
        yield f"the order was revoked on {when(revoked.date)}: there is no order to amend"


@rule(
    "EHE147",
    "error",
    ("sao-amendment",),
    "Education Act 1996 s440(2)-(4) (the parent's request after an offer of a place), s441, "
    "s441A(2)-(3) (the plan's school) [s441 NV]",
    per_parent=True,
)
def amendment_not_requested(facts: Facts) -> Iterator[str]:
    """An amendment names the school the parent asked for after an offer of a place (s440), or
    the school the child's plan now names (s441, s441A)."""
    inputs, order = facts.inputs, _order(facts, facts.parent)
    if inputs.reason == "plan-names-school":
        named = [c.plan_names_school for _, c in children(facts)]
        if inputs.school.name not in named:
            plan = "IDP" if facts.nation == "wales" else "EHC plan"
            yield (
                f"case.inputs.sao_amendment.school: no child's {plan} names "
                f"{inputs.school.name} (case.children[N].plan_names_school)"
            )
        return
    if any(
        law.plan_route(facts.nation, c.has_ehc_plan, c.plan_names_school)
        for _, c in children(facts)
    ):
        plan = "an IDP naming a school" if facts.nation == "wales" else "an EHC plan"
        yield (
            f"section 440 does not apply to a child with {plan}: the order follows the plan "
            "(case.inputs.sao_amendment.reason: plan-names-school)"
        )
        return
    request = _latest(
        facts,
        EventType.AMENDMENT_REQUESTED,
        after=order.date if order else None,
        parent=facts.parent,
    )
    if request is None or request.school != inputs.school.name:
        yield (
            f"no request by this parent to name {inputs.school.name} in the order is recorded "
            "(an amendment-requested event naming the parent and the school, made after the "
            "child was offered a place there)"
        )


@rule(
    "EHE148",
    "error",
    ("sao-non-compliance",),
    "Education Act 1996 s443(1): only a parent on whom the order was served, once its date "
    "has passed",
    per_parent=True,
)
def order_not_yet_due(facts: Facts) -> Iterator[str]:
    """A letter about an order not complied with goes only to a parent on whom the order was
    served, after the date by which it required the child to be registered."""
    order = _order(facts, facts.parent)
    if order is None:
        yield (
            "no school attendance order served on this parent is recorded in case.history (a "
            "notice-served event for school-attendance-order naming the parent): s443(1) "
            "concerns only a parent on whom the order was served"
        )
        return
    if order.deadline is None:
        yield (
            "the order served on this parent does not record the date by which it required the "
            "child to be registered (the notice-served event's deadline)"
        )
        return
    method = order.method
    if method in (None, ServiceMethod.EMAIL):
        method = ServiceMethod.POST  # the slowest paper method: never an earlier date
    served = law.deemed_service_date(
        order.date, method, facts.nation, statutory=True, delivered_at=order.time
    )
    due = max(order.deadline, earliest_registration(served, facts.authority, facts.letter_date))
    if facts.letter_date <= due:
        yield (
            f"the order requires registration by {when(due)}; this letter may be sent from "
            f"{when(due + timedelta(days=1))}"
        )


@rule(
    "EHE149",
    "error",
    ("sao-non-compliance",),
    "Education Act 1996 s437(4), s8; s442 [NV]: the order is in force and no application to "
    "revoke it awaits a decision",
)
def order_not_in_force(facts: Facts) -> Iterator[str]:
    """No letter about non-compliance once the order has ended (revoked, or the child no longer
    of compulsory school age) or while an application to revoke it awaits our decision."""
    for who, child in children(facts):
        if not law.is_compulsory_school_age(child.date_of_birth, facts.letter_date):
            yield (
                f"{who} is not of compulsory school age on {when(facts.letter_date)}: the order "
                "continues in force only for as long as the child is (s437(4))"
            )
    decision = _latest(facts, EventType.REVOCATION_DECISION)
    request = _latest(facts, EventType.REVOCATION_REQUESTED)
    if decision is not None and decision.outcome == "revoked":
        yield f"the order was revoked on {when(decision.date)}"
    if request is not None and (decision is None or decision.date < request.date):
        yield (
            f"an application to revoke the order made on {when(request.date)} awaits a decision "
            "(record a revocation-decision event, and send the sao-revocation-decision letter)"
        )
