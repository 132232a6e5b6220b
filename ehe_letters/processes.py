"""Processes and temporary folders that end with the run that made them, however it ends.

A batch starts worker processes and LibreOffice converters and copies letters into a temporary
folder.  When the batch ends normally, or on Ctrl-C, it stops them and removes the folder
itself; these are the guarantees for when it cannot (``kill -9``, a crash, a closed terminal):

- :func:`die_with_parent`: a worker process asks Linux to kill it when its parent dies
  (``prctl(PR_SET_PDEATHSIG, SIGKILL)``).  It suits processes forked by the main thread only:
  the signal is sent when the *thread* that forked the child ends.
- :func:`spawn_watched`: LibreOffice runs as a process group of its own (``soffice`` starts
  ``oosplash``, which starts ``soffice.bin``), started from converter threads, so the death
  signal cannot reach it.  A small watchdog process instead holds the reading end of a pipe
  whose only writer is this process: the pipe reaches end-of-file when this process dies, and
  the watchdog then kills every group it was told of.  Forked children close their copy of the
  writing end, so that they cannot keep the watchdog waiting.
- :func:`owned_temp_folder`: a temporary folder holds a lock file, locked (``flock``) by its
  run for as long as that run lives; :func:`remove_stale_folders` (called whenever a new one is
  made) removes the folders whose lock nobody holds any more: those of dead runs.  A folder
  without the lock file (just being made, or made by an older version) is left alone.

On systems without ``prctl`` or ``flock`` (macOS, Windows) these do what they can and never fail.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "die_with_parent",
    "forget_group",
    "interrupt_at_safe_points",
    "not_interrupted",
    "owned_temp_folder",
    "remove_stale_folders",
    "sigint_blocked",
    "spawn_watched",
    "watch_group",
]

_PR_SET_PDEATHSIG = 1
_OWNER = ".ehe-letters-owner"  # the lock file in each temporary folder


def die_with_parent(parent: int | None = None) -> bool:
    """Have Linux kill this process when its parent dies; exit now if it already has.

    ``parent`` is the pid the caller expects as its parent (e.g. passed to a worker's
    initializer): if the parent died before the death signal was set, this process is
    already an orphan and exits at once.  Returns False where ``prctl`` is not available.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent is gone already: nothing to work for
    return True


# ------------------------------------------------------------------ the watchdog

# Runs with `python -I -S -c`: the standard library only, started in ~20 ms.  It ignores the
# terminal's signals (Ctrl-C is for the batch, which then stops its converters itself).  Each
# group is remembered with its leader's start time, so that a group id the system has since
# given to another process is never killed.
_WATCHDOG = """
import os, signal, sys
for name in ("SIGINT", "SIGHUP", "SIGTERM", "SIGQUIT"):
    if hasattr(signal, name):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
def started(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None
groups = {}
for line in sys.stdin.buffer:
    sign, _, pid = line.strip().partition(b" ")
    if not pid.isdigit():
        continue
    if sign == b"+":
        groups[int(pid)] = started(int(pid))
    else:
        groups.pop(int(pid), None)
    for old in [g for g, when in groups.items() if when is not None and started(g) != when]:
        del groups[old]  # ended since: its id may be given to another process
for pid, when in groups.items():
    if when is None or started(pid) == when:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
"""

_lock = threading.Lock()
_watchdog: subprocess.Popen | None = None
_owner = os.getpid()  # the process the watchdog (and the folder locks) belong to
_kept: list[object] = []  # a forked child's copies, kept so that nothing closes them twice
_spawning = threading.local()  # set while this thread starts a watched process


def _watchdog_fd() -> int | None:
    """The writing end of the watchdog's pipe, starting the watchdog if need be."""
    global _watchdog
    if os.name != "posix" or os.getpid() != _owner:
        return None
    with _lock:
        if _watchdog is None or _watchdog.poll() is not None:
            try:
                _watchdog = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _WATCHDOG],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # the terminal's Ctrl-C never reaches it
                )
            except OSError:
                _watchdog = None
                return None
        assert _watchdog.stdin is not None
        return _watchdog.stdin.fileno()


def _tell(line: str) -> None:
    fd = _watchdog_fd()
    if fd is not None:
        with contextlib.suppress(OSError):
            os.write(fd, line.encode("ascii") + b"\n")


