"""What a report was built from, kept in a small JSON sidecar beside its HTML so a batch can skip it.

A report is rebuilt when any of its inputs changes: its own data rows (for a body: every row of that
body, all years, since a report compares with the previous year; for a multi-body overview: the whole
observations file), the catalogue, the notebook, the package source (every file under fazhi_analysis/),
the versions of the libraries that shape the output, and the parameters. The sidecar also records the
HTML's own SHA-256, so a deleted, truncated or hand-edited HTML is rebuilt too.

Why a sidecar and not one database: it sits next to the file it describes, is written atomically after
it, moves with it, and a killed batch can never leave it claiming an HTML that is not there.
Hashes are SHA-256 from hashlib; nothing here imports pandas, so a rerun with nothing to do is fast.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from ..atomic import read_regular
from ..data.csv_input import MAX_TABLE_BYTES
from ..errors import FazhiError
from ..paths import PACKAGE_DIR

FORMAT_VERSION = 1
LIBRARIES = ("fazhi", "papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "matplotlib", "pandas",
             "jinja2", "noto-cjk-sans-otc", "mistune")


@dataclass(frozen=True)
class Fingerprint:
    inputs: tuple[tuple[str, str], ...]  # (input name, sha256), in a fixed order

    @property
    def digest(self) -> str:
        return sha256_text(json.dumps(self.inputs, ensure_ascii=False))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def reference_digest(data_dir: Path, catalogue_file: str, sources_file: str) -> str:
    """What every page reads besides its own rows: the catalogue, the sources' titles and the reports kept
    as received in raw/ (a page quotes part 五 from them)."""
    digest = hashlib.sha256()
    for path in (data_dir / catalogue_file, data_dir / sources_file, *sorted((data_dir / "raw").glob("*.txt"))):
        digest.update(path.name.encode("utf-8") + b"\0")
        try:  # a raw report that is not a regular file within bounds is the loader's to report
            digest.update(read_regular(path, MAX_TABLE_BYTES))
        except (OSError, FazhiError):
            digest.update(b"<missing>")
    return digest.hexdigest()


def sha256_rows(rows: list[list[str]]) -> str:
    """Rows as the light CSV reader normalised them, in file order (order can change a table)."""
    return sha256_text(json.dumps(rows, ensure_ascii=False))


@cache
def package_digest() -> str:
    """Every file of the package (code, narrative and HTML templates), by relative path."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def libraries_digest() -> str:
    """Installed versions of the libraries that shape the output (one scan of the environment)."""
    wanted = set(LIBRARIES)
    found = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name in wanted:
            found[name] = dist.version
    return sha256_text(json.dumps(sorted(found.items())))


@cache
def _notebook_sha(path: Path, size_bytes: int, mtime_ns: int) -> str:
    """A notebook's SHA-256, once per version of the file (a national plan has ~120,000 items)."""
    return sha256_file(path)


def make_fingerprint(notebook: Path, catalogue_sha: str, rows_sha: str, parameters: dict) -> Fingerprint:
    st = notebook.stat()
    return Fingerprint((
        ("format", str(FORMAT_VERSION)),
        ("notebook", _notebook_sha(notebook, st.st_size, st.st_mtime_ns)),
        ("catalogue", catalogue_sha),
        ("data_rows", rows_sha),
        ("package", package_digest()),
        ("libraries", libraries_digest()),
        ("parameters", sha256_text(json.dumps(parameters, ensure_ascii=False, sort_keys=True))),
    ))


def sidecar_path(html_path: Path) -> Path:
    return html_path.with_name(html_path.stem + ".fingerprint.json")


def is_up_to_date(html_path: Path, fingerprint: Fingerprint) -> bool:
    """The HTML exists, is the one the sidecar describes, and was built from these inputs."""
    try:
        kept = json.loads(sidecar_path(html_path).read_text(encoding="utf-8"))
        return kept.get("fingerprint") == fingerprint.digest and kept.get("html_sha256") == sha256_file(html_path)
    except (OSError, ValueError, AttributeError):
        return False


def sidecar_outputs(html_path: Path, fingerprint: Fingerprint):
    """For build_page's `extra_outputs`: the sidecar, committed together with the HTML it describes."""
    return lambda html: {sidecar_path(html_path): sidecar_bytes(html, fingerprint)}


def sidecar_bytes(html: bytes, fingerprint: Fingerprint) -> bytes:
    record = {"fingerprint": fingerprint.digest, "html_sha256": sha256_bytes(html), "inputs": dict(fingerprint.inputs)}
    return (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

