"""One family's case: the children, the parents, the history and the inputs each letter needs.

Everything is validated by pydantic v2 with ``extra="forbid"`` so that a misspelt field is an
error, not a silently ignored value.  Dates are ISO 8601 in data (``2026-12-18``); the letters
print them in UK long form.
"""

from __future__ import annotations

from datetime import date
from datetime import time as dt_time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from ehe_letters.law.service import ServiceMethod
from ehe_letters.letters.catalogue import LETTER_IDS
from ehe_letters.models.authority import Authority, HomeAddress, OfficerId
from ehe_letters.models.fields import Email, Phone, Reference, Text, _Model
from ehe_letters.models.inputs import (
    ACADEMY_TYPES,
    MAINTAINED_TYPES,
    AgeRange,
    LetterInputs,
    School,
    Service,
)

__all__ = [
    "ACADEMY_TYPES",
    "MAINTAINED_TYPES",
    "AgeRange",
    "Case",
    "CaseFile",
    "Child",
    "Event",
    "EventType",
    "LetterId",
    "LetterInputs",
    "Parent",
    "School",
    "Service",
    "officer_problem",
]


def _reason_codes() -> dict[str, frozenset[str]]:
    """The categories of reason_for_home_education in force today, by nation."""
    from ehe_letters import law

    latest = law.parameter_spec("home_education_reasons")["values"]
    return {nation: frozenset(codes) for nation, codes in latest[max(latest)].items()}


REASON_CODES = _reason_codes()
ReasonCode = Literal[tuple(sorted(set().union(*REASON_CODES.values())))]


class Child(_Model):
    """A child whose education the letter is about."""

    given_names: Text
    family_name: Text
    date_of_birth: date
    school_last_attended: Text | None = None
    removed_from_roll_on: date | None = None
    how_we_heard: Text | None = Field(
        default=None, description="e.g. 'the school told us it had removed Alex from its roll'"
    )
    how_we_heard_cy: Text | None = Field(default=None, description="The same in Welsh")
    special_school: bool = Field(default=False, description="Last school was a special school")
    reason_for_home_education: ReasonCode | None = Field(
        default=None,
        description="The primary reason, as a category of the national data collection "
        "(England: the DfE's; Wales: the Welsh Government's; law/parameters/"
        "home_education_reasons.yaml); for the register's counts, never printed in a letter",
    )
    has_ehc_plan: bool = Field(
        default=False, description="England: EHC plan; Wales: individual development plan (IDP)"
    )
    plan_names_school: Text | None = Field(
        default=None, description="The school named in the EHC plan or IDP, if any"
    )
    views: Text | None = Field(default=None, description="The child's own views, if given")

    @computed_field
    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @field_validator("date_of_birth")
    @classmethod
    def _born_in_the_past(cls, value: date) -> date:
        if value >= date.today():
            raise ValueError("the date of birth is not in the past")
        return value

    @model_validator(mode="after")
    def _removed_after_birth(self) -> Child:
        if self.removed_from_roll_on and self.removed_from_roll_on <= self.date_of_birth:
            raise ValueError("removed_from_roll_on is before the date of birth")
        return self


class Parent(_Model):
    """A parent within section 576 of the Education Act 1996 (includes carers and PR holders)."""

    title: Text | None = Field(default=None, description="Ms, Mr, Mx, Dr ... (optional)")
    given_names: Text
    family_name: Text
    relationship: Literal[
        "mother", "father", "parent", "step-parent", "carer", "guardian", "other"
    ] = "parent"
    has_parental_responsibility: bool = True
    address: HomeAddress
    lives_with_child: bool = True
    not_served_reason: Text | None = Field(
        default=None,
        description="Why no statutory notice is served on this parent (recorded, printed in no "
        "letter; the notices go to the other parents, with a warning: EHE123)",
    )
    withhold_child_address: bool = Field(
        default=False,
        description="No letter to this parent shows the child's address or another parent's "
        "(e.g. a court order or a safeguarding reason; the reason is not recorded here)",
    )
    receives_informal_letters: bool = Field(
        default=False,
        description="Informal letters go to the parents who live with the child; true sends "
        "them to this parent too (statutory notices go to every parent in any case)",
    )
    preferred_language: Literal["en", "cy", "unknown"] | None = Field(
        default=None,
        description="The language this parent asked to be written to in: 'cy' (Welsh), 'en' "
        "(English) or 'unknown' (not asked yet). Default: 'unknown' for an authority bound by the "
        "Welsh Language Standards (authority.welsh_language_standards), else 'en'",
    )
    email: Email | None = None
    phone: Phone | None = None

    @computed_field
    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.given_names, self.family_name) if p)


class EventType(StrEnum):
    """The kinds of event a case history records."""

    NOTIFIED = "notified"  # the authority learnt of the child (e.g. a deletion return)
    INFORMAL_ENQUIRY = "informal-enquiry"
    REPLY_RECEIVED = "reply-received"
    CONCERN_RAISED = "concern-raised"
    VISIT_OFFERED = "visit-offered"
    NOTICE_SERVED = "notice-served"
    DECISION = "decision"
    SCHOOL_CONSULTED = "school-consulted"
    PARENT_CHOSE_SCHOOL = "parent-chose-school"
    SCHOOL_INFORMED = "school-informed"  # s437(5): governing body and head teacher told of an order
    AMENDMENT_REQUESTED = "amendment-requested"  # s440(2)(c): offered a place, asked to substitute
    REVOCATION_REQUESTED = "revocation-requested"  # s442: the parent applied to revoke an order
    REVOCATION_DECISION = "revocation-decision"  # s442: outcome revoked or refused
    SCHOOL_CHALLENGED = "school-challenged"  # we wrote to the school the child left (off-rolling)


