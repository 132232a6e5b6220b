"""Field types shared by the models: validated text, postcodes, e-mail, telephone, web addresses."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from email_validator.syntax import validate_email_local_part
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, WithJsonSchema

__all__ = ["REFERENCE", "Email", "Nation", "Phone", "Postcode", "Reference", "Text", "WebAddress"]

# A case reference: it also names the letters' files (see letters/produce.py output_names).
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Nation = Literal["england", "wales"]
Reference = Annotated[str, StringConstraints(pattern=REFERENCE.pattern)]

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
