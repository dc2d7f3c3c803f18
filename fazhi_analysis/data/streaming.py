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
import copy
import csv
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, display_path, os_error
from .csv_input import (
    _FORBIDDEN,
    MAX_CELL_CHARS,
    ZIP_MAGIC,
    _check_columns,
    _shown_row,
    _trim_trailing_empty,
    fold_width,
    forbidden_character,
    normalise_name,
    normalise_text,
    numeral_problem,
    parse_number,
    parse_year,
)
from .names import name_problem
from .rules import RATE_MAX_PCT, RULES_ZH, indicator_unknown_zh, measure_mismatch_zh
from .text_rules import formula_problem

BLOCK_BYTES = 1 << 20
CHUNK_ROWS = 50_000
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
def _blocks(handle, encoding: str, shown: str) -> Iterator[str]:
    """Decoded text in blocks; universal newlines; raises DataError for bytes no encoding here reads."""
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines, seen_non_ascii, held_cr = 0, False, ""
    while True:
        raw = handle.read(BLOCK_BYTES)
        if b"\x00" in raw and not encoding.startswith("utf-16"):
            raise DataError(f"{shown} 不是文本表格（含二进制内容）", [
                Problem(shown, None, None, None, "file_is_text", "应为 CSV 文本文件（UTF-8 或 GBK 编码）")])
        try:
            text = decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            before = raw[:exc.start]
            if encoding.startswith("utf-8") and (seen_non_ascii or any(b >= 0x80 for b in before)):
                row = newlines + before.count(b"\n") + 1
                raise DataError(f"{shown} 第{row}行有无法识别的字节", [
                    Problem(shown, row, None, raw[exc.start:exc.start + 4].hex(" "), "file_encoding",
                            "文件是 UTF-8 编码，但这一行有损坏的字节；请在原表中重新输入这一行")]) from None
            raise _Undecodable from None
        newlines += raw.count(b"\n")
        seen_non_ascii = seen_non_ascii or any(b >= 0x80 for b in raw[:4096]) or not raw.isascii()
        text = held_cr + text
        held_cr = ""
        if text.endswith("\r") and raw:
            text, held_cr = text[:-1], "\r"
        if text:
            yield text.replace("\r\n", "\n").replace("\r", "\n")
        if not raw:
            return


class _Undecodable(Exception):
    """Not this encoding from the start: try the next one."""


