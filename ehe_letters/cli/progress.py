"""Progress of a batch: a rich progress bar on a terminal, silence otherwise."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ehe_letters.batch.results import NoProgress

__all__ = ["BatchProgress"]


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="progress.data.speed")


class BatchProgress(NoProgress):
    """A progress bar with count, rate and time remaining, on stderr."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description:<7}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._rows = self._pdfs = None

    def __enter__(self) -> BatchProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    def total(self, rows: int) -> None:
        self._rows = self._bar.add_task("letters", total=rows)

    def row(self, result) -> None:
        self._bar.advance(self._rows)

    def pdf_total(self, count: int) -> None:
        self._pdfs = self._bar.add_task("PDF", total=count)

    def pdf_done(self, ok: bool) -> None:
        self._bar.advance(self._pdfs)
