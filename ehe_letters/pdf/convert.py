"""PDF output through LibreOffice in headless mode.

Starting LibreOffice costs about a second, so no letter gets a LibreOffice of its own. A
`ConverterPool` runs `workers` converters, driven by threads that take a free converter for each
conversion and give it back (for chunks, two threads a converter: one chunk is composed, or its
PDF proven and split, while another converts). A converter owns a private
user profile (``-env:UserInstallation`` in the pool's temp dir, made once and kept for the pool's
life) and a *resident* LibreOffice started on that profile with a small keep-alive document open,
so that it does not quit after a conversion. Each chunk of letters is then converted by an
ordinary ``soffice --convert-to pdf --outdir DIR f1 ... fN`` on the same profile: LibreOffice
hands that command over its single-instance pipe to the resident process, which converts the
files and answers when done. A chunk thus costs its conversions plus ~50 ms, not a start-up; no
``uno`` module is needed. Should the resident process be missing (it would not start, or died),
the very same command converts on its own, as a one-off process: slower, same result.

``convert_chunks`` goes further (chunks.py): each chunk of letters becomes *one* document, a
section per letter, converted once and split back per letter, its pages proven; a chunk that
cannot be proven is converted as above, its letters one by one.  Converters keep their
profiles between runs (profiles.py), and every PDF is settled: the same letter, the same bytes
(settle.py).

Every chunk has a timeout; on a timeout, crash or non-zero exit the converter's processes are
killed (whole process groups), it is restarted, and the chunk's files that gave no PDF are tried
again (`retries` times), then one at a time, so one bad letter cannot sink its neighbours. Files
that still fail are reported, not raised. Inputs are copied under neutral names (no clashes, no
odd characters on a command line) and each PDF is converted in the temp dir, then moved to its
target with `os.replace`, so a file with the final name is always whole. The temp dir (mode 0700:
letters hold personal data) and every process the pool started are removed on exit, Ctrl-C too.
"""

from __future__ import annotations

import math
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ehe_letters.errors import EheLettersError
from ehe_letters.pdf import lift
from ehe_letters.pdf.check import check_pdf
from ehe_letters.pdf.chunks import Chunk, convert_chunk, settle_file
from ehe_letters.pdf.converter import Converter, Item
from ehe_letters.pdf.profiles import cache_folder, take_profile
from ehe_letters.pdf.soffice import find_soffice, temp_folder
from ehe_letters.settings import Settings

__all__ = ["ConversionReport", "ConverterPool", "docx_to_pdf", "find_soffice"]

PLACES = "placements.json"  # beside the kept profiles: where header pictures are laid out


@dataclass
class ConversionReport:
    """What a `ConverterPool.convert` call produced."""

    converted: list[Path] = field(default_factory=list)  # targets written
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (docx, reason)
    restarts: int = 0
    seconds: float = 0.0
    fallbacks: list[str] = field(default_factory=list)  # why chunks went one by one

    @property
    def ok(self) -> bool:
        """Tell whether every file was converted."""
        return not self.failed


