"""Atomic file writes: a temporary file in the same directory, fsync, then rename. A killed run leaves
either the previous file or the complete new one at the final path, never half of one.

`commit_files` does the same for a set of files that belong together (a report's HTML, analyst HTML,
notebook and fingerprint): every new file is written and fsynced under a unique temporary name first,
and only when all of them are on disk are they renamed into place. A full disk therefore leaves the
previous set untouched, never a new leadership HTML beside an old (or missing) analyst HTML.
"""

import os
import tempfile
from pathlib import Path

from .errors import os_error

TEMP_SUFFIX = ".tmp"


def default_mode() -> int:
    """What open() would give a new file (0o666 less the umask): mkstemp's private 0o600 would make
    a report on a shared drive unreadable to colleagues."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_temp(path: Path, data: bytes) -> Path:
    """`data` fsynced under a unique hidden name beside `path`; an OSError names `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        os.fchmod(fd, default_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise os_error(exc, path) from None
        raise
    return Path(tmp)


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


def commit_files(files: dict[Path, "bytes | Path"]) -> None:
    """Put every file in place, or none. A value is the new content, or a file already written (and not
    yet fsynced) in the same directory, such as papermill's scratch notebook, which is moved into place.
    On any failure before the renames, the temporary files made here are removed and every final path
    keeps what it had; the caller removes its own scratch files."""
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
