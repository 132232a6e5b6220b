"""Turn a validated case into one template context per letter to produce.

Pure code: no files, no terminal.  Dates become UK long form here, ``None`` values are left out
(so a template that prints a missing value fails with the field's path instead of printing
"None"), and every mapping remembers the case-file path it came from for error messages.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from ehe_letters import law
from ehe_letters.docx.jinja_env import PathUndefined
from ehe_letters.errors import InputError
from ehe_letters.letters.address_block import check_address_block, check_sender_block
from ehe_letters.letters.catalogue import Letter, sibling
from ehe_letters.letters.language import LABELS, long_date, when_and_time
from ehe_letters.letters.notice_dates import (
    ServiceDates,
    closures_of,
    register_by,
    service_dates,
)
from ehe_letters.letters.words import (
    join_names,
    method_words,
    recital_words,
    salutation,
    terms,
)
from ehe_letters.models import Authority, Case, EventType, ServiceMethod

__all__ = [
    "LetterJob",
    "PathDict",
    "addressee_groups",
    "build_jobs",
    "long_date",
    "require_inputs",
]


class PathDict(dict):
    """A dict that knows the case-file path it stands for (for 'missing field' messages)."""

    __slots__ = ("path",)

    def __init__(self, data: dict, path: str) -> None:
        super().__init__(data)
        self.path = path

    def __getattr__(self, name: str):
        """Let templates read `child.given_names` without Jinja's failed-attribute detour."""
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


# Free text typed in the case or authority file whose Welsh is the field "<name>_cy" (e.g.
# case.inputs.concern.summary_cy): a Welsh letter prints the Welsh text, and fails naming the
# "_cy" field where it is missing; the authority's name and team name fall back to English.
_TRANSLATED = frozenset(
    {
        "summary",
        "source",
        "how_we_heard",
        "detail",
        "venue",
        "reasons",
        "expedient_reasons",
        "role",
        "exam_centres",
        "drop_in_sessions",
        "forum_meetings",
        "networks",
        "return_to_school",
    }
)
_NAMES = frozenset({"name", "team_name"})


def _in_language(value: dict, path: str, language: str) -> dict:
    """A mapping's values for a letter in a language: "<name>_cy" stands in for "<name>" in
    Welsh, and is never printed itself."""
    result = {k: v for k, v in value.items() if not k.endswith("_cy")}
    if language != "cy":
        return result
    for key in result.keys() & (_TRANSLATED | _NAMES):
        welsh = value.get(f"{key}_cy")
        if welsh is not None:
            result[key] = welsh
        elif key in _TRANSLATED:  # printing it fails, naming the field to fill in
            result[key] = PathUndefined(obj=PathDict({}, path), name=f"{key}_cy")
    return result


def _plain(value: Any, path: str, language: str = "en") -> Any:
    """Convert dumped model data to template values: long dates, PathDicts, no None, and in a
    Welsh letter the Welsh text of the fields that have it."""
    if isinstance(value, dict):
        value = _in_language(value, path, language)
        return PathDict(
            {
                k: v if isinstance(v, PathUndefined) else _plain(v, f"{path}.{k}", language)
                for k, v in value.items()
                if v is not None
            },
            path,
        )
    if isinstance(value, list):
        return [_plain(v, f"{path}[{i}]", language) for i, v in enumerate(value)]
    if isinstance(value, datetime):
        return when_and_time(value, language)
    if isinstance(value, date):
        return long_date(value, language)
    return value


