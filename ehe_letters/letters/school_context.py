"""The template context of a letter addressed to a school (``addressed_to = "school"``).

Such a letter goes to the school named in its inputs (``case.inputs.<inputs>.school``): to its
head teacher, by name, and to its governing body or the chair of governors
(``school_recipients`` in the letter's metadata).  It carries the case reference and no more
personal data than it needs: no parent's name or address, and of the child only the fields the
letter's metadata lists (``child_fields``).  A template that prints anything else fails with
the field's name (and ``ehe-letters check`` finds it first: EHE404).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.address_block import check_address_block
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.values import PathDict, dump, long_date
from ehe_letters.models import Authority, Case, EventType
from ehe_letters.models.school import PersonName, School

__all__ = ["CHILD_COMPUTED", "order_events", "school_addressee", "school_context"]

# The child's values a letter to a school may list in `child_fields` beyond the model's own.
CHILD_COMPUTED = ("age", "year_group")


def _recipient(role: str, school: School) -> tuple[str, str]:
    """How one recipient is named in the address block, and in the greeting."""
    if role == "head-teacher":
        head: PersonName = school.head_teacher  # required by the letter (`requires`)
        return f"{head.full_name}, Head Teacher", head.salutation_name
    if role == "governing-body":
        return "the Governing Body", "Governors"
    chair = school.chair_of_governors
    if chair is None:
        return "the Chair of Governors", "Chair of Governors"
    return f"{chair.full_name}, Chair of Governors", chair.salutation_name


def school_addressee(letter: Letter, school: School) -> dict[str, Any]:
    """The addressee block of a letter to a school: its recipients, the school's name and
    address (checked to fit the envelope window, at most 7 lines)."""
    if school.head_teacher is None and "head-teacher" in letter.school_recipients:
        raise InputError(
            f"case.inputs.{letter.inputs}.school.head_teacher: required by the {letter.id} "
            "letter but not given"
        )
    named = [_recipient(role, school) for role in letter.school_recipients]
    names = named[0][0]
    for name, _ in named[1:]:
        names += f", and {name}" if "," in names else f" and {name}"
    names = names[0].upper() + names[1:]
    greetings = [g for _, g in named]
    salutation = "Dear " + (
        greetings[0] if len(greetings) == 1 else ", ".join(greetings[:-1]) + " and " + greetings[-1]
    )
    lines = [school.name, *school.address.as_lines()]
    check_address_block(names, lines, f"case.inputs.{letter.inputs}.school.address")
    return {"names": names, "salutation": salutation, "address_lines": lines}


def order_events(case: Case, school: School, child: int, on_or_before: date) -> list:
    """The school attendance orders recorded as served naming a school (for a child), up to a
    date: one notice-served event per parent served."""
    return [
        e
        for e in case.history
        if e.type == EventType.NOTICE_SERVED
        and e.letter == "school-attendance-order"
        and e.school == school.name
        and (e.child is None or e.child == child)
        and e.date <= on_or_before
    ]


def _order(case: Case, inputs: Any, authority: Authority, letter_date: date) -> dict[str, Any]:
    """What a notice to the governing body says of the order: when it was served (as the law
    computes the day of service), the date it names for registration, and on whom (in words;
    never the parents' names)."""

    events = order_events(case, inputs.school, inputs.child, letter_date)
    if not events:
        raise InputError(
            f"case.history: no school attendance order naming {inputs.school.name} is recorded "
            "as served (rule EHE150)"
        )
    latest = max(events, key=lambda e: e.date)
    if latest.deadline is None or latest.method is None:
        raise InputError(
            "case.history: record the order's method of service and the date it names for "
            "registration (deadline) on its notice-served event (rule EHE151)"
        )
    served = law.deemed_service_date(
        latest.date, latest.method, authority.nation, statutory=True, delivered_at=latest.time
    )
    parents = {e.parent for e in events}
    return {
        "sent_on": long_date(latest.date),
        "served_on": long_date(served),
        "register_by": long_date(latest.deadline),
        "on_whom": "each of the child's parents" if len(parents) > 1 else "the child's parent",
    }


def _child(letter: Letter, case: Case, inputs: Any, letter_date: date) -> dict[str, Any]:
    """The child's values the letter may print, and no others."""

    child = case.children[inputs.child]
    values = dump(child, f"case.children[{inputs.child}]")
    on = getattr(inputs, "proposed_start", None) or letter_date
    computed = {
        "age": law.age_on(child.date_of_birth, on),
        "year_group": law.year_group(child.date_of_birth, on),
    }
    kept = {k: v for k, v in values.items() if k in letter.child_fields}
    kept |= {k: v for k, v in computed.items() if k in letter.child_fields}
    return PathDict(kept, values.path)


def school_context(
    letter: Letter,
    case: Case,
    authority: Authority,
    letter_date: date,
    shared: dict[str, Any],
) -> dict[str, Any]:
    """The context of a letter to a school: the authority's values (`shared`), the case
    reference, the school, the letter's inputs, the child's listed fields (and for the notice
    to a governing body, the order)."""

    inputs = getattr(case.inputs, letter.inputs)
    own = dump(inputs, f"case.inputs.{letter.inputs}")
    context = dict(shared)
    context |= {
        "case": PathDict({"reference": case.reference}, "case"),
        "addressee": school_addressee(letter, inputs.school),
        "school": own["school"],
        letter.inputs: own,
        "child": _child(letter, case, inputs, letter_date),
    }
    if letter.inputs == "governing_body_notice":
        context["order"] = _order(case, inputs, authority, letter_date)
    return context
