"""The inputs particular letters need (``case.inputs``); the schools they name are in
models/school.py.

A letter declares the inputs it needs in its metadata (``requires``); each is validated here
with ``extra="forbid"``.  Facts that belong to the case history (a notice served, a decision,
an application) are events (models/case.py), never inputs: the letters read them from there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from ehe_letters.law.service import ServiceMethod
from ehe_letters.models.authority import Officer
from ehe_letters.models.fields import Text, _Model
from ehe_letters.models.school import (  # the schools a letter names, and the letters to schools
    ACADEMY_TYPES,
    MAINTAINED_TYPES,
    AgeRange,
    GoverningBodyNoticeInputs,
    OffRollingChallengeInputs,
    S439ConsultationInputs,
    School,
)

__all__ = [
    "ACADEMY_TYPES",
    "MAINTAINED_TYPES",
    "AgeRange",
    "LetterInputs",
    "School",
    "Service",
]


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


class EducationAppearsSuitableInputs(_Model):
    information_received: list[Text] = Field(
        default=[],
        description="What we received and considered, in plain words and without saying who "
        "sent it (e.g. 'a written outline of the education, received in October')",
    )
    information_received_cy: list[Text] | None = Field(
        default=None, description="The same in Welsh, in the same order (Welsh letters)"
    )
    next_contact: date | None = Field(
        default=None,
        description="When we may next get in touch (default: the authority's policy, "
        "authority.policy.next_contact_months after the letter date)",
    )


class S437DecisionInputs(_Model):
    """The words of a decision on a s437 notice; the outcome is the decision event recorded."""

    information_considered: list[Text] = Field(
        default=[], description="What we received and considered, in plain words"
    )
    information_considered_cy: list[Text] | None = Field(
        default=None, description="The same in Welsh, in the same order (Welsh letters)"
    )
    information_not_received: list[Text] = Field(
        default=[], description="What we asked for and did not receive, in plain words"
    )
    information_not_received_cy: list[Text] | None = Field(
        default=None, description="The same in Welsh, in the same order (Welsh letters)"
    )
    reasons: list[Text] = Field(
        default=[],
        description="Why we are not satisfied, in plain words (required when the decision "
        "recorded is not-satisfied: rule EHE143)",
    )
    reasons_cy: list[Text] | None = Field(
        default=None, description="The same reasons in Welsh, in the same order (Welsh letters)"
    )
    service: Service = Service()


class SaoRevocationDecisionInputs(_Model):
    """The words of a decision on an application to revoke an order (s442); the outcome is the
    revocation-decision event recorded."""

    arrangements: Text = Field(
        description="The arrangements for education otherwise than at school described in the "
        "application, in plain words"
    )
    arrangements_cy: Text | None = Field(
        default=None, description="The same in Welsh (Welsh letters)"
    )
    reasons: list[Text] = Field(
        default=[],
        description="Why no satisfactory arrangements appear to have been made (required when "
        "the decision recorded is refused: rule EHE145)",
    )
    reasons_cy: list[Text] | None = Field(
        default=None, description="The same reasons in Welsh, in the same order (Welsh letters)"
    )
    service: Service = Service()


class SaoAmendmentInputs(_Model):
    school: School = Field(description="The school the amended order names instead")
    reason: Literal["parent-request", "plan-names-school"] = Field(
        default="parent-request",
        description="parent-request: the parent was offered a place and asked us to substitute "
        "the school (s440; an amendment-requested event); plan-names-school: the child's EHC "
        "plan or IDP now names it (s441, s441A)",
    )
    register_by: date | None = Field(
        default=None,
        description="The date by which the child must be registered at the new school "
        "(default, and never earlier than: authority.policy.sao_register_days days beginning "
        "with the day the amendment is served)",
    )
    service: Service = Service()


class ReturnToSchoolInputs(_Model):
    year_group: Text | None = Field(
        default=None, description="The year group the child would join, e.g. 'Year 8'"
    )
    year_group_cy: Text | None = Field(
        default=None, description="The same in Welsh, e.g. 'Blwyddyn 8' (Welsh letters)"
    )
    schools_mentioned: list[Text] = Field(
        default=[], description="Schools the family has mentioned, if any"
    )
    schools_mentioned_cy: list[Text] | None = Field(
        default=None,
        description="Their Welsh names, in the same order (Welsh letters; default: the names "
        "as given)",
    )
    note: Text | None = Field(default=None, description="Anything else to say, in plain words")
    note_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")


class SaoNonComplianceInputs(_Model):
    summary: Text = Field(
        description="What shows the order has not been complied with, in plain words (e.g. "
        "'Harbour Academy told us on 4 January 2027 that Poppy is not on its roll')"
    )
    summary_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")
    reply_by: date | None = Field(
        default=None,
        description="The date by which to register the child or contact us (default: the "
        "authority's policy, 10 business days)",
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
    governing_body_notice: GoverningBodyNoticeInputs | None = None
    s439_consultation: S439ConsultationInputs | None = None
    off_rolling_challenge: OffRollingChallengeInputs | None = None
    education_appears_suitable: EducationAppearsSuitableInputs | None = None
    s437_decision: S437DecisionInputs | None = None
    sao_revocation_decision: SaoRevocationDecisionInputs | None = None
    sao_amendment: SaoAmendmentInputs | None = None
    return_to_school: ReturnToSchoolInputs | None = None
    sao_non_compliance: SaoNonComplianceInputs | None = None
