"""Writing a store (data/store.py says when and why): every row checked while it streams into a DuckDB
table in bounded memory, the rules across rows checked in SQL, then the Parquet files written sorted by
province, district, body and year. Nothing is renamed into place unless every check passed."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, Problem, display_path
from .layout import OBSERVATION_COLUMNS
from .rules import rule_zh

if TYPE_CHECKING:
    import pandas as pd

STORE_FORMAT = 2  # 2: the manifest lists the bodies whose output folders coincide
MEMORY_LIMIT = "1GB"  # DuckDB spills to the store's folder beyond this while sorting and checking
ROW_GROUP_ROWS = 16_384  # a district (~1,000 rows) lies in one or two row groups

FILE_SHIFT = 32  # seq = file number << FILE_SHIFT | file row: one order over several files


def build(data_dir: Path, files: list[Path], digest: str, stats: dict, folder: Path, write: bool = True) -> dict:
    """Check every row while streaming it into a DuckDB table, check across rows in SQL, then write the
    sorted Parquet files. Nothing is renamed into place unless every check passed."""
    import duckdb

    from .catalogue import load_catalogue
    from .store_checks import cross_row_problems
    from .streaming import ProblemList, checked_chunks

    catalogue = load_catalogue(data_dir)
    shown_files = [display_path(path) for path in files]
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".staging-{os.getpid()}-{threading.get_ident()}.duckdb"
    staging.unlink(missing_ok=True)
    con = duckdb.connect(str(staging), config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(folder / ".tmp"),
                                               "threads": 2})
    con.execute("SET enable_progress_bar = false")
    spill = folder / f".chunks-{os.getpid()}-{threading.get_ident()}"
    spill.mkdir(exist_ok=True)
    try:
        con.execute(f"CREATE TABLE obs ({_column_types()})")
        problems = ProblemList()
        n_rows = 0
        for number, path in enumerate(files):
            for count, found in checked_chunks(path, OBSERVATION_COLUMNS, catalogue, spill / f"{number:06d}"):
                problems.add(found)
                n_rows += count
            if n_rows:
                _append(con, spill, number)
        if n_rows == 0 and not problems:
            problems.add([Problem(shown_files[0], 2, None, None, "file_has_rows",
                                  rule_zh("file_has_rows", what="观测数据"))])
        problems.add(cross_row_problems(con, catalogue, shown_files))
        if problems:
            shown_problems = sorted(problems, key=lambda p: (shown_files.index(p.file) if p.file in shown_files else 0,
                                                             p.row or 0, p.column or ""))
            more = f"（另有 {problems.dropped} 个未列出）" if problems.dropped else ""
            where = shown_files[0] if len(files) == 1 else f"{len(files)} 个文件"
            raise DataError(f"观测数据 {where} 有 {problems.total} 个问题{more}", shown_problems)
        n_bodies = con.execute("SELECT count(*) FROM (SELECT DISTINCT province, district, body FROM obs)").fetchone()[0]
        if not write:
            return {"rows": n_rows, "n_bodies": n_bodies}
        observations, bodies = f"observations-{digest[:16]}.parquet", f"bodies-{digest[:16]}.parquet"
        order = "province, district, body, year, seq"
        _copy(con, f"SELECT * EXCLUDE (file) FROM obs ORDER BY {order}", folder / observations)
        bodies_frame = _bodies_frame(con)
        con.register("bodies_frame", bodies_frame)
        _copy(con, "SELECT * FROM bodies_frame ORDER BY first_seq", folder / bodies)
        shared = _shared_folders(bodies_frame[["province", "district", "body"]].itertuples(index=False))
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
        staging.unlink(missing_ok=True)
        staging.with_suffix(".duckdb.wal").unlink(missing_ok=True)
    return {"format": STORE_FORMAT, "digest": digest, "stats": stats, "rows": n_rows, "n_bodies": n_bodies,
            "columns": list(OBSERVATION_COLUMNS), "observations": observations, "bodies": bodies,
            "shared_folders": shared}


def _shared_folders(bodies) -> list[list[list[str]]]:
    """Groups of bodies whose pages would go to one folder (on a file system that ignores case and Unicode
    normalisation), found once when the store is built, so that `fazhi report` need not name the folders
    of 38,000 bodies to check one."""
    from ..outputs import path_key, safe_slug

    groups: dict[str, list[list[str]]] = {}
    for province, district, body in bodies:
        groups.setdefault(path_key(Path(safe_slug(district, body))), []).append([province, district, body])
    return [group for group in groups.values() if len(group) > 1]


def _column_types() -> str:
    types = {"year": "INTEGER", "value": "DOUBLE"}
    return (", ".join(f'"{c}" {types.get(c, "VARCHAR")}' for c in OBSERVATION_COLUMNS)
            + ', "row" BIGINT, "file" INTEGER, "seq" BIGINT')


def _append(con, spill: Path, file_number: int) -> None:
    """The checked chunks of one source file, read from the Parquet files the check wrote."""
    files = sorted(spill.glob(f"{file_number:06d}-*.parquet"))
    if not files:
        return
    listing = ", ".join(f"'{sql_path(p)}'" for p in files)
    columns = ", ".join(f'"{c}"' for c in OBSERVATION_COLUMNS)
    con.execute(f"""INSERT INTO obs SELECT {columns}, row, {file_number} AS file,
        ({file_number}::BIGINT << {FILE_SHIFT}) + row AS seq FROM read_parquet([{listing}])""")
    for path in files:
        path.unlink()


def _copy(con, query: str, target: Path) -> None:
    """A query's result as a Parquet file, written under a temporary name and renamed into place."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    con.execute(f"COPY ({query}) TO '{sql_path(temporary)}' "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
    os.replace(temporary, target)


def _bodies_frame(con) -> pd.DataFrame:
    """One row per body: its years, where it first appears (data order), and a SHA-256 of its rows in file
    order (what a page's fingerprint records: row numbers are left out, so a row added above does not
    change every body below it). One province at a time: an ordered aggregate over the whole country
    would hold every row at once."""
    import pandas as pd

    cells = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in OBSERVATION_COLUMNS)
    frames = []
    for (province,) in con.execute("SELECT DISTINCT province FROM obs").fetchall():
        frames.append(con.execute(f"""SELECT province, district, body, min(seq) AS first_seq,
            list(DISTINCT year ORDER BY year) AS years,
            sha256(string_agg(md5(concat_ws(chr(31), {cells})), '' ORDER BY seq)) AS digest
            FROM obs WHERE province = ? GROUP BY province, district, body""", [province]).df())
    return pd.concat(frames, ignore_index=True).sort_values("first_seq", ignore_index=True)


def sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
