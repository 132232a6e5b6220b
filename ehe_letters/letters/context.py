"""Turn a validated case into one template context per letter to produce.

Pure code: no files, no terminal.  Dates become UK long form here, ``None`` values are left out
(so a template that prints a missing value fails with the field's path instead of printing
"None"), and every mapping remembers the case-file path it came from for error messages.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from ehe_letters import law
from ehe_letters.errors import InputError
from ehe_letters.letters.address_block import check_address_block, check_sender_block
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.language import LABELS
from ehe_letters.letters.notice_dates import ServiceDates, register_by, service_dates
from ehe_letters.letters.recitals import previous
from ehe_letters.letters.reply_dates import next_contact, reply_by
from ehe_letters.letters.school_context import school_context
from ehe_letters.letters.values import PathDict, dump, join_names, long_date
from ehe_letters.letters.words import method_words, salutation, terms
from ehe_letters.models import Authority, Case, EventType, Parent, School

__all__ = [
    "LetterJob",
    "PathDict",
    "addressee_groups",
    "addressees",
    "build_jobs",
    "long_date",
    "require_inputs",
]


@dataclass(frozen=True)
class LetterJob:
    """One letter to produce: which parents it is addressed to, which child, and its context."""

    letter_id: str
    parent_indexes: tuple[int, ...]
    child_index: int | None
    context: PathDict

    def suffix(self, by_parent: bool, by_child: bool) -> str:
        """A short file-name suffix that tells the letters of one case apart: p1, p2_c1 ..."""
        parts = ["p" + "-".join(str(i + 1) for i in self.parent_indexes)] if by_parent else []
        if by_child and self.child_index is not None:
            parts.append(f"c{self.child_index + 1}")
        return "_".join(parts)


def addressee_groups(letter: Letter, case: Case) -> list[tuple[int, ...]]:
    """Who gets a letter, by parent index: a statutory notice goes to each parent; an informal
    letter goes, one per distinct address, to the parents who live with the child and to any
    other parent who asked for them (``receives_informal_letters``); a letter to a school goes
    to no parent (one letter, ``()``)."""
    if letter.addressed_to == "school":
        return [()]
    if letter.addressed_to == "each-parent":
        return [(i,) for i in range(len(case.parents))]
    if letter.addressed_to == "applicant":
        return [(applicant(case),)]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, parent in enumerate(case.parents):
        if parent.lives_with_child or parent.receives_informal_letters:
            groups.setdefault(parent.address.key(), []).append(i)
    if not groups:
        raise InputError(
            "case.parents: no parent lives with the child (lives_with_child) or receives "
            f"informal letters (receives_informal_letters), so no one would get the {letter.id} "
            "letter"
        )
    return [tuple(g) for g in groups.values()]


def addressees(letter: Letter, case: Case, group: tuple[int, ...]) -> list[Parent | School]:
    """Whom one letter of a group (``addressee_groups``) is written to, whose language choice
    decides its language (letters/language.py): the parents of the group, or for a letter to a
    school the school named in its inputs."""
    if letter.addressed_to == "school":
        return [getattr(case.inputs, letter.inputs).school]
    return [case.parents[i] for i in group]


def applicant(case: Case) -> int:
    """The parent who made the latest application to revoke an order (s442), by index."""
    requests = [e for e in case.history if e.type == EventType.REVOCATION_REQUESTED]
    latest = max(requests, key=lambda e: e.date, default=None)
    if latest is None or latest.parent is None:
        raise InputError(
            "case.history: no revocation-requested event naming the parent who applied "
            "(parent: an index into case.parents)"
        )
    return latest.parent


def require_inputs(letter: Letter, case: Case) -> None:
    """Check the inputs a letter declares it needs (``requires``), naming the missing paths."""
    missing = []
    for dotted in letter.requires:
        node: Any = case
        for key in dotted.split(".")[1:]:
            node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
            if node is None:
                missing.append(dotted)
                break
    if missing:
        raise InputError(
            f"{missing[0]}: required by the {letter.id} letter but not given",
            problems=[f"{m}: required by the {letter.id} letter but not given" for m in missing],
        )


def _service(dates: ServiceDates, language: str) -> dict:
    """The service dates a statutory notice prints, in words."""
    result = {
        "method": method_words(dates.method, language),
        "sent_on": long_date(dates.sent, language),
        "served_on": long_date(dates.deemed_served, language),
    }
    if dates.deadline is not None:
        result |= {
            "period_days": dates.period_days,
            "minimum_days": dates.minimum_days,
            "deadline": long_date(dates.deadline, language),
            # the days from service to the date named, both counted (>= period_days)
            "days_to_deadline": (dates.deadline - dates.deemed_served).days + 1,
        }
    return result


def _child_address(case: Case) -> list[str]:
    """The child's home address: that of the first parent recorded as living with the child."""
    for parent in case.parents:
        if parent.lives_with_child:
            return parent.address.as_lines()
    raise InputError(
        "case.parents: no parent is recorded as living with the child (lives_with_child)"
    )


