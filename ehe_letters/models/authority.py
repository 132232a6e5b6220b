"""The local authority sending the letters: its address, officers and the support it offers."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import Field, PrivateAttr, StringConstraints, model_validator

from ehe_letters.models.fields import Email, Nation, Phone, Postcode, Text, WebAddress, _Model

__all__ = [
    "Authority",
    "Closure",
    "HomeAddress",
    "Officer",
    "OfficerId",
    "Policy",
    "PostalAddress",
    "Support",
]

# An officer's id in authority.officers, as case.officer names it: short, no spaces.
OfficerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]


class PostalAddress(_Model):
    """A UK postal address: street lines, town and postcode."""

    lines: list[Text] = Field(min_length=1, max_length=4, description="House and street lines")
    town: Text
    county: Text | None = None
    postcode: Postcode

    def as_lines(self) -> list[str]:
        """Return the address as printed in a window envelope, one line each (the post town in
        capitals; without a town, the last line is the post town)."""
        lines, town = (self.lines, self.town) if self.town else (self.lines[:-1], self.lines[-1])
        return [
            *lines,
            town.upper(),
            *([self.county] if self.county else []),
            self.postcode,
        ]

    def key(self) -> tuple[str, str]:
        """Return a key that is equal for two spellings of the same address."""
        first = re.sub(r"[^a-z0-9]", "", self.lines[0].lower())
        return first, self.postcode


class HomeAddress(PostalAddress):
    """A parent's address: `town` may be left out when the last of the lines is the post town
    (exports often put the town in whichever address line comes last)."""

    town: Text | None = Field(  # type: ignore[assignment]
        default=None, description="The post town (default: the last of the lines)"
    )

    @model_validator(mode="after")
    def _town_or_lines(self) -> HomeAddress:
        if self.town is None and len(self.lines) < 2:
            raise ValueError(
                "give address.town, or the post town as the last of at least two lines"
            )
        return self


class Officer(_Model):
    """A named officer who signs letters or can be contacted."""

    name: Text
    role: Text
    role_cy: Text | None = Field(default=None, description="The role in Welsh (Welsh letters)")
    phone: Phone | None = None
    email: Email | None = None


class Support(_Model):
    """What the authority offers home-educating families, in a sentence or two each."""

    exam_centres: Text = Field(description="How families can find an exam centre for GCSEs etc.")
    drop_in_sessions: Text
    forum_meetings: Text = Field(description="Meetings between the authority and home educators")
    networks: Text = Field(description="Local home-educator networks and groups")
    return_to_school: Text = Field(description="Help if the family wants the child to return")
    exam_centres_cy: Text | None = Field(default=None, description="Each in Welsh (Welsh letters)")
    drop_in_sessions_cy: Text | None = None
    forum_meetings_cy: Text | None = None
    networks_cy: Text | None = None
    return_to_school_cy: Text | None = None


class Admissions(_Model):
    """The admissions team families apply to for a school place (the return-to-school letter)."""

    team: Text = Field(description="e.g. 'School Admissions Team'")
    team_cy: Text | None = Field(
        default=None, description="The team's name in Welsh (Welsh letters; default: team)"
    )
    phone: Phone | None = None
    email: Email | None = None
    website: WebAddress | None = Field(
        default=None, description="Where in-year applications are made"
    )


class Policy(_Model):
    """The authority's own periods (policy, not law); unset: the toolkit's documented defaults
    in ehe_letters/law/parameters/policy_periods.yaml."""

    s437_period_days: int | None = Field(
        default=None,
        ge=15,
        le=90,
        description="The period a s437(1) notice gives, in days beginning with the day of "
        "service (default 21; section 437(2) requires at least 15)",
    )
    sao_register_days: int | None = Field(
        default=None,
        ge=1,
        le=90,
        description="The least time a school attendance order gives to register the child, in "
        "days beginning with the day the order is served (default 15)",
    )
    next_contact_months: int | None = Field(
        default=None,
        ge=1,
        le=24,
        description="How long after finding that the education appears suitable we may next "
        "get in touch, in months (default 12)",
    )


class Closure(_Model):
    """Days the office is closed (e.g. 24 December to 1 January): no date a letter names for a
    reply or the end of a period falls in one."""

    from_: date = Field(alias="from", description="The first day closed")
    to: date = Field(description="The last day closed")
    note: Text | None = Field(default=None, description="e.g. 'Christmas closure'")

    @model_validator(mode="after")
    def _ordered(self) -> Closure:
        if self.to < self.from_:
            raise ValueError("'to' is before 'from'")
        if (self.to - self.from_).days > 31:
            raise ValueError("a closure is at most 32 days long")
        return self


class Authority(_Model):
    """The local authority sending the letters."""

    name: Text = Field(description="e.g. 'Glanmor County Council'")
    name_cy: Text | None = Field(
        default=None, description="The authority's name in Welsh, e.g. 'Cyngor Sir Glanmor'"
    )
    nation: Nation = "england"
    welsh_language_standards: bool = Field(
        default=False,
        description="The Welsh Language Standards (No. 1) Regulations 2015 apply (Welsh county "
        "and county borough councils): letters go in Welsh, English or both as each parent chose",
    )
    address: PostalAddress
    team_name: Text = Field(description="e.g. 'Elective Home Education Team'")
    team_name_cy: Text | None = Field(default=None, description="The team's name in Welsh")
    phone: Phone
    email: Email
    website: WebAddress
    guidance_url: WebAddress = Field(description="The authority's online home-education guidance")
    complaints_url: WebAddress
    privacy_notice_url: WebAddress
    signatory: Officer = Field(description="The officer who signs ordinary letters")
    statutory_signatory: Officer = Field(
        description="The officer with delegated authority who signs statutory notices; the role "
        "says what is delegated, e.g. 'Head of Inclusion (delegated authority under sections 437 "
        "to 443 of the Education Act 1996)'"
    )
    officers: dict[OfficerId, Officer] = Field(
        default={},
        description="The team's named officers by id (e.g. 'pnatarajan'); a case's officer "
        "(case.officer) is the contact on its letters and signs its informal letters",
    )
    logo: Text | None = Field(
        default=None,
        description="The authority's logo for the letterhead: a PNG or JPEG file (at most 2 MB), "
        "relative to the authority file (or to the case file when the authority is inline)",
    )
    support: Support
    policy: Policy = Field(default=Policy(), description="The authority's own periods")
    admissions: Admissions | None = Field(
        default=None, description="The admissions team, named in the return-to-school letter"
    )
    closures: list[Closure] = Field(
        default=[], description="Date ranges the office is closed (reply dates avoid them)"
    )
    sao_form_confirmed: Text | None = Field(
        default=None,
        description="Who in legal services confirmed the form of the school attendance order, "
        "and when (no prescribed form was found); until set, orders carry a warning",
    )

    # The checked logo image (ehe_letters.docx.logo.Logo), read once by models/loading.py.
    _logo_image: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _standards_in_wales(self) -> Authority:
        if self.welsh_language_standards and self.nation != "wales":
            raise ValueError(
                "welsh_language_standards: the Welsh Language Standards bind Welsh authorities "
                "only (nation: wales)"
            )
        return self

    @property
    def logo_image(self) -> Any:
        """The logo read from `logo` (None until loaded, or without a logo)."""
        return self._logo_image

    def contact(self, officer: str | None) -> Officer:
        """The contact officer for a case: its officer (an id in `officers`), else the
        officer who signs ordinary letters.  An unknown id is a KeyError."""
        return self.officers[officer] if officer is not None else self.signatory
