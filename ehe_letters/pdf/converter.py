"""One resident LibreOffice on a private profile, fed chunks of files (see convert.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ehe_letters.files import move_atomic
from ehe_letters.pdf.profiles import KeptProfile
from ehe_letters.pdf.soffice import FLAGS, kill, pdf_filter, spawn

__all__ = ["Converter", "Item"]

Item = tuple[int, Path, Path]  # (index, docx, target)


def _complete_pdf(path: Path) -> bool:
    """Tell whether a file looks like a whole PDF (ends with %%EOF)."""
    try:
        return b"%%EOF" in path.read_bytes()[-1024:]
    except OSError:
        return False


def _warm_up_document(path: Path) -> None:
    """Write a one-line Word document in Arial, for warming a converter up."""
    from docx import Document

    document = Document()
    run = document.add_paragraph().add_run("ehe-letters")
    run.font.name = "Arial"
    document.save(path)


class Converter:
    """One resident LibreOffice on a private profile, fed chunks of files."""

    def __init__(
        self, soffice: str, root: Path, timeout: float, kept: KeptProfile | None = None
    ) -> None:
        self.soffice, self.root, self.timeout, self.kept = soffice, root, timeout, kept
        root.mkdir()
        self.profile = kept.path if kept is not None else root / "profile"
        self.keep = root / "keepalive.txt"
        self.keep.write_text("\n", encoding="utf-8")
        self.base = [soffice, f"-env:UserInstallation={self.profile.as_uri()}", *FLAGS]
        self.server: subprocess.Popen | None = None
        self.client: subprocess.Popen | None = None
        self.started = self.closed = False
        self.restarts = 0
        self.lock = threading.Lock()

    def _launch(self, cmd: list[str], role: str) -> subprocess.Popen | None:
        """Start a process as the server or client, unless the pool is closing."""
        with self.lock:
            if self.closed:
                return None
            proc = spawn(cmd)
            setattr(self, role, proc)
            return proc

    def _litter(self) -> list[Path]:
        """Return the lock file and IPC socket a killed LibreOffice leaves behind."""
        md5 = hashlib.md5(self.profile.as_uri().encode("utf-16-le")).digest()
        digest = "".join(f"{byte:x}" for byte in md5)  # LibreOffice drops leading zeros
        uid = os.getuid() if hasattr(os, "getuid") else 0
        sock = Path(f"/tmp/OSL_PIPE_{uid}_SingleOfficeIPC_{digest}")
        return [self.keep.with_name(f".~lock.{self.keep.name}#"), sock]

    def start(self) -> None:
        """Start the resident LibreOffice and wait until it has opened its keep-alive file.

        On a kept profile (profiles.py) that will not start LibreOffice or convert a document
        (a corrupt profile), the profile is deleted and LibreOffice started once more on a
        fresh one."""
        self.started = True
        if self._start_once() or self.kept is None or self.closed:
            return
        self.stop()
        self.kept.wipe()
        self._start_once()

    def _start_once(self) -> bool:
        """Start and warm up; tell whether a document was converted."""
        if not (server := self._launch([*self.base, str(self.keep)], "server")):
            return False
        lock, deadline = self._litter()[0], time.monotonic() + min(self.timeout, 60)
        while not lock.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not lock.exists():  # it would not start: chunks then run as one-off processes
            self.stop()
            return False
        # Convert one small document now, so that loading the Word import filter and the
        # fonts is paid here (in the background) rather than by the first letter.
        sample, pdf = self.root / "warm-up.docx", self.root / "warm-up.pdf"
        _warm_up_document(sample)
        self.run([(-1, sample, pdf)])
        if not pdf.exists():
            return False
        if self.kept is not None and not self.kept.good:
            self.kept.mark_good()
        return True

    def stop(self, close: bool = False) -> None:
        """Kill the running processes and clear what they leave behind."""
        with self.lock:
            self.closed = self.closed or close
            procs, self.server, self.client = (self.client, self.server), None, None
        for proc in procs:
            kill(proc)
        for path in self._litter():
            path.unlink(missing_ok=True)
        if close and self.kept is not None:
            self.kept.release()

    def restart(self) -> None:
        """Kill and start again."""
        self.stop()
        self.restarts += 1
        self.start()

    def run(
        self, items: list[Item], convert_to: str | None = None
    ) -> tuple[list[Item], str | None]:
        """Convert items, placing each PDF; return those without a PDF and any process problem.

        `convert_to` is soffice's --convert-to argument (a filter and its options; default:
        a PDF with soffice.PDF_EXPORT's options)."""
        convert_to = convert_to or pdf_filter()
        if not self.started:
            self.start()
        elif self.server is not None and self.server.poll() is not None:
            self.restart()  # it died since the last chunk
        work = Path(tempfile.mkdtemp(dir=self.root))
        try:
            inputs, missing = [], []
            for index, docx, target in items:
                try:
                    shutil.copyfile(docx, work / f"f{index:06d}.docx")
                    inputs.append((index, docx, target))
                except OSError:
                    missing.append((index, docx, target))
            if not inputs:
                return missing, None
            names = [str(work / f"f{i:06d}.docx") for i, _, _ in inputs]
            cmd = [*self.base, "--convert-to", convert_to, "--outdir", str(work), *names]
            if not (client := self._launch(cmd, "client")):
                return missing + inputs, "stopped"
            try:
                code = client.wait(timeout=self.timeout)
                problem = None if code == 0 else f"LibreOffice exited with code {code}"
            except subprocess.TimeoutExpired:
                problem = f"LibreOffice took longer than {self.timeout:g} s"
            if problem:
                self.stop()
            with self.lock:
                self.client = None
            for item in inputs:
                pdf = work / f"f{item[0]:06d}.pdf"
                if _complete_pdf(pdf):
                    move_atomic(pdf, item[2])
                else:
                    missing.append(item)
            return missing, problem
        finally:
            shutil.rmtree(work, ignore_errors=True)
