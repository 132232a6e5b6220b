"""The letters, loaded from ``templates/<id>.toml`` beside each ``templates/<id>.docx``.

The metadata is the one place for the facts of a letter: whether it is statutory, which legal
period it gives (``period``: the law package's parameter of its minimum), whether it goes one
per child (``per_child``), to whom it is addressed and which inputs it needs.

A letter's Welsh version is ``templates/cy/<id>.docx`` with ``templates/cy/<id>.toml``, which
holds only what differs by language: its title and its wording rules.  The legal facts stay in
the English metadata, so both versions are the same letter under the same checks.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ehe_letters import law
from ehe_letters.errors import InputError, TemplateProblem
from ehe_letters.filecache import cached_by_file, file_stamp
from ehe_letters.settings import Settings, settings_or_default

LETTER_IDS: tuple[str, ...] = (
    "welcome",
    "information-request",
    "concern-notification",
    "visit-offer",
    "s437-notice",
    "sao-intention",
    "school-attendance-order",
    "education-appears-suitable",
    "s437-decision",
    "governing-body-notice",
    "s439-consultation",
    "sao-revocation-decision",
    "sao-amendment",
    "return-to-school-support",
    "school-off-rolling-challenge",
    "sao-non-compliance",
)

# parents-by-address: one letter per address, to the parents who live with the child (and any
# who asked for informal letters); each-parent: a notice to each parent separately; applicant:
# to the parent who made the application the letter decides (the latest revocation-requested);
# school: to the school (its head teacher, governing body or chair of governors).
Addressing = Literal["parents-by-address", "each-parent", "applicant", "school"]
ADDRESSING: tuple[str, ...] = ("parents-by-address", "each-parent", "applicant", "school")
# Who at a school a letter addressed to the school goes to (`school_recipients`), and the
# child's values such a letter may list in `child_fields` (never the child's views, the reason
# for home education, plans or needs: letters/school_context.py gives it nothing else).
SCHOOL_RECIPIENTS = ("head-teacher", "governing-body", "chair-of-governors")
SCHOOL_CHILD_FIELDS = (
    "given_names",
    "family_name",
    "full_name",
    "date_of_birth",
    "school_last_attended",
    "removed_from_roll_on",
    "age",
    "year_group",
)


def templates_dir(settings: Settings | None = None) -> Path:
    """Return the templates folder of the settings (None: packaged defaults and environment)."""
    settings = settings_or_default(settings)
    folder = settings.templates
    if not folder.is_dir():
        where = settings.origin("templates")
        raise InputError(f"{where.key('templates')}: {folder}: no such templates folder")
    return folder


@dataclass(frozen=True, eq=False)
class Letter:
    """One letter: its template file and the metadata legal reviews with it."""

    id: str
    title: str
    purpose: str
    statutory_basis: str
    statutory: bool
    addressed_to: Addressing
    requires: tuple[str, ...]
    template: Path
    inputs: str | None = None
    regime: str = "EA1996"
    period: str | None = None  # the legal parameter of its period's minimum (s437, s438 notices)
    per_child: bool = False  # one letter per child (notices), else one for the whole family
    # A letter addressed to a school: who there it goes to, and the child's fields it may print.
    school_recipients: tuple[str, ...] = ()
    child_fields: tuple[str, ...] = ()
    rules: tuple[dict, ...] = field(default=(), compare=False, repr=False)
    language: str = "en"  # the language of this template: "en", or "cy" (templates/cy/)


def _read_metadata(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateProblem(f"{path}: cannot read letter metadata: {exc}") from None


@cached_by_file(maxsize=64)
def _load(path: Path) -> Letter:
    data = _read_metadata(path)
    try:
        letter = Letter(
            id=data["id"],
            title=data["title"],
            purpose=data["purpose"],
            statutory_basis=data["statutory_basis"],
            statutory=bool(data["statutory"]),
            addressed_to=data["addressed_to"],
            requires=tuple(data.get("requires", [])),
            template=path.with_suffix(".docx"),
            inputs=data.get("inputs"),
            regime=data.get("regime", "EA1996"),
            period=data.get("period"),
            per_child=bool(data.get("per_child", False)),
            school_recipients=tuple(data.get("school_recipients", [])),
            child_fields=tuple(data.get("child_fields", [])),
            rules=tuple(data.get("rule", [])),
        )
    except KeyError as exc:
        raise TemplateProblem(f"{path}: metadata lacks the key {exc.args[0]!r}") from None
    if letter.id != path.stem:
        raise TemplateProblem(f"{path}: id {letter.id!r} does not match the file name")
    if letter.inputs and f"case.inputs.{letter.inputs}" not in letter.requires:
        raise TemplateProblem(f"{path}: requires must list case.inputs.{letter.inputs}")
    if letter.addressed_to not in ADDRESSING:
        raise TemplateProblem(f"{path}: addressed_to must be one of {', '.join(ADDRESSING)}")
    _check_school_facts(path, letter)
    if letter.period is not None and letter.period not in law.period_parameters():
        raise TemplateProblem(
            f"{path}: period must name a notice period of the law package "
            f"({', '.join(law.period_parameters())})"
        )
    if letter.period is not None and not letter.statutory:
        raise TemplateProblem(f"{path}: only a statutory notice has a period")
    return letter


def _check_school_facts(path: Path, letter: Letter) -> None:
    """A letter addressed to a school names who there gets it, the inputs holding the school,
    and the child's fields it may print; no other letter has these facts."""
    to_school = letter.addressed_to == "school"
    if not to_school:
        if letter.school_recipients or letter.child_fields:
            raise TemplateProblem(
                f"{path}: school_recipients and child_fields are for letters addressed to a school"
            )
        return
    wrong = [r for r in letter.school_recipients if r not in SCHOOL_RECIPIENTS]
    if not letter.school_recipients or wrong:
        raise TemplateProblem(
            f"{path}: school_recipients must list some of {', '.join(SCHOOL_RECIPIENTS)}"
        )
    extra = [f for f in letter.child_fields if f not in SCHOOL_CHILD_FIELDS]
    if extra:
        raise TemplateProblem(
            f"{path}: child_fields may list only {', '.join(SCHOOL_CHILD_FIELDS)} (not "
            f"{', '.join(extra)})"
        )
    if not letter.inputs or letter.per_child:
        raise TemplateProblem(
            f"{path}: a letter addressed to a school names its inputs (which hold the school and "
            "the child) and is not per_child"
        )


