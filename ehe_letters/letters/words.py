"""The words a letter uses, by language and nation: terms of the law, how a notice was served,
how names are joined and people greeted.

English terms differ between England and Wales ("special educational needs" / "additional
learning needs"); Welsh letters are written only by Welsh authorities.  The Welsh words follow
the glossary in ``ehe_letters/data/templates/cy/glossary.md`` (with its sources); like the Welsh
templates, they wait for review by the authority's Welsh translation service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ehe_letters import law
from ehe_letters.models import Parent, ServiceMethod

__all__ = [
    "join_names",
    "method_words",
    "recital_words",
    "salutation",
    "term_names",
    "terms",
    "year_group_words",
]

_TERMS = {
    "en": {
        "england": {
            "needs": "special educational needs",
            "plan": "education, health and care (EHC) plan",
            "plan_short": "EHC plan",
            "plan_section": "section 441",
            "minister": "the Secretary of State for Education",
            "nation": "England",
            "parent_guide": "The Department for Education's guide for parents, "
            "'Elective home education'",
            "la_guidance": "the Department for Education's guidance for local authorities, "
            "'Elective home education' (April 2019)",
            "attendance_guidance": "the Department for Education's statutory guidance 'Working "
            "together to improve school attendance' (August 2024)",
        },
        "wales": {
            "needs": "additional learning needs",
            "plan": "individual development plan (IDP)",
            "plan_short": "IDP",
            "plan_section": "section 441A",
            "minister": "the Welsh Ministers",
            "nation": "Wales",
            "parent_guide": "The Welsh Government's 'Home educators handbook'",
            "la_guidance": "the Welsh Government's statutory guidance for local authorities on "
            "elective home education (May 2023)",
            "attendance_guidance": "the Welsh Government's guidance 'Belonging, engaging and "
            "participating' (2023) on improving learner engagement and attendance",
        },
    },
    "cy": {
        "wales": {
            "needs": "anghenion dysgu ychwanegol",
            "plan": "cynllun datblygu unigol (CDU)",
            "plan_short": "CDU",
            "plan_section": "adran 441A",
            "minister": "Gweinidogion Cymru",
            "minister_soft": "Weinidogion Cymru",  # soft-mutated, after "at", "i", "o"
            "nation": "Cymru",
            "parent_guide": "'Llawlyfr addysgwyr yn y cartref' Llywodraeth Cymru",
            "la_guidance": "canllawiau statudol Llywodraeth Cymru i awdurdodau lleol ar addysg "
            "ddewisol yn y cartref (Mai 2023)",
            "attendance_guidance": "canllawiau Llywodraeth Cymru 'Perthyn, ymgysylltu a "
            "chyfranogi' (2023) ar wella ymgysylltiad a phresenoldeb dysgwyr",
        },
    },
}

# How a notice is being served ("This notice is being given to you by first class post").
_METHOD_WORDS = {
    "en": {
        ServiceMethod.HAND: "by hand",
        ServiceMethod.LEFT_AT_ADDRESS: "by leaving it at your address",
        ServiceMethod.FIRST_CLASS_POST: "by first class post",
        ServiceMethod.SECOND_CLASS_POST: "by second class post",
        ServiceMethod.POST: "by post",
        ServiceMethod.EMAIL: "by e-mail",
    },
    "cy": {
        ServiceMethod.HAND: "â llaw",
        ServiceMethod.LEFT_AT_ADDRESS: "drwy ei adael yn eich cyfeiriad",
        ServiceMethod.FIRST_CLASS_POST: "drwy'r post dosbarth cyntaf",
        ServiceMethod.SECOND_CLASS_POST: "drwy'r post ail ddosbarth",
        ServiceMethod.POST: "drwy'r post",
        ServiceMethod.EMAIL: "drwy e-bost",
    },
}

# How an earlier notice reached the parent, as a later one recites it: "A notice ... was sent to
# you by first class post on ..." / "Cafodd hysbysiad ... ei anfon atoch drwy'r post ... ar ...".
_RECITAL_WORDS = {
    "en": {
        ServiceMethod.HAND: "given to you by hand",
        ServiceMethod.LEFT_AT_ADDRESS: "left at your address",
        ServiceMethod.FIRST_CLASS_POST: "sent to you by first class post",
        ServiceMethod.SECOND_CLASS_POST: "sent to you by second class post",
        ServiceMethod.POST: "sent to you by post",
    },
    "cy": {  # after "ei" (soft mutation: rhoi -> roi, gadael -> adael)
        ServiceMethod.HAND: "roi i chi â llaw",
        ServiceMethod.LEFT_AT_ADDRESS: "adael yn eich cyfeiriad",
        ServiceMethod.FIRST_CLASS_POST: "anfon atoch drwy'r post dosbarth cyntaf",
        ServiceMethod.SECOND_CLASS_POST: "anfon atoch drwy'r post ail ddosbarth",
        ServiceMethod.POST: "anfon atoch drwy'r post",
    },
}


def method_words(method: ServiceMethod, language: str = "en") -> str:
    return _METHOD_WORDS[language][method]


def recital_words(method: ServiceMethod, language: str = "en") -> str:
    return _RECITAL_WORDS[language][method]


@lru_cache(maxsize=64)
def terms(nation: str, letter_date: date, language: str = "en") -> dict[str, str]:
    """The words a letter uses for its nation and language, with the Act's words it quotes (s7,
    s436A(3)) as they apply there (in English, the only language the Act was enacted in; a
    Welsh letter also gets the unofficial Welsh translations, ``s7_cy`` and ``s436a_3_cy``)."""
    quoted = law.parameter("suitable_education", letter_date)[nation]
    words = _TERMS[language].get(nation)
    if words is None:
        raise ValueError(f"no {language} words for letters of a {nation} authority")
    if language == "en":
        quoted = {k: v for k, v in quoted.items() if not k.endswith("_cy")}
    return words | quoted


def term_names(language: str = "en") -> set[str]:
    """The names under ``terms`` that every nation's letters in a language have (template lint)."""
    latest = law.parameter_spec("suitable_education")["values"]
    quoted = latest[max(latest)]
    names = []
    for nation, words in _TERMS[language].items():
        keys = (
            set(quoted[nation])
            if language == "cy"
            else {k for k in quoted[nation] if not k.endswith("_cy")}
        )
        names.append({*words, *keys})
    return set.intersection(*names)


