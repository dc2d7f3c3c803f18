"""What a data directory held when it was read, and a receipt for it once fully checked.

The data files are read once (`read_data_files`); every check then runs on those bytes, and their SHA-256
(`content_digest`) is what a cache or a receipt names. `fazhi report` checks the data while its kernel
starts and writes a receipt (directory + digest) into the kernel's private directory; the kernel then
skips the pandera schemas for exactly those bytes. Because the digest is of the bytes that were checked,
never of the files read again afterwards, a file edited after it was read is not covered: its bytes have
another digest, and they are checked in full."""

import hashlib
import json
import os
from pathlib import Path

from .. import paths
from ..atomic import write_text_atomic
from .csv_input import read_table_bytes
from .layout import RECEIPT_ENV

DATA_FILES = (paths.CATALOGUE_FILE, paths.OBSERVATIONS_FILE, paths.SOURCES_FILE)
OPTIONAL_FILES = (paths.SOURCES_FILE,)  # absent (or not a regular file): the pages name no title


def read_data_files(directory: Path) -> dict[str, bytes]:
    """The data files' bytes by name, each read once, bounded (`csv_input.read_table_bytes`); a required
    file that cannot be read raises DataError, an optional one is left out."""
    files = {}
    for name in DATA_FILES:
        path = directory / name
        if name in OPTIONAL_FILES and not path.is_file():
            continue
        files[name] = read_table_bytes(path)
    return files


def content_digest(files: dict[str, bytes]) -> str:
    """SHA-256 over the files' bytes as read (an absent optional file counts as such)."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(files.get(name, b"<absent>"))
        digest.update(b"\0")
    return digest.hexdigest()


def vouch_for(receipt: Path, directory: Path, digest: str) -> None:
    """Record that the bytes with `digest` (`Dataset.digest`: those its checks ran on) passed every check;
    written by the parent process into the kernel's private directory, read by `has_receipt` in the kernel."""
    write_text_atomic(receipt, json.dumps({"directory": str(directory), "digest": digest}))


def has_receipt(directory: Path, digest: str) -> bool:
    receipt = os.environ.get(RECEIPT_ENV)
    if not receipt:
        return False
    try:
        record = json.loads(Path(receipt).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record == {"directory": str(directory), "digest": digest}
