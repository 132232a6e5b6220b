"""Case rules about the notice itself (EHE101-EHE107): the child's age, service, the period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ehe_letters import law
from ehe_letters.rules.case_facts import STATUTORY, WITH_PERIOD, Facts, children, rule, when

__all__: list[str] = []  # the rules register themselves


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
    for who, child in children(facts):
        if not law.is_compulsory_school_age(child.date_of_birth, served):
            start, end = law.csa_start(child.date_of_birth), law.csa_end(child.date_of_birth)
            yield (
                f"{who} is not of compulsory school age on {when(served)}, the day the notice "
                f"is served (compulsory school age runs from {when(start)} to {when(end)})"
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
    for who, child in children(facts):
        end = law.csa_end(child.date_of_birth)
        if end < end_of_period + timedelta(weeks=8) and end >= facts.dates.deemed_served:
            how_soon = "before" if end < end_of_period else "within 8 weeks of"
            yield (
                f"{who}: compulsory school age ends on {when(end)}, {how_soon} "
                f"{when(end_of_period)}: an order may not be expedient"
            )


@rule(
    "EHE103", "warning", (STATUTORY,), "Education Act 1996 s8(3) and s579 [NV]; brief section 4.1"
)
def leaving_date_edge_case(facts: Facts) -> Iterator[str]:
    """Warn when a 16th birthday falls in 1-7 September: confirm the school leaving date by hand."""
    for who, child in children(facts):
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
    if facts.inputs.period_days is not None and facts.inputs.period_days < minimum:
        yield (
            f"case.inputs.{facts.letter.inputs}.period_days is {facts.inputs.period_days}: the "
            f"period must be at least {minimum} days beginning with the day of service"
        )


@rule(
    "EHE107",
    "warning",
    ("s437-notice",),  # the s438 period is the Act's own 15 days: no longer period to choose
    "Education Act 1996 s437(2); brief check 25",
    needs_dates=True,
)
def small_margin(facts: Facts) -> Iterator[str]:
    """Warn when the date in a s437 notice is within 3 business days of the statutory minimum
    (the default policy period of 21 days leaves more, except around bank holidays)."""
    end, earliest = facts.dates.deadline, facts.dates.earliest_deadline
    margin = sum(
        law.is_business_day(earliest + timedelta(days=n), facts.nation)
        for n in range(1, (end - earliest).days + 1)
    )
    if margin < 3:
        yield (
            f"the period ends on {when(end)}, {margin} business day(s) after the end of the "
            f"statutory minimum ({when(earliest)}); consider a longer period to allow for "
            "delays in the post"
        )


@rule(
    "EHE123",
    "warning",
    (STATUTORY,),
    "Brief check 10 (each parent served, or a recorded reason); Education Act 1996 s576",
)
def parent_not_served(facts: Facts) -> Iterator[str]:
    """Warn of each parent recorded as not to be served (the reason itself is never shown)."""
    if facts.letter.addressed_to != "each-parent":
        return
    for index, parent in enumerate(facts.case.parents):
        if parent.not_served_reason:
            yield (
                f"case.parents[{index}] is not served this notice (the reason is recorded in "
                f"case.parents[{index}].not_served_reason)"
            )
