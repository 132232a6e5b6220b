"""Benchmarks for `ehe-letters batch`, measured in one run so that ratios are fair on a noisy,
shared machine.  Prints a Markdown table of results and ratios (paste it into the README).

    .venv/bin/python benchmarks/bench.py            # or: make bench

(a) DOCX: docxtpl's own path (DocxTemplate(...).render(...) and save(), which re-reads and
    re-parses the template for every letter) against `batch`, per letter.  The batch figure is
    the marginal cost per letter, (T(N2) - T(N1)) / (N2 - N1), which leaves out the fixed
    start-up (imports, worker processes); the all-in figure T(N2) / N2 is shown beside it.
(b) PDF: one `soffice --headless --convert-to pdf` call over all the DOCX files of a mailing
    (on a profile that has been used before, as a person's own LibreOffice has), against
    `batch --pdf --merge` producing the same mailing from the CSV (DOCX, PDF in chunks, a check
    of every PDF, the print file; its converters on their kept profiles).  Throughput is
    compared beyond the fixed start-up, as in (a): (K2 - K1) / (T(K2) - T(K1)) letters a
    second; and all-in, start-up included, at 300 letters.  A single soffice call stops after
    ~247 files on this machine (without an error), so its 300-letter time is its time at 240
    plus 60 letters at its own marginal rate (which favours it: no second start-up).
(c) Memory: peak resident memory of the whole batch (main process and workers, sampled from
    /proc) at 1,000 and at 10,000 rows.
(d) The sandbox: the batch's render path with Jinja's SandboxedEnvironment against a plain
    Environment, in-process, on the same letters (benchmarks/sandbox.py).
(e) A 10,000-letter print-ready mailing: `batch --pdf --merge`, total time (one run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402
import sandbox  # noqa: E402

EXAMPLES = ROOT / "ehe_letters" / "data" / "examples"
LETTER = "welcome"
DATE = "2026-12-01"
PYTHON = sys.executable


def batch_command(source: Path, out: Path, *extra: str) -> list[str]:
    return [
        PYTHON,
        "-m",
        "ehe_letters",
        "batch",
        LETTER,
        str(source),
        "--out",
        str(out),
        "--authority",
        str(EXAMPLES / "authority.yaml"),
        "--mapping",
        str(EXAMPLES / "mailing-mapping.toml"),
        "--date",
        DATE,
        "--quiet",
        *extra,
    ]


def _descendants(pid: int) -> list[int]:
    """A process and its descendants, from /proc/PID/task/TID/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return found


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total = 0
    for current in _descendants(pid):
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    return total


def timed(command: list[str], memory: bool = False) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak resident memory of its process tree).

    Memory is sampled every 20 ms only when asked, so that timings are not disturbed.
    """
    peak = 0
    os.sync()  # start each run without another run's unwritten files to flush
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while memory and not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:6])} failed: {err.decode()[-500:]}")
    return elapsed, peak


def docxtpl_per_letter(count: int) -> float:
    """Seconds per letter for docxtpl's own render()+save() to a file, on the same rows."""
    from docxtpl import DocxTemplate

    from ehe_letters.docx.jinja_env import make_environment
    from ehe_letters.letters.catalogue import get_letter

    letter = get_letter(LETTER)
    contexts = sandbox.contexts(LETTER, count, DATE)  # the same generated rows' contexts
    with tempfile.TemporaryDirectory() as tmp:
        os.sync()
        start = time.perf_counter()
        for number, context in enumerate(contexts):
            template = DocxTemplate(letter.template)
            template.render(context, jinja_env=make_environment(), autoescape=True)
            template.save(Path(tmp) / f"{number}.docx")  # a file each, as batch writes
        return (time.perf_counter() - start) / len(contexts)


def soffice_command(files: list[Path], out: Path, profile: Path) -> list[str]:
    soffice = shutil.which("soffice") or "soffice"
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]


