"""Case rules about what a case says of each parent (EHE125-EHE127): every notice served names
the parent it was served on, no informal letter tells one parent what another sent, and a
parent who needs Welsh gets Welsh."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ehe_letters.errors import InputError
from ehe_letters.letters.catalogue import Letter, sibling, translation
from ehe_letters.letters.context import addressee_groups, addressees
from ehe_letters.letters.language import letter_languages
from ehe_letters.models import EventType
from ehe_letters.rules.case_facts import INFORMAL, STATUTORY, Facts, rule

__all__: list[str] = []  # the rules register themselves


@rule(
    "EHE125",
    "error",
    (STATUTORY, INFORMAL),
    "Education Act 1996 s437(3), s443: only a parent on whom a notice was served; brief check 10",
)
def served_on_nobody(facts: Facts) -> Iterator[str]:
    """Every notice recorded as served names the parent it was served on (one event each)."""
    for index, event in enumerate(facts.case.history):
        if event.type != EventType.NOTICE_SERVED or event.parent is not None or not event.letter:
            continue
        if sibling(facts.letter, event.letter).statutory:
            yield (
                f"case.history[{index}].parent: a notice-served event of the {event.letter} must "
                "name the parent it was served on (an index into case.parents; one event for "
                "each parent served)"
            )


# Words that tell the reader that they ("you") sent or said something.
_YOU_SENT = re.compile(
    r"\byou(?:'ve| have)?\s+(?:sent|told|said|wrote|written|gave|given|provided|described|"
    r"shared|showed|shown|replied)\b|\byour\s+(?:reply|replies|outline|letter|e-?mail|message|"
    r"report|response|description|information|answer)\b",
    re.IGNORECASE,
)


@rule("EHE126", "error", (INFORMAL,), "Issue 10 (parents who live apart); UK GDPR art 5(1)(f)")
def tells_one_parent_what_another_sent(facts: Facts) -> Iterator[str]:
    """An informal letter going to parents at more than one address does not say what "you" sent
    or said: one parent may not have, and must not learn it this way."""
    groups = addressee_groups(facts.letter, facts.case)
    inputs = facts.inputs
    if len(groups) < 2 or inputs is None:
        return
    for field in ("summary", "source", "detail", "information_received", "note"):
        value = getattr(inputs, field, None)
        texts = value if isinstance(value, list) else [value]
        if any(text and _YOU_SENT.search(text) for text in texts):
            others = ", ".join(f"case.parents[{g[0]}]" for g in groups[1:])
            yield (
                f"case.inputs.{facts.letter.inputs}.{field} says what 'you' sent or said, but the "
                f"letter also goes to {others} at another address: say what we received "
                "instead (e.g. 'the outline we received in July')"
            )


@rule(
    "EHE127",
    "error",
    (STATUTORY, INFORMAL),
    "Welsh Language Standards (No. 1) Regulations 2015, Sch 1, standards 2, 3 and 5",
)
def no_welsh_version(facts: Facts) -> Iterator[str]:
    """A letter to parents, or to a school, who need Welsh (they chose it, or their choice is not
    known) has a Welsh template: it is never sent in English instead."""
    if not facts.authority.welsh_language_standards or translation(facts.letter, "cy"):
        return
    try:
        groups = addressee_groups(facts.letter, facts.case)
    except InputError:
        return  # no addressee at all: the letter is refused for that (its own rule or error)
    for group in groups:
        if "cy" in letter_languages(addressees(facts.letter, facts.case, group), facts.authority):
            yield missing_welsh(facts.letter, _who(facts.letter, group))
            return


def _who(letter: Letter, group: tuple[int, ...]) -> str:
    """The case-file path of the addressee who needs Welsh: a parent, or the school."""
    if letter.addressed_to == "school":
        return f"case.inputs.{letter.inputs}.school"
    return f"case.parents[{group[0]}]"


def missing_welsh(letter: Letter, who: str = "each addressee of a mailing") -> str:
    """The message of EHE127 (also given for a mailing, where every letter needs Welsh)."""
    return (
        f"{who} needs a Welsh version, but there is no Welsh template "
        f"(cy/{letter.id}.docx in the templates folder): the letter is not sent in English instead"
    )
