"""`ehe-letters deadline`: the dates of a notice, without a case file."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ehe_letters.cli.common import parse_date, settings
from ehe_letters.errors import InputError, LawError
from ehe_letters.letters.context import long_date
from ehe_letters.letters.notice_dates import deadline_for

__all__ = ["deadline_command"]

MAX_PERIOD = 366


def deadline_command(
    notice: Annotated[str, typer.Argument(help="s437-notice or sao-intention.")],
    sent: Annotated[str, typer.Option("--sent", help="Date sent or delivered, YYYY-MM-DD.")],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="hand, left-at-address, first-class-post, second-class-post or post.",
        ),
    ],
    period: Annotated[
        int | None, typer.Option("--period", help="Days in the period (at least 15).")
    ] = None,
    nation: Annotated[str, typer.Option("--nation", help="england or wales.")] = "england",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Compute the deemed service date and the date to name in a notice."""
    if nation not in ("england", "wales"):
        raise InputError(f"--nation: {nation!r} is not england or wales")
    if period is not None and period > MAX_PERIOD:
        raise InputError(f"--period: at most {MAX_PERIOD} days (a notice's period is in days)")
    try:
        when = parse_date(sent, "--sent")
        result = deadline_for(notice, when, method, nation, period, settings())
    except LawError as exc:  # here a refused input is bad usage of the calculator: exit 2
        raise InputError(str(exc), problems=exc.problems) from None
    if as_json:
        typer.echo(json.dumps({"notice": notice, **result.as_json()}, indent=2))
        return
    typer.echo(f"notice:            {notice}")
    typer.echo(f"sent:              {long_date(result.sent)} ({result.method})")
    typer.echo(f"deemed served:     {long_date(result.deemed_served)}")
    typer.echo(f"period:            {result.period_days} days beginning with the day of service")
    minimum = f"{result.minimum_days} days, ending {long_date(result.earliest_deadline)}"
    typer.echo(f"statutory minimum: {minimum}")
    typer.echo(f"period ends:       {long_date(result.period_end)}")
    typer.echo(f"date in notice:    {long_date(result.deadline)}")
    for reference in result.references:
        typer.echo(f"  {reference}")
