"""Compare two versions of a letter template: wording, the fields it needs, breaking changes.

A version is the working copy, the last approved version (the git commit whose file has the
sha256 recorded in ``approvals.toml``) or any git revision.  The wording is compared as the
``docx_text`` views; the fields are the variable paths the Jinja sources use
(``child.full_name``, ``children[].date_of_birth``).  A change is *breaking* when the newer
version needs a field the case model does not provide, or one the letter's example case file
(``examples/<id>.yaml``) lacks, so that it cannot be rendered any more.
"""

from __future__ import annotations

import difflib
import hashlib
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from ehe_letters.data import packaged_examples
from ehe_letters.docx.compiled import CompiledTemplate, template_sources
from ehe_letters.docx.jinja_env import make_environment
from ehe_letters.docx.text import docx_text
from ehe_letters.errors import EheLettersError, InputError
from ehe_letters.letters.catalogue import Letter
from ehe_letters.letters.context import build_jobs
from ehe_letters.models.loading import load_case_file
from ehe_letters.review.approvals import load_approvals
from ehe_letters.rules.lint_vars import Resolver, context_type

__all__ = [
    "DiffReport",
    "Version",
    "diff_versions",
    "read_version",
    "template_fields",
    "wording_diff",
]

EXAMPLES = packaged_examples()


@dataclass(frozen=True)
class Version:
    """One version of a template file: a label for people and the file's bytes."""

    label: str
    data: bytes


@dataclass
class DiffReport:
    """What ``template diff`` prints: the wording diff, field changes and breaking changes."""

    wording: list[str]
    added: list[str]
    removed: list[str]
    breaking: list[str]
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the report as lines of text."""
        out = self.wording or ["No wording changes."]
        out += ["", "Fields added:", *(f"  {f}" for f in self.added or ["(none)"])]
        out += ["Fields removed:", *(f"  {f}" for f in self.removed or ["(none)"])]
        out += [f"BREAKING: {b}" for b in self.breaking]
        return out


def _git(folder: Path, *args: str) -> bytes:
    """Run git in a folder and return its output; a failure is a one-line InputError."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("git is needed for template versions but was not found") from None
    if done.returncode:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {' '.join(args)}: {said[-1] if said else 'failed'}")
    return done.stdout


def _at(letter: Letter, rev: str) -> bytes:
    """The template file at a git revision."""
    folder, name = letter.template.parent, letter.template.name
    try:
        return _git(folder, "show", f"{rev}:./{name}")
    except InputError:
        raise InputError(f"{rev}: no {name} at that git revision") from None


def _approved(letter: Letter, notes: list[str]) -> Version:
    """The last approved version, or HEAD (saying why) when it cannot be found."""
    record = load_approvals(letter.template.parent).get(letter.id)
    if record is None:
        notes.append(f"{letter.id} has never been approved; comparing with HEAD")
        return Version("HEAD", _at(letter, "HEAD"))
    label = f"approved {record.date.isoformat()} by {record.approved_by}"
    folder, name = letter.template.parent, letter.template.name
    try:
        commits = _git(folder, "log", "--format=%H", "--", name).decode().split()
    except InputError:  # not a git repository: only the working copy can be the approved one
        commits = []
    for commit in commits:
        data = _git(folder, "show", f"{commit}:./{name}")
        if hashlib.sha256(data).hexdigest() == record.sha256:
            return Version(f"{label}, commit {commit[:10]}", data)
    working = letter.template.read_bytes()
    if hashlib.sha256(working).hexdigest() == record.sha256:
        return Version(f"{label}, working copy (not committed yet)", working)
    notes.append(
        f"no commit holds the approved {name} (sha256 {record.sha256[:12]}); comparing with HEAD"
    )
    return Version("HEAD", _at(letter, "HEAD"))