def _dump(model: Any, path: str, language: str = "en") -> PathDict:
    return _plain(model.model_dump(mode="python", exclude_none=True), path, language)


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
    other parent who asked for them (``receives_informal_letters``)."""
    if letter.addressed_to == "each-parent":
        return [(i,) for i in range(len(case.parents))]
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


def _served(letter: Letter, event: Any, path: str, nation: str, language: str) -> dict[str, str]:
    """What a notice recorded in the history recites of its service: how and when it was sent,
    and the day it is treated as served (computed by the law package, never typed)."""
    notice = sibling(letter, event.letter)
    if not notice.statutory:
        return {}
    if event.method is None or event.method == ServiceMethod.EMAIL:
        raise InputError(
            f"{path}.method: record how the {event.letter} was served (hand, left-at-address, "
            "first-class-post, second-class-post or post): the letter recites it"
        )
    served = law.deemed_service_date(
        event.date, event.method, nation, statutory=True, delivered_at=event.time
    )
    return {
        "sent_by": recital_words(event.method, language),
        "sent_on": long_date(event.date, language),
        "served_on": long_date(served, language),
    }


def _previous(
    case: Case, letter: Letter, nation: str, parent: int | None = None, language: str = "en"
) -> PathDict:
    """The latest notice of each kind served, the latest decision and the latest school told of
    an order (s437(5)), from the history; a statutory letter's recitals of an earlier notice's
    service (``sent_by``, ``sent_on``, ``served_on``).  With `parent`, only the notices served
    on that parent: a notice recites only what happened to the parent it is addressed to."""
    previous: dict[str, Any] = {}
    for index, event in sorted(enumerate(case.history), key=lambda pair: pair[1].date):
        path = f"case.history[{index}]"
        if event.type == EventType.NOTICE_SERVED and parent is not None and event.parent != parent:
            continue
        if event.type == EventType.NOTICE_SERVED and event.letter:
            values = _dump(event, path, language)
            if letter.statutory:
                values.update(_served(letter, event, path, nation, language))
            previous[event.letter.replace("-", "_")] = values
        elif event.type == EventType.DECISION:
            previous["decision"] = _dump(event, path, language)
        elif event.type == EventType.SCHOOL_INFORMED:
            previous["school_informed"] = _dump(event, path, language)
    return PathDict(previous, "case.history")


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
    language)."""
    key = (id(authority), language)
    entry = _AUTHORITIES.get(key)
    if entry is not None and entry[0]() is authority:
        return entry[1], entry[2]
    data = _dump(authority, "authority", language)
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


def _reply_by(letter: Letter, case: Case, letter_date: date, authority: Authority) -> date:
    """The date an informal letter asks for a reply by: given in the inputs, else policy; never
    a day the authority's office is closed (authority.closures)."""
    own = getattr(case.inputs, letter.inputs, None) if letter.inputs else None
    given = getattr(own, "reply_by", None)
    closures = closures_of(authority)
    if given is not None:
        if given <= letter_date:
            raise InputError(
                f"case.inputs.{letter.inputs}.reply_by: {given.isoformat()} is not after the "
                f"letter date {letter_date.isoformat()}"
            )
        for index, (first, last) in enumerate(closures):
            if first <= given <= last:
                raise InputError(
                    f"case.inputs.{letter.inputs}.reply_by: {given.isoformat()} falls while the "
                    f"office is closed (authority.closures[{index}]); choose a later date"
                )
        return given
    return _policy_reply_by(letter.id, letter_date, authority.nation, closures)


@lru_cache(maxsize=256)
def _policy_reply_by(
    letter_id: str, letter_date: date, nation: str, closures: law.Closures = ()
) -> date:
    """The policy reply date for a letter dated on a day (the same for a whole mailing)."""
    policy = law.parameter("policy_periods", letter_date)
    if letter_id == "concern-notification":
        day = law.add_business_days(letter_date, policy["concern_reply_business_days"], nation)
    else:
        key = "welcome_reply_days" if letter_id == "welcome" else "information_request_reply_days"
        day = letter_date + timedelta(days=policy[key])
    return law.on_or_after_business_day(day, nation, closures)


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


def build_jobs(
    letter: Letter, case: Case, authority: Authority, letter_date: date, language: str = "en"
) -> list[LetterJob]:
    """Return the letters to produce for one case, each with its template context, in one
    language (the letter's template must be that language's: letters/produce.py chooses)."""
    nation = authority.nation
    case_data = _dump(case, "case", language)
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
        "parents": case_data["parents"],
    }
    each_parent = letter.addressed_to == "each-parent"
    if not each_parent:  # a notice to each parent recites that parent's own (below)
        base["previous"] = _previous(case, letter, nation, language=language)
    reply_by = _reply_by(letter, case, letter_date, authority)
    base["letter"]["reply_by"] = long_date(reply_by, language)
    check_sender_block(_sender_lines(base["authority"], base["letter"], contact, language))
    if letter.inputs:
        own = case_data["inputs"][letter.inputs]
        model = getattr(case.inputs, letter.inputs)
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
            per_addressee["previous"] = _previous(
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
