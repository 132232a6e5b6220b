"""One family's case: the children, the parents, the history and the inputs each letter needs.

Everything is validated by pydantic v2 with ``extra="forbid"`` so that a misspelt field is an
error, not a silently ignored value.  Dates are ISO 8601 in data (``2026-12-18``); the letters
print them in UK long form.
"""

from __future__ import annotations

from datetime import date, datetime
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
from ehe_letters.models.authority import (
    Authority,
    HomeAddress,
    Officer,
    OfficerId,
    PostalAddress,
)
from ehe_letters.models.fields import Email, Phone, Reference, Text, _Model

__all__ = [
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
    reason_for_home_education: Text | None = None
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


LetterId = Literal[LETTER_IDS]  # the seven fixed ids, as listed in letters/catalogue.py


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
    deadline: date | None = Field(default=None, description="Date named in a notice served")
    outcome: Literal["satisfied", "not-satisfied"] | None = None
    expedient: bool | None = Field(default=None, description="SAO expedient, for decisions")
    school: Text | None = None
    summary: Text | None = Field(default=None, description="Plain words; no sensitive detail")


# Maintained by a local authority within Education Act 1996 s437(8): community, foundation and
# voluntary schools, and community or foundation special schools.  An Academy (a free school is
# one) is not; its duty to admit comes from its funding agreement.
_MAINTAINED = (
    "community",
    "foundation",
    "voluntary-aided",
    "voluntary-controlled",
    "community-special",
    "foundation-special",
)
_ACADEMIES = ("academy", "free-school")
SchoolType = Literal[(*_MAINTAINED, *_ACADEMIES, "independent", "other")]
MAINTAINED_TYPES = frozenset(_MAINTAINED)
ACADEMY_TYPES = frozenset(_ACADEMIES)


class AgeRange(_Model):
    """The youngest and oldest age (in whole years) of the pupils a school takes."""

    youngest: int = Field(ge=2, le=19)
    oldest: int = Field(ge=2, le=19)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.oldest < self.youngest:
            raise ValueError("oldest is below youngest")
        return self


class School(_Model):
    """A school named in a notice of intention or a school attendance order."""

    name: Text
    address: PostalAddress
    type: SchoolType = Field(
        description="What kind of school it is; 'maintained' (s437(8)) is derived from it"
    )
    admissions_contact: Text | None = None
    consulted_on: date | None = Field(default=None, description="Governing body consulted (s439)")
    age_range: AgeRange | None = Field(
        default=None, description="The ages the school takes, when known (e.g. 11 to 16)"
    )

    @computed_field
    @property
    def maintained(self) -> bool:
        """A maintained school within s437(8) (its governing body must admit: s437(6))."""
        return self.type in MAINTAINED_TYPES

    @computed_field
    @property
    def academy(self) -> bool:
        """An Academy or free school: not maintained; its funding agreement governs admission."""
        return self.type in ACADEMY_TYPES


class Service(_Model):
    """How a notice is to be served, and when it is sent."""

    method: ServiceMethod = ServiceMethod.FIRST_CLASS_POST
    sent_on: date | None = Field(default=None, description="Defaults to the letter date")


class VisitSlot(_Model):
    start: datetime


class InformationRequestInputs(_Model):
    reason: Literal["annual", "change-of-circumstances", "specific-question"] = "annual"
    detail: Text | None = Field(default=None, description="Plain words on why we write now")
    detail_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")
    reply_by: date | None = Field(default=None, description="A requested date, not statutory")


class ConcernInputs(_Model):
    summary: Text = Field(
        description="The specific concern, in plain words, detailed enough to answer"
    )
    summary_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")
    source: Text | None = Field(
        default=None, description="Where it came from, as far as disclosable"
    )
    source_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")
    raised_on: date
    reply_by: date | None = None


class VisitInputs(_Model):
    proposed: list[VisitSlot] = Field(
        min_length=1, description="Suggested dates; parent may choose"
    )
    venue: Text = Field(description="e.g. 'your home, or a library or other place you prefer'")
    venue_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")
    attendees: list[Officer] = Field(min_length=1)
    reply_by: date | None = None


class S437Inputs(_Model):
    reasons: list[Text] = Field(
        min_length=1, description="Why it appears education is not suitable"
    )
    reasons_cy: list[Text] | None = Field(
        default=None, description="The same reasons in Welsh, in the same order (Welsh letters)"
    )
    period_days: int | None = Field(
        default=None,
        ge=1,
        description="Days in the period; never fewer than the statutory 15 (default: the "
        "authority's policy, authority.policy.s437_period_days)",
    )
    service: Service = Service()


class SaoIntentionInputs(_Model):
    school: School
    alternatives: list[School] = []
    expedient_reasons: Text
    expedient_reasons_cy: Text | None = Field(
        default=None, description="The same in Welsh (Welsh letters)"
    )
    period_days: int = Field(
        default=15, ge=1, description="Days to choose a school; never fewer than the statutory 15"
    )
    service: Service = Service()


class SchoolAttendanceOrderInputs(_Model):
    school: School
    register_by: date | None = Field(
        default=None,
        description="The date by which the child must be registered at the school (default, "
        "and never earlier than: the authority's policy, authority.policy.sao_register_days "
        "days beginning with the day the order is served)",
    )
    service: Service = Service()


class LetterInputs(_Model):
    """The inputs particular letters need; a letter refuses to render without its own."""

    information_request: InformationRequestInputs | None = None
    concern: ConcernInputs | None = None
    visit: VisitInputs | None = None
    s437: S437Inputs | None = None
    sao_intention: SaoIntentionInputs | None = None
    school_attendance_order: SchoolAttendanceOrderInputs | None = None


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
