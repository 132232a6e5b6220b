"""The ``ehe-letters`` command line: thin commands that parse arguments, call the library, print.

Each command lives in the module named for what it does (letters, batch, law, checks,
template, workspace); this module registers them and turns toolkit errors into one line each.
Every command builds its settings once (options > environment > workspace > packaged) and
passes them down.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.exceptions import TyperException

from ehe_letters import __version__
from ehe_letters.cli.batch import batch_command
from ehe_letters.cli.checks import (
    check_command,
    check_pdf_command,
    rules_command,
    schema_command,
)
from ehe_letters.cli.common import TYPER_SETTINGS, one_line, shown_path
from ehe_letters.cli.law import deadline_command
from ehe_letters.cli.letters import letters_command, render_command, verify_command
from ehe_letters.cli.template import specimens_command, template_app
from ehe_letters.cli.workspace import config_command, init_command
from ehe_letters.errors import EXIT_ERROR, EheLettersError

__all__ = ["app", "entry_point", "main"]

app = typer.Typer(
    help="Letters and statutory notices for elective home education teams.",
    **TYPER_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ehe-letters {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Letters and statutory notices for elective home education teams."""


app.command("letters")(letters_command)
app.command("render")(render_command)
app.command("batch")(batch_command)
app.command("deadline")(deadline_command)
app.command("check")(check_command)
app.command("check-pdf")(check_pdf_command)
app.command("rules")(rules_command)
app.command("verify")(verify_command)
app.command("schema")(schema_command)
app.add_typer(template_app, name="template")
app.command("specimens")(specimens_command)
app.command("init")(init_command)
app.command("config")(config_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn toolkit errors into one line each on stderr and an exit code."""
    try:
        code = app(args=argv, prog_name="ehe-letters", standalone_mode=False)
    except EheLettersError as exc:
        for problem in exc.problems:
            print(f"error: {one_line(problem)}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a read-only or full disk, a folder where a file should be ...
        where = f"{shown_path(exc.filename)}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or type(exc).__name__}", file=sys.stderr)
        return EXIT_ERROR
    except OverflowError:
        print(
            "error: a date would be beyond the calendar (a period or a date too far ahead)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except RecursionError:
        print("error: the input is nested too deeply", file=sys.stderr)
        return EXIT_ERROR
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        return 130
    except TyperException as exc:  # usage errors: unknown option, missing argument ...
        if hasattr(exc, "show"):
            exc.show()
        else:
            print(f"error: {exc.format_message()}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_ERROR) or EXIT_ERROR
    return code if isinstance(code, int) else 0


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