# The template values of each live authority object, forgotten when the object goes (a batch
# converts its one authority once, and the footers that use only it are rendered once).
_AUTHORITIES: dict[tuple[int, str], tuple[weakref.ref, PathDict, PathDict]] = {}


def _forget(key: tuple[int, str]) -> Callable[[weakref.ref], None]:
    return lambda _ref: _AUTHORITIES.pop(key, None)


def _authority(authority: Authority, language: str = "en") -> PathDict:
    """The authority's template values; the same authority object is converted only once."""
    return _authority_values(authority, language)[0]


def _authority_values(authority: Authority, language: str = "en") -> tuple[PathDict, PathDict]:
    """The authority's template values and its letterhead, converted once per live object (and
    language: a Welsh letter has the authority's Welsh name and words)."""
    key = (id(authority), language)
    entry = _AUTHORITIES.get(key)
    if entry is not None and entry[0]() is authority:
        return entry[1], entry[2]
    data = dump(authority, "authority", language)
    data["address_lines"] = authority.address.as_lines()
    letterhead = _letterhead(authority, data["name"])
    _AUTHORITIES[key] = (weakref.ref(authority, _forget(key)), data, letterhead)
    return data, letterhead


def _letterhead(authority: Authority, name: str) -> PathDict:
    """`letterhead.logo`: run XML for the logo area - the authority's logo, with its name as
    alt text, or without a logo its name as a wordmark; `image` (the Logo) is for the renderer,
    which adds the image's package parts (docx/compiled.py)."""
    from ehe_letters.docx.logo import logo_run_xml, wordmark_run_xml

    if authority.logo is None:
        return PathDict({"logo": wordmark_run_xml(name)}, "letterhead")
    if authority.logo_image is None:  # an authority validated without models/loading.py
        from ehe_letters.models.loading import attach_logo

        attach_logo(authority, "authority")
    image = authority.logo_image
    logo: Markup = logo_run_xml(image, name)
    return PathDict({"logo": logo, "image": image}, "letterhead")


def _contact(authority: Authority, case: Case, language: str = "en") -> PathDict:
    """The contact officer of a case's letters: case.officer, else the authority's signatory."""
    values = _authority(authority, language)
    if case.officer is None:
        return values["signatory"]
    if case.officer not in authority.officers:
        raise InputError(
            "case.officer: not the id of one of the authority's officers (authority.officers)"
        )
    return values["officers"][case.officer]


def _sender_lines(
    authority: PathDict, letter: dict, contact: PathDict, language: str = "en"
) -> list[str]:
    """The lines of the first page's sender block, as the templates print them."""
    words = LABELS[language]
    return [
        authority["name"],
        authority["team_name"],
        *authority["address_lines"],
        f"{words['telephone']}: {authority['phone']}",
        authority["email"],
        authority["website"],
        f"{words['our_reference']}: {letter['reference']}",
        f"{words['date']}: {letter['date']}",
        f"{words['contact']}: {contact['name']}",
        *([f"{words['telephone']}: {contact['phone']}"] if "phone" in contact else []),
        *([contact["email"]] if "email" in contact else []),
    ]


# What a letter to a school shares with every letter: the authority, its letterhead, the
# contact officer and the signatory, the nation's words and the letter's own facts.
_SHARED_WITH_SCHOOLS = ("authority", "letterhead", "contact", "signatory", "terms", "letter")


