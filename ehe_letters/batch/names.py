"""A name cell of an export ("Dr Jane Dunmore", "Mr and Mrs K Patel") split into the fields of
one or two parents, with nameparser (UK titles such as Revd, Canon and Cllr added).

Two people in one cell become two parents when the cell says plainly who they are ("Mr and
Mrs K Patel", "John and Jane Smith", "Mr K Patel & Ms J Shah"); anything else is a row error
saying how to split the cell.  Messages never quote the name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nameparser import HumanName
from nameparser.config import Constants

__all__ = ["NameProblem", "split_people"]

_CONSTANTS = Constants()  # a copy of nameparser's own: its module-wide constants are left alone
_CONSTANTS.titles.add("revd", "canon", "cllr", "councillor", "prof", "mx", "misc", "mre", "ind")
_AND = re.compile(r"\s+(?:and|&)\s+|\s*&\s*", re.IGNORECASE)

HOW_TO_SPLIT = (
    "give each person a column of their own (case.parents[0], case.parents[1]), or write "
    "the cell as 'Mr K Patel and Mrs K Patel'"
)


class NameProblem(ValueError):
    """A name cell that cannot be split into title, given names and family name."""


def _parse(text: str) -> dict[str, str]:
    name = HumanName(text, constants=_CONSTANTS)
    given = " ".join(part for part in (name.first, name.middle) if part)
    family = " ".join(part for part in (name.last, name.suffix) if part)
    person = {"title": name.title, "given_names": given, "family_name": family}
    return {key: value for key, value in person.items() if value}


@lru_cache(maxsize=4096)
def _split(text: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    parts = [part.strip() for part in _AND.split(text.strip())]
    if len(parts) > 2 or not all(parts):
        raise NameProblem(f"holds more than two people, or an 'and' without a name; {HOW_TO_SPLIT}")
    people = [_parse(part) for part in parts]
    if len(people) == 2:
        first, second = people
        if not second.get("given_names") or not second.get("family_name"):
            raise NameProblem(f"holds two people but not a full name for each; {HOW_TO_SPLIT}")
        if "family_name" not in first:
            if "given_names" in first:  # "John and Jane Smith": John's family name is Smith
                first["family_name"] = second["family_name"]
            elif "title" in first:  # "Mr and Mrs K Patel": Mr K Patel
                first |= {k: second[k] for k in ("given_names", "family_name")}
            else:
                raise NameProblem(f"holds two people but not a name for each; {HOW_TO_SPLIT}")
    for person in people:
        if not person.get("given_names") or not person.get("family_name"):
            raise NameProblem(
                "needs a given name (or initial) and a family name, e.g. 'Ms J Smith'"
            )
    return tuple(tuple(sorted(person.items())) for person in people)


def split_people(text: str) -> list[dict[str, str]]:
    """The people a name cell names: one or two dicts of title, given_names, family_name."""
    return [dict(person) for person in _split(text)]
