"""The LibreOffice program: where it is, how to start it quietly and how to stop it.

Every LibreOffice started here ends with the run that started it, however the run ends: each
is a process group of its own that the run's watchdog kills if the run dies first, and the
converters' temporary folder (``temp_folder``) is removed by the next run if this one could not
(see ``ehe_letters/processes.py``).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

from ehe_letters.errors import InputError
from ehe_letters.processes import forget_group, owned_temp_folder, spawn_watched
from ehe_letters.settings import ENVIRONMENT, Settings, settings_or_default

__all__ = [
    "ENV_VAR",
    "FLAGS",
    "PDF_EXPORT",
    "pdf_filter",
    "INSTALL_HINT",
    "TEMP_PREFIX",
    "find_soffice",
    "kill",
    "spawn",
    "temp_folder",
]

TEMP_PREFIX = "ehe-letters-pdf-"

ENV_VAR = ENVIRONMENT["soffice"]

NAMES = ("soffice", "libreoffice")

SEARCH_DIRS = [
    "/usr/bin",
    "/usr/lib/libreoffice/program",
    "/opt/libreoffice*/program",
    "/Applications/LibreOffice.app/Contents/MacOS",
    "C:/Program Files/LibreOffice/program",
]

FLAGS = ("--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo")

# How every letter's PDF is written: pictures kept as they are (lossless, full resolution),
# not re-encoded as JPEG and resampled: a logo stays sharp, and LibreOffice is quicker.
PDF_EXPORT = {"UseLosslessCompression": True, "ReduceImageResolution": False}


def pdf_filter(**extra: bool) -> str:
    """soffice's --convert-to argument for a PDF with PDF_EXPORT's options and these."""
    options = {
        name: {"type": "boolean", "value": "true" if value else "false"}
        for name, value in {**PDF_EXPORT, **extra}.items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


INSTALL_HINT = (
    "install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-liberation2;"
    " macOS/Windows: https://www.libreoffice.org/download/) or set "
    f"{ENV_VAR} to its soffice program"
)


def find_soffice(settings: Settings | None = None) -> str:
    """Return the LibreOffice program to run, or raise InputError saying how to install it.

    The program the settings name (None: $EHE_LETTERS_SOFFICE), else the first found on the
    PATH or in the usual places.
    """
    settings = settings_or_default(settings)
    if configured := settings.soffice:
        if found := shutil.which(configured):
            return found
        where = settings.origin("soffice").key("soffice")
        raise InputError(f"{where}={configured} is not a program that can be run; {INSTALL_HINT}")
    for name in NAMES:
        if found := shutil.which(name):
            return found
    for pattern in SEARCH_DIRS:
        for folder in sorted(glob.glob(pattern), reverse=True):  # newest /opt/libreoffice* first
            for name in (*NAMES, "soffice.exe"):
                if (program := Path(folder, name)).is_file() and os.access(program, os.X_OK):
                    return str(program)
    raise InputError(f"LibreOffice is needed for PDFs but was not found: {INSTALL_HINT}")


def spawn(cmd: list[str]) -> subprocess.Popen:
    """Start a command in a process group of its own, silent, that dies with this process."""
    quiet = subprocess.DEVNULL
    if os.name == "posix":  # a session of its own, known to the watchdog before it runs
        return spawn_watched(cmd, stdin=quiet, stdout=quiet, stderr=quiet)
    return subprocess.Popen(cmd, stdin=quiet, stdout=quiet, stderr=quiet, creationflags=0x200)


def temp_folder() -> Path:
    """Make the converters' temporary folder (mode 0700), owned by this run; first remove the
    folders of runs that died without removing theirs (letter copies: personal data)."""
    return owned_temp_folder(TEMP_PREFIX)


def kill(proc: subprocess.Popen | None) -> None:
    """Kill a process and everything in its group, and reap it."""
    if proc is None:
        return
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
            forget_group(proc.pid)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