# The outcomes each kind of decision can record.
OUTCOMES = {
    EventType.DECISION: ("satisfied", "not-satisfied"),
    EventType.REVOCATION_DECISION: ("revoked", "refused"),
}


LetterId = Literal[LETTER_IDS]  # the fixed ids, as listed in letters/catalogue.py


class Event(_Model):
    """One dated entry in the case history."""

    type: EventType
    date: Annotated[
        date,
        Field(
            description="The day it happened; for a notice served, the day it was posted, "
            "handed over or left at the address (the day of service is computed from it)"
        ),
    ]
    time: dt_time | None = Field(
        default=None,
        description="For a notice handed over: the time (HH:MM); at or after the cut-off it is "
        "served the next business day",
    )
    letter: LetterId | None = Field(default=None, description="For notice-served events")
    method: ServiceMethod | None = None
    parent: int | None = Field(default=None, ge=0, description="Index into parents, if one")
    child: int | None = Field(
        default=None,
        ge=0,
        description="Index into children: the child an order or a letter to a school was about "
        "(when the case has several)",
    )
    deadline: date | None = Field(default=None, description="Date named in a notice served")
    outcome: Literal["satisfied", "not-satisfied", "revoked", "refused"] | None = Field(
        default=None,
        description="For a decision: satisfied or not-satisfied; for a revocation-decision: "
        "revoked or refused",
    )
    expedient: bool | None = Field(default=None, description="SAO expedient, for decisions")
    school: Text | None = None
    summary: Text | None = Field(default=None, description="Plain words; no sensitive detail")

    @model_validator(mode="after")
    def _outcome_fits(self) -> Event:
        allowed = OUTCOMES.get(self.type, ())
        if self.outcome is not None and self.outcome not in allowed:
            kinds = " or ".join(allowed) if allowed else "none"
            raise ValueError(f"a {self.type} event's outcome is {kinds}, not {self.outcome}")
        if self.type == EventType.REVOCATION_DECISION and self.outcome is None:
            raise ValueError("a revocation-decision event records its outcome: revoked or refused")
        return self


class Case(_Model):
    """One family's case: the children, their parents, what has happened so far."""

    reference: Reference
    children: list[Child] = Field(min_length=1)
    parents: list[Parent] = Field(min_length=1)
    officer: OfficerId | None = Field(
        default=None,
        description="The id of the case's officer in authority.officers: the contact on its "
        "letters (and who signs the informal ones); default: the authority's signatory",
    )
    history: list[Event] = []
    inputs: LetterInputs = LetterInputs()

    @model_validator(mode="after")
    def _parent_indexes_exist(self) -> Case:
        for event in self.history:
            if event.parent is not None and event.parent >= len(self.parents):
                raise ValueError(
                    f"history event refers to parent {event.parent}, which is not listed"
                )
            if event.child is not None and event.child >= len(self.children):
                raise ValueError(
                    f"history event refers to child {event.child}, which is not listed"
                )
        for name in ("governing_body_notice", "s439_consultation", "off_rolling_challenge"):
            own = getattr(self.inputs, name)
            if own is not None and own.child >= len(self.children):
                raise ValueError(
                    f"inputs.{name}.child ({own.child}) is not the index of a child in children"
                )
        return self


class CaseFile(_Model):
    """A case file: the authority (inline or from --authority) and one case."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: str | None = Field(default=None, alias="$schema", description="Editor hint; ignored")
    authority: Authority | Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The authority, or the path of an authority file relative to this file"
    )
    case: Case

    @model_validator(mode="after")
    def _reasons_of_the_nation(self) -> CaseFile:
        if not isinstance(self.authority, Authority):
            return self
        codes = REASON_CODES[self.authority.nation]
        for index, child in enumerate(self.case.children):
            code = child.reason_for_home_education
            if code is not None and code not in codes:
                error = PydanticCustomError(
                    "reason_category",
                    "not a category of the data collection for {nation}; choose one of: {codes}",
                    {"nation": self.authority.nation, "codes": ", ".join(sorted(codes))},
                )
                raise ValidationError.from_exception_data(
                    type(self).__name__,
                    [
                        InitErrorDetails(
                            type=error,
                            loc=("case", "children", index, "reason_for_home_education"),
                            input=code,
                        )
                    ],
                )
        return self

    @model_validator(mode="after")
    def _officer_known(self) -> CaseFile:
        problem = officer_problem(self.case, self.authority)
        if problem:
            error = PydanticCustomError("unknown_officer", problem)
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [InitErrorDetails(type=error, loc=("case", "officer"), input=self.case.officer)],
            )
        return self


def officer_problem(case: Case, authority: Authority | str) -> str | None:
    """What is wrong with case.officer for this authority (None: nothing).  Never the value."""
    if case.officer is None or not isinstance(authority, Authority):
        return None
    if case.officer not in authority.officers:
        return "not the id of one of the authority's officers (authority.officers)"
    return None
