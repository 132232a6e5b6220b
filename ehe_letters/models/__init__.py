"""The case data model (pydantic v2, ``extra="forbid"``): the authority, children, parents,
history and letter inputs.

`fields.py` (validated field types), `authority.py`, `case.py`; `loading.py` reads case and
authority files into them, and `schema.py` turns them into the JSON Schema in `schemas/`.
"""

from ehe_letters.law.service import ServiceMethod
from ehe_letters.models.authority import Authority, Officer, PostalAddress, Support
from ehe_letters.models.case import (
    Case,
    CaseFile,
    Child,
    Event,
    EventType,
    LetterId,
    LetterInputs,
    Parent,
    School,
    Service,
)

__all__ = [
    "Authority",
    "Case",
    "CaseFile",
    "Child",
    "Event",
    "EventType",
    "LetterId",
    "LetterInputs",
    "Officer",
    "Parent",
    "PostalAddress",
    "School",
    "Service",
    "ServiceMethod",
    "Support",
]