class ConverterPool:
    """Long-lived LibreOffice converters that turn .docx files into PDFs in parallel."""

    def __init__(
        self,
        workers: int = 2,
        timeout: float = 180,
        retries: int = 1,
        *,
        soffice: str | None = None,
        chunk_size: int = 20,
        profiles: Path | None = None,
        keep_profiles: bool = True,
    ) -> None:
        self.workers, self.timeout, self.retries = max(1, workers), timeout, max(0, retries)
        self.soffice = soffice or find_soffice()
        self.chunk_size = max(1, chunk_size)
        self.profiles, self.keep_profiles = profiles, keep_profiles
        # Letters split from a chunk, checked there (page count, printable-area findings):
        # target -> (pages, findings), filled before on_done is called for the target.
        self.checked: dict[Path, tuple] = {}
        # Where the letters' first-page header pictures are laid out, learnt from the chunks
        # (and kept with the profiles), so that chunks lift them into the body (pdf/lift.py).
        self.placements = lift.Placements(
            (profiles or cache_folder()) / PLACES if keep_profiles else None
        )
        self._root: Path | None = None
        self._converters: list[Converter] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> ConverterPool:
        self._root = temp_folder()  # removed by the next run should this one be killed
        self._converters = [
            Converter(self.soffice, self._root / f"c{n}", self.timeout, self._profile())
            for n in range(self.workers)
        ]
        self._warming: list[threading.Thread] = []
        return self

    def _profile(self):
        """A kept profile for one converter (None: a temporary one in the pool's folder)."""
        return take_profile(self.profiles) if self.keep_profiles else None

    def warm_up(self) -> None:
        """Start the converters now, in the background (e.g. while the letters are rendered)."""
        for conv in self._converters:
            if not conv.started:
                thread = threading.Thread(target=conv.start, daemon=True)
                thread.start()
                self._warming.append(thread)

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill every LibreOffice process the pool started and delete its temp dir."""
        self.placements.save()
        self._stop.set()
        for conv in self._converters:
            conv.stop(close=True)
        for thread in self._threads:
            thread.join(timeout=10)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def convert(
        self,
        items: Iterable[tuple[Path, Path]],
        on_done: Callable[[Path, bool], None] | None = None,
    ) -> ConversionReport:
        """Convert each (docx, target pdf) pair; report failures, never raise for them."""
        todo = [(n, Path(d), Path(t)) for n, (d, t) in enumerate(items)]
        size = min(self.chunk_size, math.ceil(len(todo) / self.workers)) if todo else 1
        jobs = [(todo[i : i + size], None) for i in range(0, len(todo), size)]
        return self._convert(jobs, on_done)

    def convert_chunks(
        self, chunks: Iterable[Chunk], on_done: Callable[[Path, bool], None] | None = None
    ) -> ConversionReport:
        """Convert each chunk of letters as one document (see chunks.py); report failures."""
        jobs, n = [], 0
        for chunk in chunks:
            items = [(n + i, letter.docx, letter.target) for i, letter in enumerate(chunk.letters)]
            n += len(items)
            jobs.append((items, chunk))
        return self._convert(jobs, on_done)

    def _convert(self, jobs: list[tuple[list[Item], Chunk | None]], on_done) -> ConversionReport:
        """Run the jobs on the converters, calling on_done as each letter's PDF is ready."""
        if self._root is None:
            raise RuntimeError("use ConverterPool as a context manager")
        for thread in self._warming:
            thread.join()
        self._warming = []
        start = time.monotonic()
        report = ConversionReport()
        total = sum(len(items) for items, _ in jobs)
        if not total:
            return report
        queued: queue.SimpleQueue[tuple[list[Item], Chunk | None]] = queue.SimpleQueue()
        for job in jobs:
            queued.put(job)
        results: queue.SimpleQueue[tuple[Item, str | None]] = queue.SimpleQueue()
        free: queue.SimpleQueue[Converter] = queue.SimpleQueue()
        for conv in self._converters:
            free.put(conv)
        # Chunks are composed and split (chunks.py) while no converter is held: two drivers a
        # converter, so that one's chunk is ready to convert when the other's is done.
        drivers = len(self._converters) * (2 if any(c is not None for _, c in jobs) else 1)
        threads = self._threads = [
            threading.Thread(target=self._drive, args=(free, queued, results, report), daemon=True)
            for _ in range(drivers)
        ]
        before = sum(conv.restarts for conv in self._converters)
        try:
            for thread in threads:
                thread.start()
            for _ in range(total):
                (_, docx, target), reason = self._next(results, threads)
                if reason is None:
                    report.converted.append(target)
                else:
                    target.unlink(missing_ok=True)  # never leave a stale PDF under this name
                    report.failed.append((docx, reason))
                if on_done is not None:
                    on_done(target, reason is None)
        except BaseException:
            self.close()  # Ctrl-C or a failing callback: kill LibreOffice now
            raise
        for thread in threads:
            thread.join()
        report.restarts = sum(conv.restarts for conv in self._converters) - before
        report.seconds = time.monotonic() - start
        return report

    @staticmethod
    def _next(results: queue.SimpleQueue, threads: list[threading.Thread]):
        """Wait for the next finished file, waking up so that Ctrl-C is seen."""
        while True:
            try:
                return results.get(timeout=0.2)
            except queue.Empty:
                if not any(t.is_alive() for t in threads) and results.empty():
                    raise RuntimeError("PDF converters stopped with files left") from None

    def _drive(self, free: queue.SimpleQueue, jobs, results, report: ConversionReport) -> None:
        """Convert jobs until none are left (runs in a worker thread), each conversion on a
        converter taken from `free` and given back."""
        while not self._stop.is_set():
            try:
                items, chunk = jobs.get_nowait()
            except queue.Empty:
                return
            reported: set[Item] = set()

            def put(item: Item, reason: str | None, reported=reported) -> None:
                reported.add(item)
                results.put((item, reason))

            def settled(item: Item, reason: str | None) -> None:
                if reason is None:  # LibreOffice's own PDF: made reproducible first
                    try:
                        settle_file(item[1], item[2])
                    except Exception as exc:  # e.g. a damaged PDF: the letter fails alone
                        reason = f"the PDF could not be settled: {type(exc).__name__}"
                put(item, reason)

            try:
                if chunk is not None:
                    leased = _Leased(self, free)
                    left, reason = convert_chunk(leased, chunk, self.checked, self.placements)
                    targets = {letter.target for letter in left}
                    for item in items:
                        if item[2] not in targets:
                            put(item, None)
                    items = [item for item in items if item[2] in targets]
                    if reason:
                        report.fallbacks.append(reason)
                if items:
                    conv = self._take(free)
                    try:
                        self._chunk(conv, items, settled)
                    finally:
                        free.put(conv)
            except Exception as exc:  # e.g. a target folder that vanished: report, never lose
                for item in (i for i in items if i not in reported):
                    put(item, f"conversion failed: {type(exc).__name__}")

    def _take(self, free: queue.SimpleQueue) -> Converter:
        """A free converter, waited for; _Stopped once the pool is closing."""
        while True:
            try:
                return free.get(timeout=0.2)
            except queue.Empty:
                if self._stop.is_set():
                    raise _Stopped from None

    def _chunk(self, conv: Converter, chunk: list[Item], put: Callable) -> None:
        """Convert a chunk: retry what failed after a crash, then go one file at a time."""
        pending, problem = conv.run(chunk)
        for attempt in range(self.retries + 1):
            for item in chunk:
                if item not in pending:
                    put(item, None)
            chunk = pending
            if not pending or not problem or attempt == self.retries or self._stop.is_set():
                break
            conv.restart()
            pending, problem = conv.run(pending)
        for item in pending:  # one at a time: a bad file fails alone
            if self._stop.is_set():
                put(item, "stopped")
                continue
            if problem:
                conv.restart()
            left, problem = conv.run([item])
            put(item, (problem or "LibreOffice produced no PDF") if left else None)


class _Stopped(Exception):
    """The pool closed while a driver waited for a converter."""


class _Leased:
    """What convert_chunk converts a chunk's document with: for each run a converter taken
    from the pool's free ones and given back at once, so that no converter waits while the
    chunk is composed or its PDF proven and split."""

    def __init__(self, pool: ConverterPool, free: queue.SimpleQueue) -> None:
        self.pool, self.free, self.root = pool, free, pool._root

    def run(self, items: list[Item], convert_to: str | None = None):
        conv = self.pool._take(self.free)
        try:
            return conv.run(items, convert_to=convert_to)
        finally:
            self.free.put(conv)


def docx_to_pdf(docx: Path, target: Path, settings: Settings | None = None) -> int:
    """Convert one letter to PDF and return its page count."""
    with ConverterPool(workers=1, soffice=find_soffice(settings)) as pool:
        report = pool.convert([(docx, target)])
    if not report.ok:
        raise EheLettersError(f"{docx}: LibreOffice could not convert it to PDF")
    return check_pdf(target, "")