def as_if_opened_before(profile: Path) -> None:
    """Make a profile that has only converted headless look like a person's own LibreOffice,
    opened before: without the last version it was set up for (ooSetupLastVersion, written
    when LibreOffice starts with a window), every start runs LibreOffice's graphics tests
    again (~0.5 s), which a person's own LibreOffice does not; the toolkit's kept profiles
    have it already.  So the single soffice call is not slowed by what a person would not
    see."""
    settings = profile / "user" / "registrymodifications.xcu"
    text = settings.read_text(encoding="utf-8")
    if "ooSetupLastVersion" in text:
        return
    version = subprocess.run(
        [shutil.which("soffice") or "soffice", "--version"], capture_output=True, text=True
    ).stdout.split()[1]
    item = (
        '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
        f'oor:op="fuse"><value>{".".join(version.split(".")[:2])}</value></prop></item>\n'
    )
    settings.write_text(text.replace("</oor:items>", item + "</oor:items>"), encoding="utf-8")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ehe-bench-"))
    results: list[tuple[str, str]] = []
    rounds = 3  # each measure is the best of 3, taken in turn, so that load affects all alike
    try:
        # (a) DOCX per letter
        n1, n2 = 1000, 5000
        for n in (n1, n2):
            generate.write(tmp / f"m{n}.csv", n)
        timed(batch_command(tmp / f"m{n1}.csv", tmp / "warm"))  # warm the file cache
        own, t1, t2 = [], [], []
        for r in range(rounds):
            own.append(docxtpl_per_letter(200))
            t1.append(timed(batch_command(tmp / f"m{n1}.csv", tmp / f"a1-{r}"))[0])
            t2.append(timed(batch_command(tmp / f"m{n2}.csv", tmp / f"a2-{r}"))[0])
            # (outputs are deleted only at the end: deleting thousands of files sets the disk
            # busy for a while and would slow the next round)
        own_s, t1_s, t2_s = min(own), min(t1), min(t2)
        marginal = (t2_s - t1_s) / (n2 - n1)
        results += [
            (
                "docxtpl render()+save() to a file, per letter (200 letters)",
                f"{own_s * 1000:.2f} ms",
            ),
            (f"batch, marginal per letter ({n1} vs {n2} rows)", f"{marginal * 1000:.3f} ms"),
            (f"batch, all-in per letter ({n2} rows, incl. start-up)", f"{t2_s / n2 * 1000:.3f} ms"),
            ("**DOCX speed-up, marginal (target >= 40x)**", f"**{own_s / marginal:.1f}x**"),
            ("DOCX speed-up, all-in", f"{own_s / (t2_s / n2):.1f}x"),
        ]
        # (b) PDF throughput: letters per second beyond the fixed start-up, for both
        # One soffice call stops after ~247 files here (no error), so the single call is timed
        # at k1 and ks and its 300-letter time taken as T(ks) + (k2 - ks) at its marginal rate.
        k1, ks, k2 = 100, 240, 300
        generate.write(tmp / f"p{k1}.csv", k1)
        generate.write(tmp / f"p{k2}.csv", k2)
        pdf = ("--pdf", "--merge")
        timed(batch_command(tmp / f"p{k2}.csv", tmp / "pdocx"))
        timed(batch_command(tmp / f"p{k1}.csv", tmp / "pwarm", *pdf))  # makes kept profiles
        files = sorted((tmp / "pdocx" / "docx").glob("*.docx"))
        profile = tmp / "profile"  # a used profile, as a person's own LibreOffice has
        timed(soffice_command(files[:1], tmp / "s0", profile))
        as_if_opened_before(profile)
        s1, s2, b1, b2 = [], [], [], []
        made: list[int] = []  # PDFs the single call actually wrote (it can stop part-way)
        for r in range(rounds):
            s1.append(timed(soffice_command(files[:k1], tmp / f"s1-{r}", profile))[0])
            s2.append(timed(soffice_command(files[:ks], tmp / f"s2-{r}", profile))[0])
            made += [
                len(list((tmp / f"s1-{r}").glob("*.pdf"))),
                len(list((tmp / f"s2-{r}").glob("*.pdf"))),
            ]
            b1.append(timed(batch_command(tmp / f"p{k1}.csv", tmp / f"b1-{r}", *pdf))[0])
            b2.append(timed(batch_command(tmp / f"p{k2}.csv", tmp / f"b2-{r}", *pdf))[0])
        if made != [k1, ks] * rounds:
            raise SystemExit(
                f"the single soffice call wrote {made} PDFs, not {[k1, ks]}: "
                "it stopped part-way; lower ks"
            )
        single_rate = (ks - k1) / (min(s2) - min(s1))
        batch_rate = (k2 - k1) / (min(b2) - min(b1))
        single_k2 = min(s2) + (k2 - ks) / single_rate
        results += [
            (
                f"one soffice call over the DOCX, {k1} / {ks} letters (warm profile)",
                f"{min(s1):.1f} s / {min(s2):.1f} s: {single_rate:.1f} letters/s marginal; "
                f"{k2} letters: {single_k2:.1f} s",
            ),
            (
                f"batch --pdf --merge from the CSV, {k1} / {k2} rows",
                f"{min(b1):.1f} s / {min(b2):.1f} s: {batch_rate:.1f} letters/s marginal",
            ),
            (
                f"**PDF all-in ratio at {k2} letters, incl. start-up (target >= 4x)**",
                f"**{single_k2 / min(b2):.2f}x**",
            ),
            (
                "**PDF throughput ratio, marginal (target >= 5x)**",
                f"**{batch_rate / single_rate:.2f}x**",
            ),
        ]
        # (c) memory
        generate.write(tmp / "m10000.csv", 10000)
        _, mem1 = timed(batch_command(tmp / f"m{n1}.csv", tmp / "c1"), memory=True)
        _, mem2 = timed(batch_command(tmp / "m10000.csv", tmp / "c2"), memory=True)
        results += [
            ("peak memory, 1,000 rows", f"{mem1 / 2**20:.0f} MiB"),
            ("peak memory, 10,000 rows", f"{mem2 / 2**20:.0f} MiB"),
            ("**memory ratio 10,000 / 1,000 rows (target <= 1.3x)**", f"**{mem2 / mem1:.2f}x**"),
        ]
        # (d) what the sandbox costs, on the same render path
        results += sandbox.rows()
        # (e) a 10,000-letter print-ready mailing, once.  Nothing is deleted just before it:
        # deleting (c)'s 11,000 letters would set the disk busy while it runs (see (a)).
        big, _ = timed(batch_command(tmp / "m10000.csv", tmp / "d", *pdf))
        pages = len(list((tmp / "d" / "pdf").glob("*.pdf")))
        if pages != 10000 or not (tmp / "d" / "print.pdf").exists():
            raise SystemExit(f"the 10,000-row batch made {pages} PDFs")
        results.append(
            (
                "**10,000-letter mailing, batch --pdf --merge, total (target < 3 min)**",
                f"**{big / 60:.1f} min ({big:.0f} s)**",
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, letter `{LETTER}`, fictional rows from "
        "benchmarks/generate.py; each time the best of 3 rounds (the 10,000-letter mailing: one "
        "run). Command: `make bench`.\n"
    )
    print("| measure | result |\n|---|---|")
    for name, value in results:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
