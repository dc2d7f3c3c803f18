"""Process hygiene: no kernel, worker or temporary folder outlives the fazhi command that made it.

- A kernel gets PR_SET_PDEATHSIG (Linux, prctl via ctypes): the kernel kills it the moment the process
  that launched the kernel dies, by any signal, SIGKILL included.
- Batch workers watch their parent (the fazhi command) through multiprocessing's parent sentinel and
  exit, killing their kernel, when it is gone; the forkserver and resource tracker then end by
  themselves, since they live exactly as long as some worker does.
- SIGTERM (and SIGHUP) become `Terminated`, a KeyboardInterrupt, so the same clean-up as Ctrl+C runs.
- Temporary folders are named `fazhi-<what>-<pid>-<start time>-…`: the next run removes those whose
  owner is provably dead (no such pid, or a pid reused by a process that started at another time).
"""

import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path

TEMP_PREFIX = "fazhi-"
_TEMP_NAME = re.compile(r"fazhi-[a-z]+-(\d+)-(\d+)-")


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl+C; `exit_code` is 128 + the signal."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


def _raise_terminated(signum, frame) -> None:
    raise Terminated(signum)


def terminate_like_interrupt() -> None:
    """In the main thread of a command: SIGTERM and SIGHUP raise Terminated, so `finally` blocks run."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_terminated)


# --- dying with the parent --------------------------------------------------------------------------
_PR_SET_PDEATHSIG = 1


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def kill_with_parent_preexec():
    """A Popen `preexec_fn` that makes the child get SIGKILL when the launching thread's process dies,
    or None where prctl is not available. Resolved before fork: the child only makes the call."""
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the call: nothing would signal us
            os._exit(1)

    return preexec


def watch_parent(on_death) -> None:
    """In a multiprocessing child: call `on_death()` (which should end the process) once the parent is
    gone. Uses the parent sentinel (a pipe the parent holds); a thread waits on it."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        on_death()

    threading.Thread(target=watch, name="fazhi-parent-watch", daemon=True).start()


# --- temporary folders with an owner ---------------------------------------------------------------
def start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), None if no such
    process; 0 where /proc does not exist (then only the pid is compared)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return 0
    except OSError:
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    return int(fields[19])  # field 22; fields[0] is field 3


def make_temp_dir(what: str) -> Path:
    """A private temporary folder naming its owner (this process and its start time)."""
    pid = os.getpid()
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{what}-{pid}-{start_time(pid) or 0}-"))


def owner_is_dead(name: str) -> bool:
    match = _TEMP_NAME.match(name)
    if not match:
        return False  # not ours to judge
    pid, started = int(match[1]), int(match[2])
    now = start_time(pid)
    return now is None or (started != 0 and now != 0 and now != started)


def tidy_dead_temp_dirs() -> int:
    """Remove temporary folders whose owner process is dead (what a SIGKILL left). Returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(TEMP_PREFIX) and owner_is_dead(entry.name):
            try:
                if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed += 1
            except OSError:
                continue
    return removed
