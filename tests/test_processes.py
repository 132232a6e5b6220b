"""A batch's processes end with it, however it ends (issue 11, item 8).

Before: ``kill -9`` of a ``--pdf`` batch left its worker processes and LibreOffice converters
running under PID 1 and letter copies in ``/tmp/ehe-letters-pdf-*``; Ctrl-C could hang a batch
("OSError: handle is closed").  These tests run a real batch with real LibreOffice (no mocks)
as a command in a session of its own, as a terminal would, and look at /proc.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")

ROWS = 400  # above SMALL_BATCH, so that rows are rendered in worker processes


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        data = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return data.replace(b"\0", b" ").decode("utf-8", "replace")


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _descendants(root: int) -> dict[int, int]:
    """The live descendants of a process: pid -> start time."""
    children: dict[int, list[int]] = {}
    starts = {}
    for pid in _all_pids():
        stat = _stat(pid)
        if stat:
            children.setdefault(stat[1], []).append(pid)
            starts[pid] = stat[2]
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = starts[child]
            todo.append(child)
    return found


def _alive(pid: int, start: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[2] == start and stat[0] not in ("Z", "X")


def _start_batch(tmp_path: Path, out: Path, rows: int = ROWS) -> subprocess.Popen:
    source = tmp_path / "mailing.csv"
    generate.write(source, rows)
    command = [
        sys.executable, "-m", "ehe_letters", "batch", "welcome", str(source), "--out", str(out),
        "--authority", str(EXAMPLES / "authority.yaml"),
        "--mapping", str(EXAMPLES / "mailing-mapping.toml"),
        "--date", "2026-12-01", "--pdf", "--workers", "2", "--quiet",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal gives a command
        cwd=tmp_path,
    )


def _watch(batch: subprocess.Popen, ready, timeout: float = 90) -> dict[int, int]:
    """Collect the batch's descendants until ``ready(seen)`` holds; return them."""
    seen: dict[int, int] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.update(_descendants(batch.pid))
        if ready(seen):
            return seen
        if batch.poll() is not None:
            _, err = batch.communicate()
            pytest.fail(f"the batch ended first: {err.decode()[-2000:]}")
        time.sleep(0.05)
    batch.kill()
    batch.communicate()
    pytest.fail("the batch never reached the state to interrupt")


def _soffice(seen: dict[int, int]) -> list[int]:
    return [pid for pid in seen if "ehe-letters-pdf-" in _cmdline(pid)]


def _workers(batch: subprocess.Popen, seen: dict[int, int]) -> list[int]:
    soffice = _soffice(seen)
    return [
        pid
        for pid in seen
        if (stat := _stat(pid)) and stat[1] == batch.pid and pid not in soffice
        and "python" in _cmdline(pid)
    ]  # fmt: skip


def _temp_folders(seen: dict[int, int]) -> set[str]:
    found = set()
    for pid in seen:
        found |= set(re.findall(r"/tmp/ehe-letters-pdf-[^/ ]+", _cmdline(pid)))
    return found


def _left(seen: dict[int, int], folders: set[str], within: float) -> list[str]:
    """The batch's processes still running after `within` seconds (polling)."""
    deadline = time.monotonic() + within
    while True:
        left = [pid for pid, start in seen.items() if _alive(pid, start)]
        left += [
            pid
            for pid in _all_pids()
            if pid not in left and any(f in _cmdline(pid) for f in folders)
        ]
        if not left or time.monotonic() > deadline:
            return [f"{pid}: {_cmdline(pid)[:120]}" for pid in left if _stat(pid)]
        time.sleep(0.1)


def _both_running(batch):
    return lambda seen: _soffice(seen) and _workers(batch, seen)


def test_kill_9_of_a_pdf_batch_leaves_no_process_and_the_next_run_clears_its_folder(tmp_path):
    batch = _start_batch(tmp_path, tmp_path / "out")
    seen = _watch(batch, _both_running(batch))
    folders = _temp_folders(seen)
    assert folders
    os.kill(batch.pid, signal.SIGKILL)
    batch.communicate(timeout=10)
    assert _left(seen, folders, within=5) == []
    # The dead run's temporary folder (copies of letters) is removed by the next run.
    stale = [Path(f) for f in folders]
    again = _start_batch(tmp_path, tmp_path / "again", rows=3)
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err.decode()[-2000:]
    assert [f for f in stale if f.exists()] == []


@pytest.mark.parametrize("stage", ["render", "pdf"])
def test_ctrl_c_ends_within_seconds_with_the_resume_message(tmp_path, stage):
    out = tmp_path / "out"
    batch = _start_batch(tmp_path, out)
    if stage == "render":
        seen = _watch(batch, _both_running(batch))
    else:
        seen = _watch(batch, lambda seen: any((out / "pdf").glob("*.pdf")))
    folders = _temp_folders(seen) | _temp_folders(_descendants(batch.pid))
    os.killpg(batch.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
    try:
        _, err = batch.communicate(timeout=8)
    except subprocess.TimeoutExpired:
        batch.kill()
        _, err = batch.communicate()
        pytest.fail(f"Ctrl-C did not end the batch within 8 s: {err.decode()[-3000:]}")
    text = err.decode()
    assert batch.returncode == 130, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    assert "--resume" in text
    assert len(text.strip().splitlines()) == 1, text[-3000:]
    assert _left(seen, folders, within=5) == []
    assert [f for f in folders if Path(f).exists()] == []
