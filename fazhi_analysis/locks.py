"""An exclusive lock on an output folder, so two runs (two `fazhi report`s, a report during a batch, two
batches on one output root) never write or tidy the same report at once: the second waits, then builds.

The lock is `flock` on the folder itself, so it leaves no lock file behind and the kernel releases it when
its holder dies, even by SIGKILL. Temporary files are tidied by their owner's death, not by the lock
(`atomic.tidy_dead_temporaries`): another process's file is never removed while that process runs.
"""

import os
import sys
import time
from pathlib import Path

from .atomic import tidy_dead_temporaries
from .errors import OutputError, display_path, os_error

try:
    import fcntl
except ImportError:  # Windows: no flock; runs there are not serialised
    fcntl = None

WAIT_S = 600  # a report takes seconds; ten minutes means the other run is stuck
NOTICE_S = 0.5  # after this long, say why the command is waiting
POLL_S = 0.05


class FolderLock:
    """`with FolderLock(folder):` holds the folder's lock; `blocking=False` gives up at once (`acquired`
    tells which)."""

    def __init__(self, folder: Path, wait_s: float = WAIT_S, blocking: bool = True):
        self.folder = folder
        self.wait_s = wait_s if blocking else 0.0
        self.acquired = False
        self._fd: int | None = None

    def __enter__(self) -> "FolderLock":
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.folder, os.O_RDONLY)
        except OSError as exc:
            raise os_error(exc, self.folder, "创建或打开目录") from None
        if fcntl is None:
            self.acquired = True
            return self
        started, noticed = time.monotonic(), False
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.acquired = True
                return self
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= self.wait_s:
                    if self.wait_s:
                        self._close()
                        raise OutputError(f"{display_path(self.folder)} 被另一个 fazhi 进程占用超过"
                                          f" {self.wait_s:.0f} 秒，未生成；请等它结束后重试", code="EBUSY") from None
                    return self
                if not noticed and waited >= NOTICE_S:
                    print(f"另一个 fazhi 进程正在生成 {display_path(self.folder)} 中的报告，等待其完成…",
                          file=sys.stderr)
                    noticed = True
                time.sleep(POLL_S)

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def __exit__(self, *exc) -> None:
        self.acquired = False
        self._close()


def tidy_output_root(root: Path) -> int:
    """Remove what killed fazhi runs left anywhere under `root`: only files named as fazhi names its
    temporaries, whose owner process is dead (`atomic.tidy_dead_temporaries`). Returns how many."""
    if not root.is_dir():
        return 0
    folders = {p.parent for p in root.rglob(".fazhi-*")}
    return sum(tidy_dead_temporaries(folder) for folder in sorted(folders))
