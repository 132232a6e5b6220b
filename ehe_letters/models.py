"""The case data model: the authority, the children, the parents, the history and the letter inputs.

Everything is validated by pydantic v2 with ``extra="forbid"`` so that a misspelt field is an
error, not a silently ignored value.  Dates are ISO 8601 in data (``2026-12-18``); the letters
print them in UK long form.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from email_validator.syntax import validate_email_local_part
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    computed_field,
    field_validator,
    model_validator,
)

from .catalogue import LETTER_IDS
from .law.service import ServiceMethod

__all__ = [
    "Authority",
    "Case",
    "CaseFile",
    "Child",
    "Event",
    "EventType",
    "LetterInputs",
    "Officer",
    "Parent",
    "PostalAddress",
    "School",
    "Service",
    "ServiceMethod",
    "Support",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Nation = Literal["england", "wales"]

# The shape of a UK postcode (outward code, space, inward code), including the special
# case GIR 0AA.  Shape only: whether the postcode exists is for the address file to say.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]"
    r"|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def _postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value.upper())
    if not _POSTCODE.match(compact):
        raise ValueError("not the shape of a UK postcode (e.g. 'CF10 1AA')")
    return f"{compact[:-3]} {compact[-3:]}"


def _web_address(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
        raise ValueError("not a web address starting with https://")
    return value


def _phone(value: str) -> str:
    digits = re.sub(r"[\s()+-]", "", value)
    if not digits.isdigit() or not 10 <= len(digits) <= 13:
        raise ValueError("not a UK telephone number")
    return value


@lru_cache(maxsize=4096)
def _email_domain(domain: str) -> str:
    """Validate and normalise an e-mail domain (cached: most addresses share a few domains)."""
    return validate_email(f"x@{domain}", check_deliverability=False).domain


def _email(value: str) -> str:
    """Validate an e-mail address with email-validator, checking each domain only once."""
    local, at, domain = value.strip().rpartition("@")
    if not at or not local:
        raise ValueError("not an e-mail address (it needs one @ with a name before it)")
    try:
        domain = _email_domain(domain)
        local = validate_email_local_part(local, allow_smtputf8=True)["local_part"]
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address: {exc}") from None
    return f"{local}@{domain}"


Email = Annotated[
    str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})
]
Postcode = Annotated[str, AfterValidator(_postcode)]
WebAddress = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_web_address)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class PostalAddress(_Model):
    """A UK postal address: street lines, town and postcode."""

    lines: list[Text] = Field(min_length=1, max_length=4, description="House and street lines")
    town: Text
    county: Text | None = None
    postcode: Postcode

    def as_lines(self) -> list[str]:
        """Return the address as printed in a window envelope, one line each."""
        return [
            *self.lines,
            self.town.upper(),
            *([self.county] if self.county else []),
            self.postcode,
        ]

    def key(self) -> tuple[str, str]:
        """Return a key that is equal for two spellings of the same address."""
        first = re.sub(r"[^a-z0-9]", "", self.lines[0].lower())
        return first, self.postcode


class Officer(_Model):
    """A named officer who signs letters or can be contacted."""

    name: Text
    role: Text
    phone: Phone | None = None
    email: Email | None = None


class Support(_Model):
    """What the authority offers home-educating families, in a sentence or two each."""

    exam_centres: Text = Field(description="How families can find an exam centre for GCSEs etc.")
    drop_in_sessions: Text
    forum_meetings: Text = Field(description="Meetings between the authority and home educators")
    networks: Text = Field(description="Local home-educator networks and groups")
    return_to_school: Text = Field(description="Help if the family wants the child to return")


class Authority(_Model):
    """The local authority sending the letters."""

    name: Text = Field(description="e.g. 'Glanmor County Council'")
    nation: Nation = "england"
    address: PostalAddress
    team_name: Text = Field(description="e.g. 'Elective Home Education Team'")
    phone: Phone
    email: Email
    website: WebAddress
    guidance_url: WebAddress = Field(description="The authority's online home-education guidance")
    complaints_url: WebAddress
    privacy_notice_url: WebAddress
    signatory: Officer = Field(description="The officer who signs ordinary letters")
    statutory_signatory: Officer = Field(
        description="The officer with delegated authority who signs statutory notices"
    )
    support: Support
    sao_form_confirmed: Text | None = Field(
        default=None,
        description="Who in legal services confirmed the form of the school attendance order, "
        "and when (no prescribed form was found); until set, orders carry a warning",
    )


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
    address: PostalAddress
    lives_with_child: bool = True
    preferred_language: Literal["en", "cy"] = "en"
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


LetterId = Literal[LETTER_IDS]  # the seven fixed ids, as listed in catalogue.py


class Event(_Model):
    """One dated entry in the case history."""

    type: EventType
    date: date
    letter: LetterId | None = Field(default=None, description="For notice-served events")
    method: ServiceMethod | None = None
    parent: int | None = Field(default=None, ge=0, description="Index into parents, if one")
    deadline: date | None = Field(default=None, description="Date named in a notice served")
    outcome: Literal["satisfied", "not-satisfied"] | None = None
    expedient: bool | None = Field(default=None, description="SAO expedient, for decisions")
    school: Text | None = None
    summary: Text | None = Field(default=None, description="Plain words; no sensitive detail")


class School(_Model):
    """A school named in a notice of intention or a school attendance order."""

    name: Text
    address: PostalAddress
    maintained: bool = True
    admissions_contact: Text | None = None
    consulted_on: date | None = Field(default=None, description="Governing body consulted (s439)")


class Service(_Model):
    """How a notice is to be served, and when it is sent."""

    method: ServiceMethod = ServiceMethod.FIRST_CLASS_POST
    sent_on: date | None = Field(default=None, description="Defaults to the letter date")


class VisitSlot(_Model):
    start: datetime


class InformationRequestInputs(_Model):
    reason: Literal["annual", "change-of-circumstances", "specific-question"] = "annual"
    detail: Text | None = Field(default=None, description="Plain words on why we write now")
    reply_by: date | None = Field(default=None, description="A requested date, not statutory")


class ConcernInputs(_Model):
    summary: Text = Field(
        description="The specific concern, in plain words, detailed enough to answer"
    )
    source: Text | None = Field(
        default=None, description="Where it came from, as far as disclosable"
    )
    raised_on: date
    reply_by: date | None = None


class VisitInputs(_Model):
    proposed: list[VisitSlot] = Field(
        min_length=1, description="Suggested dates; parent may choose"
    )
    venue: Text = Field(description="e.g. 'your home, or a library or other place you prefer'")
    attendees: list[Officer] = Field(min_length=1)
    reply_by: date | None = None


class S437Inputs(_Model):
    reasons: list[Text] = Field(
        min_length=1, description="Why it appears education is not suitable"
    )
    period_days: int = Field(
        default=15, ge=1, description="Days in the period; never fewer than the statutory 15"
    )
    service: Service = Service()


class SaoIntentionInputs(_Model):
    school: School
    alternatives: list[School] = []
    expedient_reasons: Text
    period_days: int = Field(
        default=15, ge=1, description="Days to choose a school; never fewer than the statutory 15"
    )
    service: Service = Service()


class SchoolAttendanceOrderInputs(_Model):
    school: School
    register_by: date
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

    reference: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")]
    children: list[Child] = Field(min_length=1)
    parents: list[Parent] = Field(min_length=1)
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
