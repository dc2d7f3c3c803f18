"""The file rules: what fazhi reads is a regular file read within a bound, and what it writes is written
atomically under fazhi's own temporary names, never in place of what is not a regular file.

Reading: only a regular file (a symlink to one is followed) is opened, and at most a stated number of
bytes is read. `Path.read_bytes()` on a FIFO blocks until some writer appears (a run that never ends), and
on a device such as /dev/zero, reached through a symlink in data/raw/, it reads without end (gigabytes in
seconds). `stat` reports size 0 for both, so a size check alone does not help. Here the path is stat-ed
before it is opened (opening some devices has effects), opened non-blocking, checked again on the open
descriptor (the path may have changed in between), then read up to the bound.

Writing: a temporary file in the same directory, fsync, then rename. A killed run leaves either the
previous file or the complete new one at the final path, never half of one.

`commit_files` does the same for a set of files that belong together (a report's HTML, analyst HTML,
notebook and fingerprint): every new file is written and fsynced under a unique temporary name first,
and only when all of them are on disk are they renamed into place. A full disk therefore leaves the
previous set untouched, never a new leadership HTML beside an old (or missing) analyst HTML.

Temporary names are fazhi's own: `.fazhi-<host>-<pid>-<start time>-<random>.tmp` (or `.running.ipynb`
for papermill's scratch notebook). A run killed at the wrong moment (SIGKILL) leaves one behind; every
command removes, at start, those in the folders it writes to whose owner is provably dead on this
machine (`tidy_dead_temporaries`). Nothing else is ever deleted: a user's `.notes.tmp` is not ours.

A final path that exists and is not a regular file (a directory, a device node, a FIFO, a symlink) is
never replaced. `write_bytes_exclusive` creates a new file only when none is there, atomically, so two
runs writing the same `-o` at once cannot both succeed.
"""

import errno
import hashlib
import os
import re
import socket
import stat
import tempfile
from functools import cache
from pathlib import Path

from . import procs
from .errors import DataError, OutputError, Problem, display_path, os_error

TEMP_SUFFIX = ".tmp"
SCRATCH_SUFFIX = ".running.ipynb"
_OWN_TEMP = re.compile(r"\.fazhi-([0-9a-f]{6})-(\d+)-(\d+)-[a-z0-9_]+(?:\.tmp|\.running\.ipynb)")


# --- reading ----------------------------------------------------------------------------------------
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


# --- writing ----------------------------------------------------------------------------------------

@cache
def _host_tag() -> str:
    """Six hex digits of this machine's name: a temporary file another machine wrote on a shared drive is
    never judged here, where its owner's pid means nothing."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "surrogatepass")).hexdigest()[:6]


def temp_prefix() -> str:
    return f".fazhi-{_host_tag()}-{procs.owner_tag()}-"


def new_temp(directory: Path, suffix: str = TEMP_SUFFIX) -> tuple[int, Path]:
    """(open descriptor, path) of a new empty file with fazhi's temporary name in `directory`, with the
    usual permissions (mkstemp's private 0o600 would make a report on a shared drive unreadable)."""
    fd, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=suffix, dir=directory)
    try:
        os.fchmod(fd, default_mode())
    except BaseException:
        os.close(fd)
        Path(name).unlink(missing_ok=True)
        raise
    return fd, Path(name)


def is_dead_temporary(entry: os.DirEntry) -> bool:
    """A temporary file fazhi made on this machine whose owner process no longer runs."""
    match = _OWN_TEMP.fullmatch(entry.name)
    if not match or match[1] != _host_tag():
        return False
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
            and procs.process_is_gone(int(match[2]), int(match[3])))


def tidy_dead_temporaries(folder: Path) -> int:
    """Remove from `folder` the temporary files of fazhi runs that died there; returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if is_dead_temporary(entry):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                continue
    return removed


def default_mode() -> int:
    """What open() would give a new file (0o666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def refuse_non_regular(path: Path) -> None:
    """An OutputError when `path` exists and is not a regular file: fazhi never replaces a directory,
    a device node, a FIFO or a symlink by a file of its own."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(exc, path) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "符号链接" if stat.S_ISLNK(info.st_mode) else kind_zh(info.st_mode)
        raise OutputError(f"{display_path(path)} 是{kind}，不是普通文件，fazhi 不会用文件替换它；请换一个输出路径",
                          code="EEXIST")


def _write_temp(path: Path, data: bytes) -> Path:
    """`data` fsynced under fazhi's temporary name beside `path`; an OSError names `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = new_temp(path.parent)
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(exc, path) from None
        raise
    return tmp


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(directory: Path) -> None:
    """Make the renames in `directory` durable (best effort: some filesystems refuse a directory fsync)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    commit_files({path: data})


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_exclusive(path: Path, data: bytes) -> None:
    """Create `path` with `data` only if nothing is there (O_EXCL semantics), and never half-written:
    the complete temporary file is hard-linked to the final name, which fails when the name exists, so
    of two runs writing the same path at once exactly one succeeds. Where the filesystem has no hard
    links, the file is created with O_EXCL and written in place (removed again if that fails)."""
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise os_error(exc, path) from None
        _create_in_place(path, data)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def write_output(path: Path, data: bytes, force: bool) -> None:
    """A file the user named (`-o`): created exclusively unless `force`, then replaced atomically; never
    in place of a directory, device, FIFO or symlink."""
    refuse_non_regular(path)
    if force:
        write_bytes_atomic(path, data)
    else:
        write_bytes_exclusive(path, data)


def _create_in_place(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), default_mode())
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(exc, path) from None
        raise


def _exists(path: Path) -> OutputError:
    return OutputError(f"{display_path(path)} 已存在（可能刚由另一个进程写入），未覆盖；换个文件名，或确认后加 --force",
                       code="EEXIST")


def commit_files(files: dict[Path, "bytes | Path"]) -> None:
    """Put every file in place, or none. A value is the new content, or a file already written (and not
    yet fsynced) in the same directory, such as papermill's scratch notebook, which is moved into place.
    On any failure before the renames, the temporary files made here are removed and every final path
    keeps what it had; the caller removes its own scratch files. A final path that is not a regular
    file is refused before anything is written."""
    for final in files:
        refuse_non_regular(final)
    staged: list[tuple[Path, Path, bool]] = []  # (temporary, final, made here)
    try:
        for final, content in files.items():
            if isinstance(content, Path):
                try:
                    fsync_file(content)
                except OSError as exc:
                    raise os_error(exc, final) from None
                staged.append((content, final, False))
            else:
                staged.append((_write_temp(final, content), final, True))
        for temporary, final, _ in staged:
            try:
                os.replace(temporary, final)
            except OSError as exc:
                raise os_error(exc, final) from None
    except BaseException:
        for temporary, _, made_here in staged:
            if made_here:
                temporary.unlink(missing_ok=True)
        raise
    for directory in {final.parent for final in files}:
        fsync_dir(directory)
