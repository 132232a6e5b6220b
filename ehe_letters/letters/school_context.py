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
from typing import Any, NamedTuple

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.address_block import check_address_block
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.values import PathDict, dump, long_date
from ehe_letters.letters.words import year_group_words
from ehe_letters.models import Authority, Case, EventType
from ehe_letters.models.school import PersonName, School

__all__ = ["CHILD_COMPUTED", "order_events", "school_addressee", "school_context"]

# The child's values a letter to a school may list in `child_fields` beyond the model's own.
CHILD_COMPUTED = ("age", "year_group")


class _Named(NamedTuple):
    """How one recipient is named: in the address block (first, and after "and" with it), and in
    the greeting (first, after "and" with it, and in the middle of a list)."""

    address: str
    address_and: str
    greeting: str
    greeting_and: str
    greeting_mid: str


# The recipients without a name of their own, by language.  The Welsh forms are those their
# place needs (templates/cy/glossary.md): after "Annwyl" a soft mutation (Llywodraethwyr ->
# Lywodraethwyr, Cadeirydd -> Gadeirydd), after "a" ("and") an aspirate one (Cadeirydd ->
# Chadeirydd), and "a'r" before the article.
_ROLES: dict[str, dict[str, _Named]] = {
    "en": {
        "governing-body": _Named(
            "the Governing Body",
            "and the Governing Body",
            "Governors",
            "and Governors",
            "Governors",
        ),
        "chair-of-governors": _Named(
            "the Chair of Governors",
            "and the Chair of Governors",
            "Chair of Governors",
            "and Chair of Governors",
            "Chair of Governors",
        ),
    },
    "cy": {
        "governing-body": _Named(
            "y Corff Llywodraethu",
            "a'r Corff Llywodraethu",
            "Lywodraethwyr",
            "a Llywodraethwyr",
            "Llywodraethwyr",
        ),
        "chair-of-governors": _Named(
            "Cadeirydd y Llywodraethwyr",
            "a Chadeirydd y Llywodraethwyr",
            "Gadeirydd y Llywodraethwyr",
            "a Chadeirydd y Llywodraethwyr",
            "Cadeirydd y Llywodraethwyr",
        ),
    },
}
# A named recipient's role, after the name (a name itself is never mutated).
_TITLES = {
    "en": {"head-teacher": "Head Teacher", "chair-of-governors": "Chair of Governors"},
    "cy": {"head-teacher": "Pennaeth", "chair-of-governors": "Cadeirydd y Llywodraethwyr"},
}
_DEAR = {"en": "Dear", "cy": "Annwyl"}


def _and(name: str, language: str) -> str:
    """'and' before a name: in Welsh 'a', or 'ac' before a vowel (as words.join_names)."""
    if language == "cy":
        return "ac" if name[:1].lower() in "aeiouwyâêîôûŵŷ" else "a"
    return "and"


def _recipient(role: str, school: School, language: str) -> _Named:
    """How one recipient is named: the head teacher and a known chair by name and role."""
    person: PersonName | None = (
        school.head_teacher  # required by the letter (`requires`)
        if role == "head-teacher"
        else school.chair_of_governors
        if role == "chair-of-governors"
        else None
    )
    if person is None:
        return _ROLES[language][role]
    named = f"{person.full_name}, {_TITLES[language][role]}"
    greeting = person.salutation_name
    return _Named(
        named,
        f"{_and(named, language)} {named}",
        greeting,
        f"{_and(greeting, language)} {greeting}",
        greeting,
    )


def school_addressee(letter: Letter, school: School, language: str = "en") -> dict[str, Any]:
    """The addressee block of a letter to a school: its recipients, the school's name and
    address (checked to fit the envelope window, at most 7 lines), in the letter's language."""
    if school.head_teacher is None and "head-teacher" in letter.school_recipients:
        raise InputError(
            f"case.inputs.{letter.inputs}.school.head_teacher: required by the {letter.id} "
            "letter but not given"
        )
    named = [_recipient(role, school, language) for role in letter.school_recipients]
    names = named[0].address
    for other in named[1:]:
        names += (", " if "," in names else " ") + other.address_and
    names = names[0].upper() + names[1:]
    salutation = f"{_DEAR[language]} {named[0].greeting}"
    if len(named) > 1:
        salutation += "".join(f", {n.greeting_mid}" for n in named[1:-1])
        salutation += f" {named[-1].greeting_and}"
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


# On whom the order was served, in words (never the parents' names).  The Welsh follows "i"
# ("cyflwyno i", "gofyn i"), hence its soft mutation (pob -> bob, rhiant -> riant).
_ON_WHOM = {
    "en": ("the child's parent", "each of the child's parents"),
    "cy": ("riant y plentyn", "bob un o rieni'r plentyn"),
}


def _order(
    case: Case, inputs: Any, authority: Authority, letter_date: date, language: str = "en"
) -> dict[str, Any]:
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
        "sent_on": long_date(latest.date, language),
        "served_on": long_date(served, language),
        "register_by": long_date(latest.deadline, language),
        "on_whom": _ON_WHOM[language][len(parents) > 1],
    }


def _child(
    letter: Letter, case: Case, inputs: Any, letter_date: date, language: str = "en"
) -> dict[str, Any]:
    """The child's values the letter may print, and no others."""

    child = case.children[inputs.child]
    values = dump(child, f"case.children[{inputs.child}]", language)
    on = getattr(inputs, "proposed_start", None) or letter_date
    computed = {
        "age": law.age_on(child.date_of_birth, on),
        "year_group": year_group_words(law.year_group(child.date_of_birth, on), language),
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
    language: str = "en",
) -> dict[str, Any]:
    """The context of a letter to a school, in one language: the authority's values
    (`shared`), the case reference, the school, the letter's inputs, the child's listed fields
    (and for the notice to a governing body, the order)."""

    inputs = getattr(case.inputs, letter.inputs)
    own = dump(inputs, f"case.inputs.{letter.inputs}", language)
    context = dict(shared)
    context |= {
        "case": PathDict({"reference": case.reference}, "case"),
        "addressee": school_addressee(letter, inputs.school, language),
        "school": own["school"],
        letter.inputs: own,
        "child": _child(letter, case, inputs, letter_date, language),
    }
    if letter.inputs == "governing_body_notice":
        context["order"] = _order(case, inputs, authority, letter_date, language)
    return context
