"""Read and check an observations file too large to hold at once, in bounded memory, one chunk of rows at
a time, saying file, row, column, value and rule as the in-memory reader (`csv_input`) does.

The file is decoded block by block (UTF-8 with or without BOM, else GB18030; UTF-16 with BOM; a UTF-8
file with a broken byte after valid Chinese text is refused with the line, never read as GBK), line
endings are folded as universal newlines, and the stdlib `csv` module parses records in strict mode, so
row numbers are the file's own (header = 1). Each chunk is checked by the rules one row can break, with
every distinct text of a column normalised and checked once (a province's name repeats on a million
rows). Rules across rows (a duplicate observation, two figures linked to one indicator, a part larger
than its whole) need the whole table: the store checks them in SQL once every row is in (`store`).
"""

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, display_path, os_error
from .csv_input import (
    _FORBIDDEN,
    MAX_CELL_CHARS,
    ZIP_MAGIC,
    _check_columns,
    _trim_trailing_empty,
    a_workbook,
    broken_csv,
    cell_problem,
    damaged_utf8,
    fold_width,
    missing_file,
    no_header,
    normalise_text,
    not_text,
    unknown_encoding,
    wrong_width,
)
from .layout import OBSERVATION_COLUMNS, OPTIONAL_COLUMNS
from .row_rules import row_problems, without

BLOCK_BYTES = 1 << 20
CHUNK_ROWS = 50_000
PARALLEL_FROM_BYTES = 16 * 1024 * 1024
MAX_OBSERVATION_ROWS = 10_000_000  # the country for several years is ~2.4 million rows a three-year span
MAX_PROBLEMS_KEPT = 10_000  # a file wrong on every row still ends in bounded memory; the count is exact


class ProblemList(list):
    """Problems, keeping the first MAX_PROBLEMS_KEPT and counting the rest."""

    dropped = 0

    def add(self, problems: list[Problem]) -> None:
        room = MAX_PROBLEMS_KEPT - len(self)
        self.extend(problems[:max(room, 0)])
        self.dropped += max(len(problems) - max(room, 0), 0)

    @property
    def total(self) -> int:
        return len(self) + self.dropped


# --- decoding and records ------------------------------------------------------------------------


def _decodes(path: Path, encoding: str, shown: str) -> tuple[bool, bool]:
    """(whether the whole file decodes as `encoding`, whether any text in it may hold a forbidden
    character or an over-long cell), checked block by block in C; the reading pass then lets the csv
    module pull text straight from the file, and checks cells one by one only when this pass found any.
    A UTF-8 file with a broken byte after valid Chinese text raises DataError naming the line; binary
    content raises DataError."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines, seen_non_ascii, odd, tail = 0, False, False, ""
    with path.open("rb") as handle:
        while True:
            raw = handle.read(BLOCK_BYTES)
            if b"\x00" in raw and not encoding.startswith("utf-16"):
                raise not_text(shown)
            try:
                text = tail + decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                before = raw[:exc.start]
                if encoding.startswith("utf-8") and (seen_non_ascii or not before.isascii()):
                    row = newlines + before.count(b"\n") + 1
                    raise damaged_utf8(shown, row, raw[exc.start:exc.start + 4]) from None
                return False, True
            lines = text.split("\n")
            odd = odd or _FORBIDDEN.search(text) is not None or max(map(len, lines)) > MAX_CELL_CHARS
            tail = lines[-1][-MAX_CELL_CHARS - 1:]  # a long line may straddle two blocks
            if not raw:
                return True, odd
            newlines += raw.count(b"\n")
            seen_non_ascii = seen_non_ascii or not raw.isascii()


def _encoding(path: Path, shown: str) -> tuple[str, bool]:
    """The encoding `csv_input` would read the file with (UTF-16 with its BOM, UTF-8 with or without BOM,
    GB18030), and whether any cell needs checking for forbidden characters or length."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
        if head.startswith(ZIP_MAGIC):
            raise a_workbook(shown)
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        for encoding in (("utf-16",) if utf16 else ("utf-8-sig", "gb18030")):
            decodes, odd = _decodes(path, encoding, shown)
            if decodes:
                return encoding, odd
    except OSError as exc:
        raise os_error(exc, path, "读取") from None
    raise unknown_encoding(shown)


def checked_chunks(path: Path, expected_columns: tuple[str, ...], catalogue, spill: Path,
                   ) -> Iterator[tuple[int, list[Problem]]]:
    """(how many rows of a chunk break no rule of one row, every problem of the chunk), chunk by chunk;
    those rows are written to a Parquet file named spill + chunk number, typed, for the store to read in
    one go. On a file past PARALLEL_FROM_BYTES a second process checks and writes each chunk while this
    one parses the next (the machine this was measured on has two cores); at most two chunks are in
    flight, so memory stays bounded. File-level problems raise DataError."""
    shown = display_path(path)
    chunks = enumerate(read_chunks(path, expected_columns))
    raw = ((shown, *chunk, Path(f"{spill}-{i:06d}.parquet")) for i, chunk in chunks)
    try:
        parallel = path.stat().st_size > PARALLEL_FROM_BYTES
    except OSError:
        parallel = False
    if not parallel:
        yield from (_check_raw(*chunk, catalogue=catalogue) for chunk in raw)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_keep_catalogue, initargs=(catalogue,)) as pool:
        pending: deque = deque()
        for chunk in raw:
            pending.append(pool.submit(_check_raw, *chunk))
            if len(pending) >= 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_catalogue = None  # in a checking process: the catalogue it was started with