def join_names(names: Iterable[str], language: str = "en") -> str:
    """Join names as people write them: 'A', 'A and B', 'A, B and C' (Welsh: 'A a B', and 'ac'
    before a vowel)."""
    names = list(names)
    if len(names) == 1:
        return names[0]
    if language == "cy":
        last = names[-1]
        word = "ac" if last[:1].lower() in "aeiouwyâêîôûŵŷ" else "a"
        return ", ".join(names[:-1]) + f" {word} " + last
    return ", ".join(names[:-1]) + " and " + names[-1]


def salutation(parents: list[Parent], language: str = "en") -> str:
    """'Dear Ms Llŷr and Mr O'Brien' / 'Annwyl Ms Llŷr a Mr O'Brien'."""

    def one(p: Parent) -> str:
        return f"{p.title} {p.family_name}" if p.title else f"{p.given_names} {p.family_name}"

    greeting = "Annwyl" if language == "cy" else "Dear"
    return f"{greeting} " + join_names((one(p) for p in parents), language)


def year_group_words(group: str, language: str = "en") -> str:
    """A year group (law.year_group: 'Reception', 'Year 7') in the letter's language: in Welsh
    'Derbyn', 'Blwyddyn 7' (unmutated: a template prints it where no mutation falls)."""
    if language != "cy":
        return group
    return "Derbyn" if group == "Reception" else group.replace("Year ", "Blwyddyn ")
