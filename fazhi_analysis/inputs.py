"""Reading an input file with a type check and a bound: only a regular file (a symlink to one is
followed) is opened, and at most a stated number of bytes is read.

Why: `Path.read_bytes()` on a FIFO blocks until some writer appears (a run that never ends), and on a
device such as /dev/zero, reached through a symlink in data/raw/, it reads without end (gigabytes in
seconds). `stat` reports size 0 for both, so a size check alone does not help. Here the path is
stat-ed before it is opened (opening some devices has effects), opened non-blocking, checked again on
the open descriptor (the path may have changed in between), then read up to the bound.
"""

import os
import stat
from pathlib import Path

from .errors import DataError, Problem, display_path, os_error

_KINDS = ((stat.S_ISDIR, "目录"), (stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "字符设备"),
          (stat.S_ISBLK, "块设备"), (stat.S_ISSOCK, "套接字"))
_CHUNK_BYTES = 1 << 20


def kind_zh(mode: int) -> str:
    """What a non-regular file is, in words (目录, 命名管道（FIFO）, 字符设备 …)."""
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def not_regular(shown: str, mode: int, what: str = "文件") -> DataError:
    kind = kind_zh(mode)
    return DataError(f"{shown} 是{kind}，不是普通文件，未读取", [
        Problem(shown, None, None, kind, "file_is_regular", f"{what}应为普通文件（不能是目录、管道、设备或套接字）")])


def too_large(shown: str, size_bytes: int, max_bytes: int, what: str = "文件") -> DataError:
    return DataError(f"{shown} 太大（{size_bytes / 2**20:.1f} MB），未读取", [
        Problem(shown, None, None, f"{size_bytes} bytes", "file_size",
                f"{what}应小于 {max_bytes / 2**20:g} MB")])


def regular_size(path: Path, shown: str | None = None, what: str = "文件") -> int:
    """The size of `path` in bytes when it is a regular file; a DataError naming it otherwise
    (FileNotFoundError when it does not exist, for callers that word that case themselves)."""
    shown = shown or display_path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise os_error(exc, path, "读取") from None
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(shown, info.st_mode, what)
    return info.st_size


def read_regular(path: Path, max_bytes: int, shown: str | None = None, what: str = "文件") -> bytes:
    """The bytes of `path`, which must be a regular file of at most `max_bytes`. Raises
    FileNotFoundError when it does not exist, DataError (rule file_is_regular or file_size) when it is
    not a regular file or is too large, OutputError for other OS errors (permissions)."""
    shown = shown or display_path(path)
    size = regular_size(path, shown, what)
    if size > max_bytes:
        raise too_large(shown, size, max_bytes, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise os_error(exc, path, "读取") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced between the stat and the open
            raise not_regular(shown, mode, what)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(_CHUNK_BYTES, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise os_error(exc, path, "读取") from None
    finally:
        os.close(fd)
    if total > max_bytes:  # it grew while being read
        raise too_large(shown, total, max_bytes, what)
    return b"".join(chunks)