def _lines(path: Path, shown: str) -> Iterator[str]:
    """Lines with their "\\n", decoded as `csv_input` decodes a whole file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise os_error(exc, path, "读取") from None
    if head.startswith(ZIP_MAGIC):
        raise DataError(f"{shown} 是 Excel/Word 文件，不是 CSV", [
            Problem(shown, None, None, None, "file_is_text", "请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后再使用")])
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in (("utf-16",) if utf16 else ("utf-8-sig", "gb18030")):
        try:
            with path.open("rb") as handle:
                rest = ""
                for text in _blocks(handle, encoding, shown):
                    parts = (rest + text).split("\n")
                    rest = parts.pop()
                    yield from (p + "\n" for p in parts)
                if rest:
                    yield rest
            return
        except _Undecodable:
            continue
        except OSError as exc:
            raise os_error(exc, path, "读取") from None
    raise DataError(f"{shown} 的编码无法识别", [
        Problem(shown, None, None, None, "file_encoding", "请另存为 UTF-8 或 GBK 编码的 CSV")])


def read_chunks(path: Path, expected_columns: tuple[str, ...], chunk_rows: int | None = None,
                max_rows: int | None = None) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
    """(normalised text cells indexed by file row, that chunk's cell problems), chunk by chunk. File-level
    problems (no header, wrong columns, broken quotes, too many rows) raise DataError."""
    chunk_rows, max_rows = chunk_rows or CHUNK_ROWS, max_rows or MAX_OBSERVATION_ROWS
    shown = display_path(path)
    if not path.is_file():
        raise DataError(f"找不到数据文件 {shown}", [Problem(shown, None, None, None, "file_exists", "文件不存在")])
    lines = _lines(path, shown)
    first = next(lines, "")
    if not first.strip():
        raise DataError(f"{shown} 是空文件或第1行不是表头", [
            Problem(shown, 1, None, None, "header_first", "第一行应为表头：" + ",".join(expected_columns))])
    delimiter = "\t" if "," not in first and "\t" in first else ","
    reader = csv.reader(_chain(first, lines), delimiter=delimiter, strict=True)
    header = _trim_trailing_empty([fold_width(h).lower() for h in next(reader)])
    _check_columns(header, expected_columns, shown)
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
            if len(record) != width:
                record = _trim_trailing_empty(record, keep=width)
                if len(record) != width:
                    if any(c.strip() for c in record):
                        problems.append(Problem(shown, record_number, None, _shown_row(record), "row_width",
                                                f"应有 {width} 列，实际 {len(record)} 列"))
                    continue
            records.append(record)
            rows.append(record_number)
            if len(records) >= chunk_rows:
                yield _chunk(header, records, rows, shown, problems)
                records, rows, problems = [], [], []
    except csv.Error as exc:
        raise DataError(f"{shown} 第{record_number + 1}行起不是合法的 CSV", [
            Problem(shown, record_number + 1, None, None, "csv_syntax",
                    f"引号不成对或单元格过长（{exc}）；单元格内的英文双引号请写成两个 \"\"")]) from None
    if records or problems:
        yield _chunk(header, records, rows, shown, problems)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _chunk(header: list[str], records: list[list[str]], rows: list[int], shown: str,
           problems: list[Problem]) -> tuple[pd.DataFrame, list[Problem]]:
    columns = list(zip(*records, strict=True)) if records else [()] * len(header)
    frame = pd.DataFrame({name: np.array(cells, dtype=object) for name, cells in zip(header, columns, strict=True)},
                         index=pd.Index(rows, dtype="int64"))
    for name in header:
        cells = frame[name]
        uniques = pd.unique(cells)
        odd = [u for u in uniques if len(u) > MAX_CELL_CHARS or _FORBIDDEN.search(u)]
        for value in odd:
            for row in frame.index[cells == value]:
                bad = forbidden_character(value)
                if bad:
                    problems.append(Problem(shown, int(row), name, value.encode("unicode_escape").decode("ascii")[:80],
                                            "text_no_control_chars", f"含不可见的控制字符 {bad}，请删除后重新输入"))
                else:
                    problems.append(Problem(shown, int(row), name, value[:40] + "…", "cell_length",
                                            f"单元格超过 {MAX_CELL_CHARS} 个字符，像是误粘贴"))
        frame[name] = mapped(cells, normalise_text)
    bad_rows = {p.row for p in problems}
    blank = (frame == "").all(axis=1) if len(frame) else pd.Series([], dtype=bool)
    return frame[~blank & ~frame.index.isin(list(bad_rows))], problems


def mapped(cells: pd.Series, function: Callable) -> pd.Series:
    """`function` applied once per distinct value, in the order of `cells`."""
    codes, uniques = pd.factorize(cells, sort=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(u) for u in uniques]
    return pd.Series(results[codes] if len(codes) else results[:0], index=cells.index, dtype=object)


# --- the rules one row can break ----------------------------------------------------------------
_schema_without_unique = None


def _row_schema():
    """The observations schema less its uniqueness rule, which the store checks across chunks."""
    global _schema_without_unique
    if _schema_without_unique is None:
        from .schema import OBSERVATIONS_SCHEMA

        _schema_without_unique = copy.deepcopy(OBSERVATIONS_SCHEMA)
        _schema_without_unique.unique = None
    return _schema_without_unique


def check_chunk(text: pd.DataFrame, catalogue, shown: str) -> tuple[pd.DataFrame, list[Problem]]:
    """(the chunk's rows that break no rule, typed as `dataset.load_observations` types them, with `row`;
    every problem of the chunk)."""
    from .schema import schema_problems

    frame = text.copy()
    frame["row"] = text.index.to_numpy()
    for column in ("province", "district", "body"):
        frame[column] = mapped(frame[column], normalise_name)
    frame["indicator"] = mapped(frame["indicator"], lambda t: fold_width(t).lower())
    for column in ("qualifier", "part", "topic", "measure"):
        frame[column] = mapped(frame[column], fold_width)
    years = mapped(frame["year"], parse_year)
    values = mapped(frame["value"], parse_number)
    problems = []
    for row, year_text in zip(frame["row"][years.isna()], frame["year"][years.isna()], strict=True):
        problems.append(Problem(shown, int(row), "year", year_text, "year_is_number",
                                "年份应为四位数字，如 2023（“2023年”也可）"))
    for row, value_text in zip(frame["row"][values.isna()], frame["value"][values.isna()], strict=True):
        rule, why = numeral_problem(value_text) or (
            "value_is_number", "应为数字（可带小数；“若干”“全覆盖”等文字写在 expr 列，value 留数字）")
        problems.append(Problem(shown, int(row), "value", value_text, rule, why))
    frame["year"] = pd.array(years.tolist(), dtype="Int64")
    frame["value"] = pd.array(values.tolist(), dtype="Float64").astype(float)
    typed = frame[years.notna().to_numpy() & values.notna().to_numpy()]
    problems += _distinct_text_problems(typed, shown)
    file_rows = typed["row"].to_numpy()
    found = schema_problems(typed.drop(columns="row").reset_index(drop=True), _row_schema(), shown)
    problems += [p if p.row is None else replace(p, row=int(file_rows[p.row - 2])) for p in found]
    bad = {p.row for p in problems}
    clean = typed[~typed["row"].isin(list(bad))]
    more = _row_domain_problems(clean, catalogue, shown)
    if more:
        problems += more
        clean = clean[~clean["row"].isin([p.row for p in more])]
    return clean.reset_index(drop=True), problems


def _distinct_text_problems(typed: pd.DataFrame, shown: str) -> list[Problem]:
    """The name rules (`names`) and the formula rule (`text_rules`) on each distinct text once, reported on
    every row that has it, as `dataset.text_problems` reports them."""
    problems = []
    for column in ("province", "district", "body", "heading", "label", "expr", "source"):
        cells = typed[column]
        uniques = pd.unique(cells)
        if column in ("province", "district", "body"):
            verdicts = {name: name_problem(name) for name in uniques}
            known = [name for name, verdict in verdicts.items() if verdict is None]
            verdicts = {name: name_problem(name, known) for name, verdict in verdicts.items() if verdict}
        else:
            verdicts = {text: verdict for text in uniques if (verdict := formula_problem(text))}
        for value, (rule, why) in verdicts.items():
            for row in typed["row"][cells == value]:
                problems.append(Problem(shown, int(row), column, value, rule, why))
    return problems


def _row_domain_problems(frame: pd.DataFrame, catalogue, shown: str) -> list[Problem]:
    """The catalogue rules of one row: a percentage ≤ 100, a linked indicator exists and is measured in a
    word the catalogue lists for it (a zero written in words needs none)."""
    problems = []
    over = frame[(frame["measure"] == "%") & (frame["value"] > RATE_MAX_PCT)]
    for row in over.itertuples(index=False):
        problems.append(Problem(shown, int(row.row), "value", f"{row.value:g}", "rate_at_most_100",
                                f"{row.label}{RULES_ZH['rate_at_most_100']}"))
    linked = frame[frame["indicator"] != ""]
    unknown = linked[~linked["indicator"].isin(list(catalogue))]
    for row in unknown.itertuples(index=False):
        problems.append(Problem(shown, int(row.row), "indicator", row.indicator, "indicator_known",
                                indicator_unknown_zh(catalogue, row.indicator)))
    known = linked[linked["indicator"].isin(list(catalogue))]
    allowed = known["indicator"].map({k: ind.measures for k, ind in catalogue.items()})
    fits = np.fromiter((m in a for m, a in zip(known["measure"], allowed, strict=True)), bool, len(known))
    for row in known[~fits].itertuples(index=False):
        in_words = row.measure == "" and (row.value == 0 or not any(c.isdigit() for c in row.expr))
        if not in_words:
            problems.append(Problem(shown, int(row.row), "measure", row.measure, "measure_matches_indicator",
                                    measure_mismatch_zh(catalogue[row.indicator])))
    return problems
