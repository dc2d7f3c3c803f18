"""Atomic file writes: a temporary file in the same directory, fsync, then rename. A killed run leaves
either the previous file or the complete new one at the final path, never half of one."""

import os
import tempfile
from pathlib import Path


def _default_mode() -> int:
    """What open() would give a new file (0o666 less the umask): mkstemp's private 0o600 would make
    a report on a shared drive unreadable to colleagues."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _default_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
