"""The one lock fazhi takes on a folder, so that two runs never write the same files at once: the data
directory's around every read-modify-write of its files (`fazhi import`, `extract --merge`, building the
store), an output folder's around writing or tidying a report (two `fazhi report`s, a report during a
batch, two batches on one output root). The second run says why it waits, then goes on; past the time
limit it stops with a message (EBUSY) and writes nothing.

filelock holds it: flock on Unix, a byte-range lock on Windows, so every platform is serialised, and the
operating system releases it when its holder dies, even by SIGKILL: a killed run never leaves a lock that
blocks. The lock file itself stays after release, as filelock's Unix lock leaves it on purpose (removing
it while another run waits on it would let a third run lock a new file beside the second). It is hidden
and fazhi's by name (LOCK_FILES), never a page or a temporary file: no listing of outputs shows it, and
tidying (`atomic.tidy_dead_temporaries`) never removes it.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .atomic import tidy_dead_temporaries
from .errors import OutputError, display_path, os_error

NOTICE_S = 0.5  # after this long, say why the command is waiting


@dataclass(frozen=True)
class Guarded:
    """What a folder's lock guards: its lock file's name, how long a run waits, and how the waiting and the
    giving up are said."""

    lock_file: str
    wait_s: float
    doing_zh: str  # "{folder}" is the folder
    not_done_zh: str
    creates_folder: bool


DATA = Guarded(".observations.lock", 120, "写入 {folder}", "未写入",  # a merge takes about a second
               creates_folder=False)
OUTPUT = Guarded(".fazhi.lock", 600, "生成 {folder} 中的报告", "未生成",  # a report takes seconds
                 creates_folder=True)
LOCK_FILES = (DATA.lock_file, OUTPUT.lock_file)


class FolderLock:
    """`with FolderLock(folder, OUTPUT):` holds the folder's lock; waits, saying so after NOTICE_S, and
    raises OutputError (code EBUSY) after `guarded.wait_s`."""

    def __init__(self, folder: Path, guarded: Guarded = OUTPUT):
        self.folder = folder
        self.guarded = guarded
        self._lock = FileLock(folder / guarded.lock_file)

    def __enter__(self) -> "FolderLock":
        if self.guarded.creates_folder:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise os_error(exc, self.folder, "创建或打开目录") from None
        shown = display_path(self.folder)
        try:
            if not self._acquired(NOTICE_S):
                doing = self.guarded.doing_zh.format(folder=shown)
                print(f"另一个 fazhi 进程正在{doing}，等待其完成…", file=sys.stderr)
                if not self._acquired(self.guarded.wait_s):
                    raise OutputError(f"{shown} 被另一个 fazhi 进程占用超过 {self.guarded.wait_s:.0f} 秒，"
                                      f"{self.guarded.not_done_zh}；请等它结束后重试", code="EBUSY")
        except OSError as exc:
            raise os_error(exc, self.folder / self.guarded.lock_file, "创建或打开") from None
        return self

    def _acquired(self, timeout_s: float) -> bool:
        try:
            self._lock.acquire(timeout=timeout_s)
        except Timeout:
            return False
        return True

    def __exit__(self, *exc) -> None:
        self._lock.release()


def data_lock(data_dir: Path) -> FolderLock:
    """The data directory's lock, held around every read-modify-write of its files."""
    return FolderLock(data_dir, DATA)


def tidy_output_root(root: Path) -> int:
    """Remove what killed fazhi runs left anywhere under `root`: only files named as fazhi names its
    temporaries, whose owner process is dead (`atomic.tidy_dead_temporaries`). Returns how many."""
    if not root.is_dir():
        return 0
    folders = {p.parent for p in root.rglob(".fazhi-*")}
    return sum(tidy_dead_temporaries(folder) for folder in sorted(folders))
