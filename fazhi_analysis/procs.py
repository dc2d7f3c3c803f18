"""Process hygiene: no kernel, worker or temporary folder outlives the fazhi command that made it.

- A kernel gets PR_SET_PDEATHSIG (Linux, prctl via ctypes): the kernel kills it the moment the process
  that launched the kernel dies, by any signal, SIGKILL included.
- Batch workers watch their parent (the fazhi command) through multiprocessing's parent sentinel and
  exit, killing their kernel, when it is gone; the forkserver and resource tracker then end by
  themselves, since they live exactly as long as some worker does.
- SIGTERM (and SIGHUP) become `Terminated`, a KeyboardInterrupt, so the same clean-up as Ctrl+C runs.
- Temporary folders are named `fazhi-<what>-<pid>-<start time>-…`: the next run removes those whose
  owner is provably dead (no such pid, or a pid reused by a process that started at another time).
- Kernels and the batch's process pool listen on Unix sockets in the temporary folder, whose paths hold
  at most 107 bytes: a TMPDIR too long for them is replaced by a short private folder (`ensure_socket_room`).
"""

import atexit
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


def owner_tag() -> str:
    """'<pid>-<start time>' of this process: what a temporary name records, so that a later run can tell
    whether its owner is still alive (a pid alone may have been reused)."""
    pid = os.getpid()
    if pid not in _owner_tags:
        _owner_tags[pid] = f"{pid}-{start_time(pid) or 0}"
    return _owner_tags[pid]


_owner_tags: dict[int, str] = {}  # by pid, so a forked child computes its own


def process_is_gone(pid: int, started: int) -> bool:
    """True when no process `pid` that started at `started` runs any more (a pid reused by a process
    that started at another time counts as gone)."""
    now = start_time(pid)
    return now is None or (started != 0 and now != 0 and now != started)


def make_temp_dir(what: str) -> Path:
    """A private temporary folder naming its owner (this process and its start time)."""
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{what}-{owner_tag()}-"))


def owner_is_dead(name: str) -> bool:
    match = _TEMP_NAME.match(name)
    if not match:
        return False  # not ours to judge
    return process_is_gone(int(match[1]), int(match[2]))


def tidy_dead_temp_dirs() -> int:
    """Remove temporary folders whose owner process is dead (what a SIGKILL left), in the temporary
    folder and in the short folders sockets fall back to. Returns how many."""
    removed = 0
    for base in dict.fromkeys([tempfile.gettempdir(), *SHORT_BASES]):
        try:
            entries = list(os.scandir(base))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(TEMP_PREFIX) and owner_is_dead(entry.name):
                try:
                    if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                        shutil.rmtree(entry.path, ignore_errors=True)
                        removed += 1
                except OSError:
                    continue
    return removed


# --- room for Unix sockets -------------------------------------------------------------------------
# A Unix socket's path holds at most 107 bytes on Linux (104 on macOS). Kernels talk over sockets in
# <temp>/fazhi-k-<pid>-<start>-XXXXXXXX/k-N and the batch's forkserver listens in
# <temp>/pymp-XXXXXXXX/listener-XXXXXXXX; with the private folder below in between, that is up to ~90
# bytes after the base, so a base longer than this cannot hold them.
SUN_PATH_MAX_BYTES = 104 if sys.platform == "darwin" else 107
SOCKET_ROOM_BYTES = 56
SHORT_BASES = ("/tmp", "/var/tmp", "/dev/shm")


def leaves_socket_room(base: str) -> bool:
    return len(os.fsencode(base)) + SOCKET_ROOM_BYTES <= SUN_PATH_MAX_BYTES


def ensure_socket_room() -> Path | None:
    """When the temporary folder's path (TMPDIR) is too long for the Unix sockets kernels and workers
    use, make a private folder (mode 0700, named after this process) under a short base and make it the
    temporary folder of this process and its children. Returns that folder, None when not needed;
    raises ParameterError (exit 2) naming the cause when no short base can be used."""
    from .errors import ParameterError

    current = tempfile.gettempdir()
    if sys.platform == "win32" or leaves_socket_room(current):
        return None
    for base in SHORT_BASES:
        if not (os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK)):
            continue
        try:
            folder = tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}t-{owner_tag()}-", dir=base)
        except OSError:
            continue
        if not leaves_socket_room(folder):
            os.rmdir(folder)
            continue
        tempfile.tempdir = folder
        os.environ["TMPDIR"] = folder
        atexit.register(shutil.rmtree, folder, True)
        return Path(folder)
    raise ParameterError(
        f"临时目录 {current} 的路径有 {len(os.fsencode(current))} 字节，放不下 Jupyter 内核和并行进程所用的"
        f"Unix 套接字（路径最多 {SUN_PATH_MAX_BYTES} 字节），而 {'、'.join(SHORT_BASES)} 都不可用。"
        "请把环境变量 TMPDIR 设为较短的可写目录（如 /tmp）后重试")