def spawn_watched(cmd: list[str], **popen: object) -> subprocess.Popen:
    """Start ``cmd`` as a session (process group) of its own that the watchdog kills should
    this process die first.

    The child registers itself, between fork and exec, so there is no moment at which it
    runs unknown to the watchdog (a registration by the parent after ``Popen`` returns would
    leave one: a ``kill -9`` then leaves the process behind).
    """
    fd = _watchdog_fd()
    if fd is None:
        return subprocess.Popen(cmd, start_new_session=True, **popen)  # type: ignore[arg-type]

    def register() -> None:  # in the child: one small write (atomic on a pipe), nothing else
        with contextlib.suppress(OSError):
            os.write(fd, b"+ %d\n" % os.getpid())

    _spawning.active = True
    try:
        with sigint_blocked():  # a Ctrl-C between fork and exec is the batch's, not the child's
            return subprocess.Popen(
                cmd,
                start_new_session=True,
                preexec_fn=register,  # noqa: PLW1509 - writes one line; the child then execs
                **popen,  # type: ignore[arg-type]
            )
    finally:
        _spawning.active = False


# ------------------------------------------------------------------ Ctrl-C

_critical = threading.local()


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread (and so in the processes it forks) for the duration."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Deferred:
    """The SIGINT handler while a batch runs: Ctrl-C raises KeyboardInterrupt as usual, except
    inside :func:`not_interrupted` sections (such as forking worker processes, whose clean-up
    code a KeyboardInterrupt would break, leaving locks held), where it waits for their end."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending = False

    def __call__(self, signum, frame) -> None:
        if self.depth:
            self.pending = True
            return
        raise KeyboardInterrupt


_handler: _Deferred | None = None


@contextlib.contextmanager
def interrupt_at_safe_points() -> Iterator[None]:
    """Install the deferring SIGINT handler for the duration (main thread only)."""
    global _handler
    if threading.current_thread() is not threading.main_thread() or _handler is not None:
        yield
        return
    _handler = _Deferred()
    previous = signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _handler = None


@contextlib.contextmanager
def not_interrupted() -> Iterator[None]:
    """A section Ctrl-C must not break: a KeyboardInterrupt comes at its end instead."""
    handler = _handler if threading.current_thread() is threading.main_thread() else None
    if handler is None:
        yield
        return
    handler.depth += 1
    try:
        with sigint_blocked():
            yield
    finally:
        handler.depth -= 1
        if not handler.depth and handler.pending:
            handler.pending = False
            raise KeyboardInterrupt


def watch_group(pgid: int) -> None:
    """Have the watchdog kill process group ``pgid`` should this process die first."""
    _tell(f"+ {pgid}")


def forget_group(pgid: int) -> None:
    """The group was stopped: the watchdog need not kill it (nor a later group of that id)."""
    _tell(f"- {pgid}")


# ------------------------------------------------------------------ temporary folders

_held: dict[Path, int] = {}  # folder -> the descriptor holding its lock


def _flock(fd: int) -> bool:
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def owned_temp_folder(prefix: str) -> Path:
    """Make a temporary folder (mode 0700) locked by this run; remove dead runs' folders first."""
    remove_stale_folders(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.name != "posix":
        return folder
    with _lock:
        for old in [f for f in _held if not f.exists()]:  # removed by their owners since
            os.close(_held.pop(old))
        # Locked under a temporary name, then renamed: the lock file never exists unlocked.
        draft = folder / f"{_OWNER}.new"
        fd = os.open(draft, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        if _flock(fd):
            os.replace(draft, folder / _OWNER)
            _held[folder] = fd
        else:
            os.close(fd)
    return folder


def remove_stale_folders(prefix: str) -> list[Path]:
    """Remove the temporary folders ``prefix*`` of runs that have died; return them."""
    if os.name != "posix":
        return []
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        owner = folder / _OWNER
        try:
            if folder in _held or folder.stat().st_uid != os.getuid() or not owner.is_file():
                continue
            fd = os.open(owner, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            if _flock(fd):  # nobody holds it: its run is dead
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        finally:
            os.close(fd)
    return removed


def _after_fork_in_child() -> None:
    """A forked child (a batch worker) lets go of the watchdog pipe and the folder locks.

    Not so the child of :func:`spawn_watched`, which needs the pipe to register itself before
    it execs (and closes every descriptor then).
    """
    global _watchdog, _owner, _lock
    if getattr(_spawning, "active", False):
        return
    _lock, _owner = threading.Lock(), os.getpid()  # another thread may have held it at fork
    if _watchdog is not None and _watchdog.stdin is not None:
        with contextlib.suppress(OSError):
            os.close(_watchdog.stdin.fileno())
        _kept.append(_watchdog)
        _watchdog = None
    for fd in _held.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
