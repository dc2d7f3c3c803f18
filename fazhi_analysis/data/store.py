"""A columnar store for data past a district's size: the observations as one Parquet file, sorted by
province, district, body and year, read through DuckDB so that a page reads only its own rows.

Why: a province (1,000–4,600 towns) or the country (~38,000 towns × 3 years, ~2.4 million rows, ~500 MB
of CSV) cannot be parsed by every command and every kernel for every page. The CSV files in data/ stay
the source people edit (diffable, they open in Excel); the store is derived from them and never edited.

- When: `FAZHI_STORE` = `auto` (default: when observations.csv is larger than STORE_FROM_BYTES, far
  beyond a district's figures), `always` or `never`. A data directory shipped to a cluster worker holds
  the store and no CSV, and is read from its store.
- Incremental: the manifest records the SHA-256 of observations.csv and catalogue.csv (and their size and
  mtime, so a reader need not hash 500 MB to know nothing changed). Unchanged bytes are never rebuilt;
  changed ones are rebuilt whole, since a streaming check of 2.4 million rows takes under a minute.
- Atomic and locked: built under the data directory's lock (the one `fazhi import` takes), into files
  named by their digest; the manifest is renamed into place last, so a reader sees the old store or the
  new one. Bad data leaves the previous store and raises the problems, as `load_dataset` does.
- DuckDB, not pyarrow (docs/scale.md measures both): one small wheel that writes and reads Parquet with
  row-group statistics, so `WHERE district = ?` skips other districts, and sorts and checks within a limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..atomic import write_text_atomic
from ..errors import DataError, Problem, display_path
from ..locks import data_lock
from .bodies import Body
from .csv_input import missing_file
from .layout import OBSERVATION_COLUMNS
from .store_build import STORE_FORMAT, build, sql_path

if TYPE_CHECKING:  # pandas is imported where rows are read: resolving a typed name needs only the bodies
    import pandas as pd

STORE_ENV = "FAZHI_STORE"
STORE_FROM_BYTES = 8 * 1024 * 1024  # ~40,000 rows: a city; a district's figures for decades stay under 1 MB
STORE_DIR = ".store"
MANIFEST = "manifest.json"
NAMED = ("province", "district", "body", "indicator", "qualifier", "part", "topic", "measure")  # normalised text


def mode() -> str:
    value = os.environ.get(STORE_ENV, "auto").strip().lower()
    return value if value in ("always", "never") else "auto"


def in_use(data_dir: Path) -> bool:
    """Whether `data_dir` is read through its store (see the module's docstring for when)."""
    observations = data_dir / paths.OBSERVATIONS_FILE
    if not observations.exists():
        return (data_dir / STORE_DIR / MANIFEST).is_file()  # a shipped store
    if mode() != "auto":
        return mode() == "always"
    try:
        return observations.stat().st_size > STORE_FROM_BYTES
    except OSError:
        return False


# --- building -------------------------------------------------------------------------------------
def source_files(data_dir: Path, folder: Path | None = None) -> list[Path]:
    """The observation files a store is built from: data/observations.csv, or every CSV of the folder the
    store was built from (`fazhi store --from`, e.g. one file per district), in name order."""
    if folder is None and not (data_dir / paths.OBSERVATIONS_FILE).exists():
        folder = Path((read_manifest(data_dir) or {}).get("from") or data_dir)
    if folder is None:
        return [data_dir / paths.OBSERVATIONS_FILE]
    return sorted(p for p in folder.glob("*.csv") if p.is_file())


def _stats(data_dir: Path, files: list[Path]) -> dict[str, list[int]]:
    out = {}
    for path in (*files, data_dir / paths.CATALOGUE_FILE):
        st = path.stat()
        out[str(path)] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return out


def sources_digest(data_dir: Path, files: list[Path]) -> str:
    """SHA-256 over the files the store is built from, read in blocks (never the whole file at once)."""
    digest = hashlib.sha256(f"fazhi-store-{STORE_FORMAT}".encode())
    for path in (data_dir / paths.CATALOGUE_FILE, *files):
        digest.update(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def read_manifest(data_dir: Path) -> dict | None:
    """The store's manifest as it stands (None when there is none or it cannot be read)."""
    try:
        return json.loads((data_dir / STORE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _fresh(data_dir: Path, manifest: dict | None, folder: Path | None = None) -> bool:
    if manifest is None or manifest.get("format") != STORE_FORMAT:
        return False
    built_from = manifest.get("from")
    if folder is not None and str(folder) != built_from:
        return False
    if not (data_dir / paths.OBSERVATIONS_FILE).exists() and not (built_from and Path(built_from).is_dir()):
        return True  # shipped to a cluster worker: the store is all there is
    try:
        return manifest.get("stats") == _stats(data_dir, source_files(data_dir, folder))
    except OSError:
        return False


def ensure_store(data_dir: Path, folder: Path | None = None) -> dict:
    """The manifest of an up-to-date store, building it when the source files changed (under the data
    lock). Raises DataError, listing every problem, when the data breaks a rule. `folder`: build from its
    CSV files instead of data/observations.csv."""
    folder = folder.resolve() if folder is not None else None
    manifest = read_manifest(data_dir)
    if _fresh(data_dir, manifest, folder):
        return manifest
    with data_lock(data_dir):
        manifest = read_manifest(data_dir)
        if _fresh(data_dir, manifest, folder):
            return manifest
        files = source_files(data_dir, folder)
        for path in (*files, data_dir / paths.CATALOGUE_FILE):
            if not path.is_file():
                raise missing_file(display_path(path))
        if not files:
            raise DataError(f"{display_path(folder or data_dir)} 中没有 CSV 数据文件")
        stats, digest = _stats(data_dir, files), sources_digest(data_dir, files)
        if manifest is not None and manifest.get("digest") == digest and manifest.get("format") == STORE_FORMAT:
            manifest = {**manifest, "stats": stats}  # touched, not changed: nothing to rebuild
        else:
            manifest = build(data_dir, files, digest, stats, data_dir / STORE_DIR)
        manifest["from"] = str(folder) if folder is not None else manifest.get("from")
        write_text_atomic(data_dir / STORE_DIR / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        _remove_unused(data_dir / STORE_DIR, manifest)
        return manifest


def check_only(data_dir: Path) -> tuple[int, int]:
    """Every check of a build, writing nothing under data/ (`fazhi validate`): (rows, bodies), or DataError."""
    import tempfile

    manifest = read_manifest(data_dir)
    if _fresh(data_dir, manifest):
        return manifest["rows"], manifest["n_bodies"]  # these bytes were checked when the store was built
    with tempfile.TemporaryDirectory(prefix="fazhi-check-") as scratch:
        counted = build(data_dir, source_files(data_dir), "", {}, Path(scratch), write=False)
    return counted["rows"], counted["n_bodies"]


def check_streaming(directory: Path) -> list[Problem]:
    """`fazhi validate` past the store's threshold: every problem, from a streaming pass in bounded memory."""
    try:
        check_only(directory)
    except DataError as exc:
        return exc.problems or [Problem(str(directory), None, None, None, "data", exc.message)]
    return []


def _remove_unused(folder: Path, manifest: dict) -> None:
    """Files of earlier versions, and what a build killed midway left (this runs under the data lock, so no
    other build is under way)."""
    keep = {MANIFEST, manifest["observations"], manifest["bodies"]}
    for path in folder.iterdir():
        if path.is_dir() and path.name.startswith(".chunks-"):
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.name not in keep:
            path.unlink(missing_ok=True)


# --- reading --------------------------------------------------------------------------------------
_local = threading.local()


def _connection():
    import duckdb

    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(config={"threads": 1})
    return con


@dataclass(frozen=True)
class Scope:
    """Which rows a page loads: `district` (its bodies, all years), `province`, `bodies` or everything."""

    province: str | None = None
    district: str | None = None
    bodies: tuple[Body, ...] = ()

    def sql(self) -> tuple[str, list]:
        if self.bodies:
            pairs = " OR ".join("(district = ? AND body = ?)" for _ in self.bodies)
            return f"WHERE {pairs}", [v for b in self.bodies for v in (b.district, b.name)]
        if self.district is not None and self.province is not None:
            return "WHERE province = ? AND district = ?", [self.province, self.district]
        if self.district is not None:
            return "WHERE district = ?", [self.district]
        if self.province is not None:
            return "WHERE province = ?", [self.province]
        return "", []


class Store:
    """An up-to-date store of one data directory: its bodies and any scope of its rows."""

    def __init__(self, data_dir: Path, manifest: dict):
        self.data_dir = data_dir
        self.manifest = manifest

    @property
    def digest(self) -> str:
        return self.manifest["digest"]

    def _file(self, key: str) -> str:
        return sql_path(self.data_dir / STORE_DIR / self.manifest[key])

    @cached_property
    def _body_rows(self) -> list[tuple]:
        """(province, district, body, years, digest) per body, in the order bodies first appear in the data.
        Fetched as tuples, not a DataFrame: `fazhi report` resolves a typed name against 38,000 bodies
        before its kernel starts, and pandas would add a quarter of a second to that."""
        return _connection().cursor().execute(
            "SELECT province, district, body, years, digest "
            f"FROM read_parquet('{self._file('bodies')}') ORDER BY first_seq").fetchall()

    def folder_mates(self, body: Body) -> list[Body]:
        """The other bodies whose pages would share `body`'s folder (the manifest's list, made at build)."""
        for group in self.manifest.get("shared_folders", []):
            members = [Body(*member) for member in group]
            if body in members:
                return [b for b in members if b != body]
        return []

    @cached_property
    def bodies(self) -> list[Body]:
        return [Body(province, district, body) for province, district, body, _, _ in self._body_rows]

    @cached_property
    def years(self) -> dict[Body, list[int]]:
        return {b: [int(y) for y in row[3]] for b, row in zip(self.bodies, self._body_rows, strict=True)}

    @cached_property
    def digests(self) -> dict[Body, str]:
        return {b: row[4] for b, row in zip(self.bodies, self._body_rows, strict=True)}

    def rows(self, scope: Scope, linked_only: bool = False, max_year: int | None = None) -> pd.DataFrame:
        """The scope's rows in file order, typed as `dataset.load_observations` types them."""
        where, params = scope.sql()
        extra = [c for c, on in (("indicator <> ''", linked_only), ("year <= ?", max_year is not None)) if on]
        if extra:
            where = (where + " AND " if where else "WHERE ") + " AND ".join(extra)
            params = params + ([max_year] if max_year is not None else [])
        columns = ", ".join(f'"{c}"' for c in (*OBSERVATION_COLUMNS, "row"))
        frame = _connection().cursor().execute(
            f"SELECT {columns} FROM read_parquet('{self._file('observations')}') {where} ORDER BY seq", params).df()
        return typed_like_csv(frame)


def typed_like_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes the CSV path gives (normalised columns `str`, other text `object`), so a page computes
    the same from either."""
    import pandas as pd

    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column in OBSERVATION_COLUMNS:
        values = frame[column]
        if column == "year":
            out[column] = pd.array(values.astype("int64"), dtype="Int64")
        elif column == "value":
            out[column] = values.astype(float)
        elif column in NAMED:
            out[column] = values.astype("str")
        else:
            out[column] = pd.Series(values.to_numpy(dtype=object), dtype=object)
    out["row"] = frame["row"].astype("int64").to_numpy()
    return out


_stores: dict[Path, Store] = {}


def open_store(data_dir: Path) -> Store:
    """The directory's store, brought up to date first; kept per process while its digest holds (a warm
    kernel builds many pages from one store)."""
    manifest = ensure_store(data_dir)
    kept = _stores.get(data_dir)
    if kept is None or kept.manifest.get("digest") != manifest["digest"]:
        _stores.clear()
        kept = _stores[data_dir] = Store(data_dir, manifest)
    return kept
