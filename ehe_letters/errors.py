"""One error hierarchy for the toolkit; the CLI turns these into one line each and an exit code."""

from __future__ import annotations

EXIT_SUCCESS = 0
EXIT_FAIL = 1  # a check failed, or some rows of a batch failed
EXIT_ERROR = 2  # bad input or bad usage


class EheLettersError(Exception):
    """Base class: a problem to report to the user as one or more one-line messages."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class InputError(EheLettersError):
    """The user's input (a file, a field, an argument) is unusable."""


class LawError(EheLettersError):
    """A legal rule refuses the request (e.g. a period shorter than the statute allows).

    A refusal is a check that failed, so the CLI exits 1 (bad input or usage exits 2).
    """

    exit_code = EXIT_FAIL


class TemplateProblem(EheLettersError):
    """A template is broken or asks for data the case lacks."""
