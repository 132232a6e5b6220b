"""Schools: a school named in a notice or an order, and the inputs of the letters addressed to
a school (the s437(5) notice to its governing body, the s439 consultation, the challenge to a
school the child left).

A letter to a school carries the case reference and no more personal data than it needs: the
inputs name the child by index (``child``), and each letter's metadata lists the child's
fields it may print (``child_fields`` in ``templates/<id>.toml``); no parent's name or address
reaches its template.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, computed_field, model_validator

from ehe_letters.models.authority import PostalAddress
from ehe_letters.models.fields import Text, _Model

__all__ = [
    "ACADEMY_TYPES",
    "MAINTAINED_TYPES",
    "AgeRange",
    "GoverningBodyNoticeInputs",
    "OffRollingChallengeInputs",
    "PersonName",
    "S439ConsultationInputs",
    "School",
    "SchoolType",
]

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


class PersonName(_Model):
    """A named person at a school (its head teacher, the chair of its governing body)."""

    title: Text | None = Field(default=None, description="Ms, Mr, Mx, Dr ... (optional)")
    given_names: Text
    family_name: Text

    @computed_field
    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.given_names, self.family_name) if p)

    @computed_field
    @property
    def salutation_name(self) -> str:
        """How a letter greets them: 'Ms Carter', or 'Jane Carter' without a title."""
        first = self.title or self.given_names
        return f"{first} {self.family_name}"


class School(_Model):
    """A school named in a notice of intention or a school attendance order, or written to."""

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
    head_teacher: PersonName | None = Field(
        default=None, description="The head teacher (needed for a letter addressed to the school)"
    )
    chair_of_governors: PersonName | None = Field(
        default=None, description="The chair of the governing body, when known"
    )
    preferred_language: Literal["en", "cy", "unknown"] | None = Field(
        default=None,
        description="The language the school (its governing body and head teacher) asked to be "
        "written to in, for a letter addressed to it: 'cy' (Welsh), 'en' (English) or 'unknown' "
        "(not asked yet). Default: 'unknown' for an authority bound by the Welsh Language "
        "Standards (authority.welsh_language_standards), else 'en'",
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


class _SchoolLetterInputs(_Model):
    school: School
    child: int = Field(
        default=0, ge=0, description="Index into case.children: the child the letter is about"
    )


class GoverningBodyNoticeInputs(_SchoolLetterInputs):
    """s437(5): telling the governing body and head teacher of the school named in an order.
    The order itself (when served, the date to register by) comes from the case history."""


class S439ConsultationInputs(_SchoolLetterInputs):
    """s439 [NV]: consulting a school before naming it in a notice of intention (s438)."""

    proposed_start: date = Field(
        description="The date from which the child would be a registered pupil if an order "
        "named the school (the child's age and year group are given on this date)"
    )
    reply_by: date = Field(description="The date by which we ask the school to reply")

    @model_validator(mode="after")
    def _reply_before_start(self) -> S439ConsultationInputs:
        if self.reply_by >= self.proposed_start:
            raise ValueError("reply_by must be before proposed_start")
        return self


class OffRollingChallengeInputs(_SchoolLetterInputs):
    """To the head teacher and chair of governors of the school the child left, when we have
    reason to think the family was pressed or misinformed into removing the child."""

    concern: Text = Field(
        description="What we have reason to think happened, in plain words (no more detail "
        "about the family than the school needs to answer)"
    )
    concern_cy: Text | None = Field(default=None, description="The same in Welsh (Welsh letters)")
    asks: list[Text] = Field(min_length=1, description="What we ask the school to do")
    asks_cy: list[Text] | None = Field(
        default=None,
        min_length=1,
        description="The same asks in Welsh, in the same order (Welsh letters)",
    )
    reply_by: date = Field(description="The date by which we ask the school to reply")
    family_agreed: bool = Field(
        default=False,
        description="The family agreed that we may raise what they told us with the school "
        "(rule EHE156 warns until this is recorded)",
    )