def all_letters(settings: Settings | None = None) -> list[Letter]:
    """Return the letters of the settings' templates folder, in their fixed order."""
    folder = templates_dir(settings)
    return [_load(folder / f"{letter_id}.toml") for letter_id in LETTER_IDS]


def all_versions(settings: Settings | None = None) -> list[Letter]:
    """Every letter in every language the templates folder has it in (English first)."""
    letters = all_letters(settings)
    return letters + [v for v in (translation(letter, "cy") for letter in letters) if v]


def sibling(letter: Letter, letter_id: str) -> Letter:
    """Return another letter of the same templates folder (e.g. the notice a case recorded)."""
    if letter_id not in LETTER_IDS:
        raise InputError(f"unknown letter {letter_id!r}; choose one of: {', '.join(LETTER_IDS)}")
    folder = letter.template.parent
    if letter.language != "en":
        folder = folder.parent
    return _load(folder / f"{letter_id}.toml")


TRANSLATIONS = "cy"  # the folder of the Welsh templates, inside the templates folder


def _load_translation(path: Path) -> dict:  # read once per file version: _translated
    data = _read_metadata(path)
    for key in ("id", "language", "title"):
        if key not in data:
            raise TemplateProblem(f"{path}: metadata lacks the key {key!r}")
    if data["id"] != path.stem or data["language"] != path.parent.name:
        raise TemplateProblem(f"{path}: id and language must match the file name and folder")
    return data


def translation(letter: Letter, language: str) -> Letter | None:
    """The letter's version in another language (its template, title and wording rules), or
    None when the templates folder has none."""
    if language == letter.language:
        return letter
    path = letter.template.parent / TRANSLATIONS / f"{letter.id}.toml"
    stamp = file_stamp(path)
    if language != TRANSLATIONS or stamp is None:
        return None
    return _translated(letter, path, stamp)


@lru_cache(maxsize=64)
def _translated(letter: Letter, path: Path, stamp: tuple[int, int]) -> Letter:
    """The Welsh version of a letter, made once per letter and metadata file version (the same
    object each time, so the wording rules' caches, keyed on the letter, are reused)."""
    data = _load_translation(path)
    return dataclasses.replace(
        letter,
        title=data["title"],
        template=path.with_suffix(".docx"),
        rules=tuple(data.get("rule", [])),
        language=TRANSLATIONS,
    )


def languages_of(letter: Letter) -> list[str]:
    """The languages a letter has a template in: ['en'] or ['en', 'cy']."""
    return [lang for lang in ("en", TRANSLATIONS) if translation(letter, lang) is not None]


def get_letter(letter_id: str, settings: Settings | None = None) -> Letter:
    """Return one letter by id (``cy/<id>``: its Welsh version), or raise a one-line error
    listing the ids."""
    if letter_id.startswith(f"{TRANSLATIONS}/"):
        version = translation(get_letter(letter_id.split("/", 1)[1], settings), TRANSLATIONS)
        if version is None:
            raise InputError(
                f"{letter_id}: no Welsh template of this letter in the templates folder"
            )
        return version
    if letter_id not in LETTER_IDS:
        raise InputError(f"unknown letter {letter_id!r}; choose one of: {', '.join(LETTER_IDS)}")
    return _load(templates_dir(settings) / f"{letter_id}.toml")