def read_version(letter: Letter, rev: str, notes: list[str]) -> Version:
    """Read a template version: ``working``, ``approved`` or a git revision."""
    if rev == "working":
        try:
            return Version("working copy", letter.template.read_bytes())
        except OSError as exc:
            raise InputError(f"{letter.template}: cannot read: {exc.strerror}") from None
    if rev == "approved":
        return _approved(letter, notes)
    return Version(rev, _at(letter, rev))


@dataclass
class _Parsed:
    """A template version written to a temporary file and parsed once."""

    path: Path
    trees: dict[str, nodes.Template]


def _parse(data: bytes, folder: Path, name: str, label: str) -> _Parsed:
    path = folder / name
    path.write_bytes(data)
    env, trees = make_environment(), {}
    try:
        for part, source in template_sources(path).items():
            trees[part] = env.parse(source)
    except TemplateSyntaxError as exc:
        raise InputError(f"{label}: template syntax error: {exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - not a .docx: one line, no traceback
        raise InputError(f"{label}: cannot read the template: {type(exc).__name__}") from None
    return _Parsed(path, trees)


def _fields(parsed: _Parsed) -> set[str]:
    """The context paths a template version reads (the linter's walker, every name known)."""
    context, globals_ = context_type(None), frozenset(make_environment().globals)
    found: set[str] = set()
    for tree in parsed.trees.values():
        found |= Resolver(context, globals_).walk(tree).used
    # Keep the most specific paths: "children" goes when "children[].full_name" is there.
    return {f for f in found if not any(g.startswith((f + ".", f + "[")) for g in found)}


def template_fields(data: bytes) -> set[str]:
    """Return the variable paths a template (the .docx file's bytes) uses."""
    with tempfile.TemporaryDirectory(prefix="ehe-letters-diff-") as tmp:
        return _fields(_parse(data, Path(tmp), "template.docx", "template"))


def _model_problems(parsed: _Parsed, letter: Letter) -> set[str]:
    """Fields the case model cannot provide to this letter (as the linter words them)."""
    context, globals_ = context_type(letter), frozenset(make_environment().globals)
    return {
        problem.message
        for tree in parsed.trees.values()
        for problem in Resolver(context, globals_).check(tree)
    }


def _example_problem(parsed: _Parsed, letter: Letter, when: date) -> str | None:
    """Why the letter's example case cannot be rendered with this version (None: it can)."""
    example = EXAMPLES / f"{letter.id}.yaml"
    if not example.exists():
        return None
    try:
        case_file = load_case_file(example)
        template = CompiledTemplate(parsed.path)
        for job in build_jobs(letter, case_file.case, case_file.authority, when):
            template.render(job.context)
    except EheLettersError as exc:
        return f"{example.relative_to(EXAMPLES.parent)}: {exc}"
    return None


def wording_diff(name: str, old: Version, new: Version) -> list[str]:
    """Return the unified diff of two versions of a .docx file's text (empty: same wording)."""
    return list(
        difflib.unified_diff(
            docx_text(old.data).splitlines(),
            docx_text(new.data).splitlines(),
            f"{name} ({old.label})",
            f"{name} ({new.label})",
            lineterm="",
        )
    )


def diff_versions(letter: Letter, old: Version, new: Version, when: date) -> DiffReport:
    """Compare two versions of a letter's template; ``new`` is the one checked for breakage."""
    wording = wording_diff(letter.template.name, old, new)
    with tempfile.TemporaryDirectory(prefix="ehe-letters-diff-") as tmp:
        name = letter.template.name
        (Path(tmp) / "old").mkdir()
        (Path(tmp) / "new").mkdir()
        before = _parse(old.data, Path(tmp) / "old", name, old.label)
        after = _parse(new.data, Path(tmp) / "new", name, new.label)
        old_fields, new_fields = _fields(before), _fields(after)
        breaking = sorted(_model_problems(after, letter) - _model_problems(before, letter))
        problem = _example_problem(after, letter, when)
        if problem and problem != _example_problem(before, letter, when):
            breaking.append(problem)
    return DiffReport(
        wording, sorted(new_fields - old_fields), sorted(old_fields - new_fields), breaking
    )
