"""A receipt for data already fully checked: `fazhi report` checks the data while its kernel starts and
writes a receipt (directory + SHA-256 of the files' bytes) into the kernel's private directory; the kernel
then skips the pandera schemas for exactly those bytes (any edit is checked afresh)."""

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..atomic import read_regular, write_text_atomic
from ..errors import FazhiError
from .csv_input import MAX_TABLE_BYTES
from .layout import RECEIPT_ENV

if TYPE_CHECKING:
    from .dataset import Dataset


def vouch_for(receipt: Path, dataset: "Dataset") -> None:
    """Record that `dataset`'s files, byte for byte, passed every check (written by the parent process
    into the kernel's private directory, read by load_dataset in the kernel)."""
    record = {"directory": str(dataset.data_dir), "digest": content_digest(dataset.data_dir)}
    write_text_atomic(receipt, json.dumps(record))


def has_receipt(directory: Path, digest: str) -> bool:
    receipt = os.environ.get(RECEIPT_ENV)
    if not receipt:
        return False
    try:
        record = json.loads(Path(receipt).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record == {"directory": str(directory), "digest": digest}


def content_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in (paths.CATALOGUE_FILE, paths.OBSERVATIONS_FILE, paths.SOURCES_FILE):
        try:  # only a regular file within the loader's bound; anything else the loader reports
            digest.update(read_regular(directory / name, MAX_TABLE_BYTES))
        except (OSError, FazhiError):
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()
