"""An exclusive lock on an output folder, so two runs (two `fazhi report`s, a report during a batch, two
batches on one output root) never write or tidy the same report at once: the second waits, then builds.

The lock is `flock` on the folder itself, so it leaves no lock file behind and the kernel releases it when
its holder dies, even by SIGKILL. Whoever holds a folder's lock owns every temporary file in it: what it
did not write itself was left by a run that died, and may be removed.
"""

import os
import sys
import time
from pathlib import Path

from .errors import OutputError, display_path, os_error

try:
    import fcntl
except ImportError:  # Windows: no flock; runs there are not serialised
    fcntl = None

WAIT_S = 600  # a report takes seconds; ten minutes means the other run is stuck
NOTICE_S = 0.5  # after this long, say why the command is waiting
POLL_S = 0.05
LEFTOVER_PATTERNS = (".*.tmp", ".*.running.ipynb")  # what a killed run can leave in an output folder


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


def remove_leftovers(folder: Path, keep: frozenset[Path] = frozenset()) -> int:
    """Temporary files in `folder` (never a final path), except `keep`. Only under the folder's lock."""
    removed = 0
    for pattern in LEFTOVER_PATTERNS:
        for path in folder.glob(pattern):
            if path not in keep and path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def tidy_output_root(root: Path) -> int:
    """Remove what killed runs left anywhere under `root`, folder by folder, skipping any folder a live
    run holds. Returns how many files were removed."""
    if not root.is_dir():
        return 0
    folders = {p.parent for pattern in LEFTOVER_PATTERNS for p in root.rglob(pattern)}
    removed = 0
    for folder in sorted(folders):
        try:
            with FolderLock(folder, blocking=False) as lock:
                if lock.acquired:
                    removed += remove_leftovers(folder)
        except (OSError, OutputError):
            continue  # a folder we cannot open or tidy is not ours to fix here
    return removed