def build_jobs(
    letter: Letter, case: Case, authority: Authority, letter_date: date, language: str = "en"
) -> list[LetterJob]:
    """Return the letters to produce for one case, each with its template context, in one
    language (the letter's template must be that language's: letters/produce.py chooses)."""
    nation = authority.nation
    case_data = dump(case, "case", language)
    require_inputs(letter, case)
    contact = _contact(authority, case, language)
    values = _authority_values(authority, language)
    base = {
        "authority": values[0],
        "letterhead": values[1],
        "contact": contact,
        # Notices are signed by the officer with delegated authority; other letters by the
        # case's contact officer (who writes "contact me").
        "signatory": values[0]["statutory_signatory"] if letter.statutory else contact,
        "terms": terms(nation, letter_date, language),
        "case": case_data,
        "letter": {
            "id": letter.id,
            "title": letter.title,
            "date": long_date(letter_date, language),
            "reference": case.reference,
            # Welsh Language Standards, standard 7: every letter says Welsh is welcome
            "welsh_welcome": authority.welsh_language_standards,
            "bilingual": False,  # letters/produce.py: True in both parts of a bilingual letter
        },
        "children": case_data["children"],
        "children_names": join_names((c.full_name for c in case.children), language),
        "children_given_names": join_names((c.given_names for c in case.children), language),
        "parents": case_data["parents"],
    }
    # A letter to one parent (a notice, or a decision on that parent's application) recites only
    # what happened to that parent (below); a letter to a school recites nothing of the parents.
    each_parent = letter.addressed_to in ("each-parent", "applicant")
    if letter.addressed_to == "parents-by-address":
        base["previous"] = previous(case, letter, nation, language=language)
    base["letter"]["reply_by"] = long_date(reply_by(letter, case, letter_date, authority), language)
    check_sender_block(_sender_lines(base["authority"], base["letter"], contact, language))
    if letter.addressed_to == "school":  # no parent's data, and only the child's listed fields
        shared = {k: base[k] for k in _SHARED_WITH_SCHOOLS}
        context = school_context(letter, case, authority, letter_date, shared, language)
        return [LetterJob(letter.id, (), None, PathDict(context, ""))]
    for index, child in enumerate(case.children):
        child_values = case_data["children"][index]
        child_values["age"] = law.age_on(child.date_of_birth, letter_date)  # words for the age
        child_values.pop("reason_for_home_education", None)  # for the counts, never printed
    if letter.inputs:
        own = case_data["inputs"][letter.inputs]
        model = getattr(case.inputs, letter.inputs)
        if hasattr(model, "next_contact"):  # when we may next be in touch: a month, not a day
            own["next_contact"] = next_contact(model.next_contact, authority, letter_date, language)
        if hasattr(model, "service"):
            dates = service_dates(letter, model, letter_date, authority)
            own["service"] = _service(dates, language)
            if hasattr(model, "register_by"):  # an order: the date stands in it, never blank
                own["register_by"] = long_date(
                    register_by(model, dates, authority, letter_date), language
                )
        base[letter.inputs] = own
    child_indexes: list[int | None] = (
        list(range(len(case.children))) if letter.per_child else [None]
    )
    jobs = []
    for group in addressee_groups(letter, case):
        parents = [case.parents[i] for i in group]
        addressee = {
            "names": join_names((p.full_name for p in parents), language),
            "salutation": salutation(parents, language),
            "address_lines": parents[0].address.as_lines(),
        }
        check_address_block(
            addressee["names"], addressee["address_lines"], f"case.parents[{group[0]}].address"
        )
        per_addressee: dict[str, Any] = {"addressee": addressee}
        if each_parent:
            per_addressee["previous"] = previous(
                case, letter, nation, parent=group[0], language=language
            )
        for child_index in child_indexes:
            context = dict(base, **per_addressee)
            if child_index is not None:
                child = case.children[child_index]
                context["child"] = case_data["children"][child_index]
                # withheld from a parent who must not be told where the child lives
                withheld = any(case.parents[i].withhold_child_address for i in group)
                context["child_address"] = "" if withheld else ", ".join(_child_address(case))
                # The order would name the plan's school: no s438 notice, no choice of school.
                context["plan_route"] = law.plan_route(
                    nation, child.has_ehc_plan, child.plan_names_school
                )
            jobs.append(LetterJob(letter.id, group, child_index, PathDict(context, "")))
    return jobs
