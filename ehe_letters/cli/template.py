"""`ehe-letters template ...` (text, approve, diff, upstream, setup-git) and `specimens`.

Registered on the main app in cli.py::

    app.add_typer(template_app, name="template")
    app.command("specimens")(specimens_command)
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ehe_letters.cli.common import TYPER_SETTINGS, TemplatesOption, parse_date, settings
from ehe_letters.docx.text import docx_text
from ehe_letters.errors import EXIT_FAIL, InputError
from ehe_letters.letters.catalogue import get_letter
from ehe_letters.review.approvals import approve
from ehe_letters.rules.templates import check_templates

__all__ = ["specimens_command", "template_app"]

template_app = typer.Typer(
    help="Review templates: text view, approvals, diffs, upstream changes, git setup.",
    **TYPER_SETTINGS,
)


def _write(text: str) -> None:
    """Print text as UTF-8 whatever the locale (git runs a textconv with its own)."""
    stream = sys.stdout
    if hasattr(stream, "buffer"):
        stream.flush()
        stream.buffer.write(text.encode("utf-8"))
        stream.buffer.flush()
    else:
        stream.write(text)


@template_app.command("text")
def text_command(
    docx: Annotated[
        str,
        typer.Argument(
            metavar="DOCX|LETTER",
            help="A template or letter (.docx), or a letter id (welcome, cy/welcome).",
        ),
    ],
    templates: TemplatesOption = None,
) -> None:
    """Print a .docx as stable plain text (tags and tracked changes shown): a git textconv.

    Given a letter id instead of a file, the letter's template (cy/<id>: its Welsh one)."""
    path = Path(docx)
    if not path.exists() and not docx.lower().endswith(".docx"):
        path = get_letter(docx, settings(templates)).template
    _write(docx_text(path))


