"""Write one case's letters (and, on request, their PDFs) all or nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ehe_letters.errors import EheLettersError, InputError
from ehe_letters.files import write_atomic
from ehe_letters.letters.produce import LetterSet
from ehe_letters.settings import Settings

__all__ = ["write_letters"]


def _targets(letters: LetterSet, output: Path | None, force: bool = False) -> list[Path]:
    if output is not None and output.suffix.lower() == ".docx":
        if len(letters) > 1:
            raise InputError(
                f"-o {output}: this case gives {len(letters)} letters (one per addressee); "
                "give a folder instead"
            )
        targets = [output]
    else:
        folder = output or Path.cwd()
        if folder.exists() and not folder.is_dir():
            raise InputError(f"-o {folder}: exists and is not a folder")
        targets = [folder / letter.name for letter in letters]
    if not force:
        existing = [t for t in targets if t.exists()]
        if existing:
            raise InputError(
                f"{existing[0]}: already exists; give --force to replace it, or another -o"
            )
    return targets


def write_letters(
    letters: LetterSet,
    output: Path | None,
    reference: str,
    pdf: bool = False,
    settings: Settings | None = None,
    force: bool = False,
) -> list[Path]:
    """Write the letters (-o file or folder); with `pdf`, convert and check each one too.

    A letter that exists already is replaced only with `force` (else an InputError, and
    nothing is written).

    LibreOffice is the one ``settings`` name (None: $EHE_LETTERS_SOFFICE or found).  Nothing is
    left behind on failure: files written by this call are removed again.
    """
    targets = _targets(letters, output, force)
    soffice = None
    if pdf:
        from ehe_letters.pdf.soffice import find_soffice

        soffice = find_soffice(settings)  # fail at once, before writing anything
    written: list[Path] = []
    try:
        for target, letter in zip(targets, letters, strict=True):
            write_atomic(target, letter.data)
            written.append(target)
        if pdf:
            written += _pdfs(targets, reference, soffice)
    except OSError as exc:
        _remove(written)
        where = exc.filename or (targets[len(written)] if len(written) < len(targets) else "")
        raise InputError(f"{where}: cannot write: {exc.strerror}") from None
    except (EheLettersError, KeyboardInterrupt):
        _remove(written)
        raise
    return written


def _pdfs(docx_files: list[Path], reference: str, soffice: str | None) -> list[Path]:
    """Convert and check each letter: it opens, holds the reference, and keeps to GOV.UK
    Notify's printable areas (PDF001-PDF003: a finding refuses the letters, exit 1)."""
    from ehe_letters.letters.produce import Refused
    from ehe_letters.pdf.check import check_letter_pdf
    from ehe_letters.pdf.convert import ConverterPool

    pairs = [(path, path.with_suffix(".pdf")) for path in docx_files]
    with ConverterPool(workers=1, soffice=soffice) as pool:
        report = pool.convert(pairs)
    made = [target for _, target in pairs if target.exists()]
    try:
        if report.failed:
            raise EheLettersError(f"{report.failed[0][0]}: LibreOffice could not convert it to PDF")
        for target in made:
            _, findings = check_letter_pdf(target, reference)
            errors = [f for f in findings if f.severity == "error"]
            if errors:
                raise Refused(_first(errors), str(target))
    except BaseException:
        _remove(made)
        raise
    return made


SHOWN = 5  # printable-area findings shown for a letter; then how many more


def _first(findings: list) -> list:
    """The first few findings, and one saying how many more there are (a template edited out of
    the areas gives dozens, one per line of text)."""
    if len(findings) <= SHOWN:
        return findings
    more = findings[SHOWN]
    count = len(findings) - SHOWN
    return [*findings[:SHOWN], replace(more, message=f"and {count} more finding(s)", location="")]


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