def _keep_catalogue(catalogue) -> None:
    global _catalogue
    _catalogue = catalogue


def _check_raw(shown: str, header, records, rows, problems, odd, target: Path, catalogue=None):
    text, problems = _chunk(header, records, rows, shown, problems, odd)
    clean, found = check_chunk(text, catalogue if catalogue is not None else _catalogue, shown)
    if len(clean):
        _write_parquet(clean, target)
    return len(clean), problems + found


def _write_parquet(frame: pd.DataFrame, target: Path) -> None:
    """A checked chunk as a Parquet file (DuckDB writes it: the conversion from Python strings is done
    here, in the checking process, not in the one parsing the CSV)."""
    import duckdb

    chunk = frame[[*OBSERVATION_COLUMNS, "row"]].copy()
    chunk["year"] = chunk["year"].astype("int32")
    for column in OBSERVATION_COLUMNS:
        if column not in ("year", "value"):
            chunk[column] = chunk[column].astype(object)
    con = duckdb.connect(config={"threads": 1})
    try:
        con.register("chunk", chunk)
        path = str(target).replace("'", "''")
        con.execute(f"COPY chunk TO '{path}' (FORMAT parquet, COMPRESSION uncompressed)")
    finally:
        con.close()


def read_chunks(path: Path, expected_columns: tuple[str, ...], chunk_rows: int | None = None,
                max_rows: int | None = None) -> Iterator[tuple]:
    """(header, records, their file rows, the problems found so far, whether cells need a character
    check), chunk by chunk. File-level problems (no header, wrong columns, broken quotes, too many rows)
    raise DataError."""
    chunk_rows, max_rows = chunk_rows or CHUNK_ROWS, max_rows or MAX_OBSERVATION_ROWS
    shown = display_path(path)
    if not path.is_file():
        raise missing_file(shown)
    try:
        encoding, odd = _encoding(path, shown)
        with path.open("r", encoding=encoding, newline="") as handle:
            yield from _records(handle, shown, expected_columns, chunk_rows, max_rows, odd)
    except OSError as exc:
        raise os_error(exc, path, "读取") from None


def _records(handle, shown: str, expected_columns: tuple[str, ...], chunk_rows: int, max_rows: int,
             odd: bool) -> Iterator[tuple]:
    first = handle.readline()
    if not first.strip():
        raise no_header(shown, expected_columns)
    delimiter = "\t" if "," not in first and "\t" in first else ","
    header = _trim_trailing_empty([fold_width(h).lower() for h in next(csv.reader([first], delimiter=delimiter))])
    absent = [c for c in expected_columns if c in OPTIONAL_COLUMNS and c not in header]  # read as empty
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    _check_columns(header + absent, expected_columns, shown)
    width = len(header)
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    record_number = 1
    try:
        for record in reader:
            record_number += 1
            if record_number - 1 > max_rows:
                raise DataError(f"{shown} 超过 {max_rows:,} 行数据", [
                    Problem(shown, record_number, None, None, "row_budget",
                            f"一个数据文件最多 {max_rows:,} 行；请按省或区县分成几个文件")])
            if not "".join(record).strip():
                continue  # a blank line, or only empty cells (Excel leaves both): not a data row
            if len(record) != width:
                record = _trim_trailing_empty(record, keep=width)
                if len(record) != width:
                    if any(c.strip() for c in record):
                        problems.append(wrong_width(shown, record_number, record, width))
                    continue
            records.append(record)
            rows.append(record_number)
            if len(records) >= chunk_rows:
                yield header + absent, records, rows, problems, odd
                records, rows, problems = [], [], []
    except csv.Error as exc:
        raise broken_csv(shown, record_number + 1, exc) from None
    if records or problems:
        yield header + absent, records, rows, problems, odd


def _chunk(header: list[str], records: list[list[str]], rows: list[int], shown: str,
           problems: list[Problem], odd: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """The records as normalised text, each distinct cell checked and normalised once."""
    columns = list(zip(*records, strict=True)) if records else []
    columns += [("",) * len(records)] * (len(header) - len(columns))  # optional columns the file lacks
    frame = pd.DataFrame(index=pd.Index(rows, dtype="int64"))
    for name, cells in zip(header, columns, strict=True):
        codes, uniques = pd.factorize(np.array(cells, dtype=object), sort=False)
        for i, value in enumerate(uniques if odd else ()):
            if len(value) > MAX_CELL_CHARS or _FORBIDDEN.search(value):
                for row in frame.index[codes == i]:
                    problems.append(cell_problem(shown, int(row), name, value))
        normalised = np.empty(len(uniques), dtype=object)
        normalised[:] = [normalise_text(u) for u in uniques]
        frame[name] = pd.Series(normalised[codes] if len(codes) else normalised[:0], index=frame.index, dtype=object)
    bad_rows = {p.row for p in problems}
    return frame[~frame.index.isin(list(bad_rows))] if bad_rows else frame, problems


def check_chunk(text: pd.DataFrame, catalogue, shown: str) -> tuple[pd.DataFrame, list[Problem]]:
    """(the chunk's rows that break no rule of one row, typed as `dataset.load_observations` types them,
    with `row`; every problem of the chunk): `row_rules`, as for every other way rows arrive. The reader
    has refused cells with control characters or past their length already."""
    typed, problems = row_problems(text, catalogue, shown, check_cells=False)
    return without(typed, problems).reset_index(drop=True), problems