@template_app.command("approve")
def approve_command(
    letter_id: Annotated[str, typer.Argument(metavar="LETTER", help="Letter id, e.g. welcome.")],
    by: Annotated[
        str, typer.Option("--by", help="Approver's role, e.g. 'Solicitor, Legal Services'.")
    ],
    note: Annotated[str, typer.Option("--note", help="What changed and why.")] = "",
    when: Annotated[
        str | None, typer.Option("--date", help="Approval date, YYYY-MM-DD (default: today).")
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """Record the current template file of a letter as approved (approvals.toml, CHANGELOG.md)."""
    config = settings(templates)
    letter = get_letter(letter_id, config)
    record = approve(letter_id, by, note, parse_date(when), config)
    folder = letter.template.parent
    typer.echo(f"approved {letter.template.name}")
    typer.echo(f"  sha256:      {record.sha256}")
    typer.echo(f"  approved by: {record.approved_by}")
    typer.echo(f"  date:        {record.date.isoformat()}")
    typer.echo(f"  note:        {record.note or '(none)'}")
    typer.echo(f"  recorded in: {folder / 'approvals.toml'}, {folder / 'CHANGELOG.md'}")
    findings = check_templates([letter.template], config)
    others = [f for f in findings if f.code not in ("EHE501", "EHE502")]
    for finding in others:
        typer.echo(f"warning: {finding.line()}", err=True)
    if others:
        typer.echo("warning: 'ehe-letters check' still fails for this template", err=True)


@template_app.command("diff")
def diff_command(
    letter_id: Annotated[str, typer.Argument(metavar="LETTER", help="Letter id, e.g. welcome.")],
    from_rev: Annotated[
        str, typer.Option("--from", help="approved (default), working, or a git revision.")
    ] = "approved",
    to_rev: Annotated[
        str, typer.Option("--to", help="working (default), approved, or a git revision.")
    ] = "working",
    when: Annotated[
        str | None,
        typer.Option("--date", help="Date to render the example case on (default: today)."),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """Show what changed in a template: wording, fields needed; exit 1 on a breaking change."""
    from ehe_letters.review.diff import diff_versions, read_version

    letter = get_letter(letter_id, settings(templates))
    notes: list[str] = []
    old = read_version(letter, from_rev, notes)
    new = read_version(letter, to_rev, notes)
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    report = diff_versions(letter, old, new, parse_date(when))
    _write("\n".join(report.lines()) + "\n")
    if report.breaking:
        raise typer.Exit(EXIT_FAIL)


@template_app.command("upstream")
def upstream_command(
    letter_id: Annotated[
        str | None,
        typer.Argument(metavar="[LETTER]", help="Letter id or wording-rules (default: all)."),
    ] = None,
    take: Annotated[
        str | None,
        typer.Option("--take", metavar="LETTER", help="Copy the shipped version of LETTER in."),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """Show which templates differ from the shipped ones (wording diff); --take copies one in."""
    from ehe_letters.review.upstream import compare_upstream, take_upstream, uses_shipped

    config = settings(templates)
    if take is not None:
        _print_taken(take_upstream(take, config))
        return
    if uses_shipped(config):
        typer.echo("the templates in use are the shipped ones: nothing differs", err=True)
        typer.echo("(run this in a workspace, made by 'ehe-letters init DIR')", err=True)
        return
    results = compare_upstream(config, letter_id)
    width = max(len(r.name) for r in results)
    for r in results:
        status = "same as shipped" if r.same else "differs: " + ", ".join(r.differs)
        typer.echo(f"{r.name:<{width}}  {status}")
    for r in (r for r in results if not r.same):
        _write("\n" + "\n".join(r.lines) + "\n")
    if any(not r.same for r in results):
        typer.echo(
            "'-' lines are this workspace's, '+' lines the shipped version's; "
            "'ehe-letters template upstream --take LETTER' copies the shipped one in",
            err=True,
        )


def _print_taken(taken) -> None:
    if not taken.copied:
        typer.echo(f"{taken.name}: already the shipped version; nothing copied")
        return
    for path in taken.copied:
        typer.echo(f"took {path} (shipped version)")
    if taken.status is None:
        typer.echo("run 'ehe-letters check': the letters are checked against these rules")
    elif taken.status == "approved":
        typer.echo(f"{taken.name}: the file is the one approved in approvals.toml (no EHE501)")
    else:
        typer.echo(
            f"{taken.name}: needs approval: 'ehe-letters check' reports "
            f"{'EHE501' if taken.approval else 'EHE502'} for it until "
            f"'ehe-letters template approve {taken.name} --by ROLE --note TEXT'"
        )


def _git_config(repo: Path, key: str, value: str) -> None:
    try:
        done = subprocess.run(
            ["git", "config", key, value], cwd=repo, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise InputError("git was not found") from None
    if done.returncode:
        said = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise InputError(f"{repo}: git config {key}: {said}")


@template_app.command("setup-git")
def setup_git_command(
    repo: Annotated[Path, typer.Option("--repo", help="The clone to set up.")] = Path("."),
) -> None:
    """Make git diff and git log -p show .docx templates as text in this clone."""
    command = f"{shlex.quote(sys.executable)} -m ehe_letters template text"
    settings = {"diff.docx.textconv": command, "diff.docx.cachetextconv": "true"}
    for key, value in settings.items():
        _git_config(repo, key, value)
        typer.echo(f"git config {key} {shlex.quote(value)}")
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    attributes = Path(top or repo) / ".gitattributes"
    if "diff=docx" not in (attributes.read_text(encoding="utf-8") if attributes.exists() else ""):
        typer.echo(f"note: add '*.docx diff=docx merge=binary' to {attributes}", err=True)


def specimens_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for the specimens and the index.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also convert each specimen to PDF.")] = False,
    when: Annotated[
        str | None,
        typer.Option("--date", help="Letter date, YYYY-MM-DD (default: today)."),
    ] = None,
    templates: TemplatesOption = None,
) -> None:
    """Render every letter from its example into one folder, with an index, for legal review."""
    from ehe_letters.review.specimens import make_specimens

    specimens = make_specimens(out, parse_date(when), pdf, settings(templates))
    for s in specimens:
        files = ", ".join(s.files) or "no specimen"
        typer.echo(f"{s.letter:<24} {s.approval:<22} {files}")
    typer.echo(f"{out / 'index.md'}", err=True)
    missing = [s for s in specimens if not s.files or (pdf and len(s.files) < 2)]
    if missing:
        typer.echo(f"{len(missing)} letter(s) incomplete: see {out / 'index.md'}", err=True)
        raise typer.Exit(EXIT_FAIL)
