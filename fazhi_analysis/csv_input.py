"""Read a CSV table the way offices actually produce them: UTF-8 with or without BOM, or GBK from Excel
on Chinese Windows; full-width digits and spaces; thousands separators. Everything is read as text so
that each conversion can say exactly which cell it could not read."""

import csv
import io
import re
import unicodedata
from pathlib import Path

from .errors import DataError, Problem, display_path

MAX_TABLE_BYTES = 20 * 1024 * 1024  # a district's figures for decades fit in well under 1 MB
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK / GB2312


def normalise_text(text: str) -> str:
    """Trim ordinary and full-width (U+3000) spaces; Chinese punctuation in names is kept as typed."""
    return text.replace("\u3000", " ").strip()


def fold_width(text: str) -> str:
    """NFKC folds full-width digits and letters (２４２ → 242, ｋｅｙ → key) in numbers and keys."""
    return unicodedata.normalize("NFKC", text).strip()


def read_text_table(path: Path, expected_columns: tuple[str, ...]):
    """The table as a DataFrame of normalised strings, index 0 = first data row (file row 2)."""
    import pandas as pd  # here, so that the light `read_rows` path of parameter checks stays fast

    header, records = read_rows(path, expected_columns)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    # an entirely empty line (as Excel leaves at the end) is not a data row
    keep = frame.apply(lambda r: any(v != "" for v in r), axis=1) if len(frame) else []
    return frame[keep] if len(frame) else frame


def read_rows(path: Path, expected_columns: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    """Header and normalised text rows of a CSV, with file-level problems raised as DataError."""
    shown = display_path(path)
    if not path.is_file():
        raise DataError(f"找不到数据文件 {shown}", [Problem(shown, None, None, None, "file_exists", "文件不存在")])
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise DataError(f"{shown} 太大（{size / 1e6:.0f} MB），不像是指标数据表", [
            Problem(shown, None, None, None, "file_size", f"文件应小于 {MAX_TABLE_BYTES // 2**20} MB")])
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise DataError(f"{shown} 不是文本表格（含二进制内容）", [
            Problem(shown, None, None, None, "file_is_text", "应为 CSV 文本文件（UTF-8 或 GBK 编码）")])
    text = _decode(raw, shown)
    if not text.strip():
        raise DataError(f"{shown} 是空文件", [
            Problem(shown, 1, None, None, "file_not_empty", "应有表头行: " + ",".join(expected_columns))])
    rows = list(csv.reader(io.StringIO(text)))
    header = [fold_width(h).lower() for h in rows[0]]
    _check_columns(header, expected_columns, shown)
    body = rows[1:]
    problems = [
        Problem(shown, i + 2, None, ",".join(r), "row_width", f"应有 {len(header)} 列，实际 {len(r)} 列")
        for i, r in enumerate(body) if any(c.strip() for c in r) and len(r) != len(header)
    ]
    if problems:
        raise DataError(f"{shown} 有行的列数不对", problems)
    # blank lines (Excel leaves some at the end) become empty rows, so row numbers stay the file's own
    return header, [[normalise_text(c) for c in r] if len(r) == len(header) else [""] * len(header) for r in body]


def _decode(raw: bytes, shown: str) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(f"{shown} 的编码无法识别", [
        Problem(shown, None, None, None, "file_encoding", "请另存为 UTF-8 或 GBK 编码的 CSV")])


def _check_columns(header: list[str], expected: tuple[str, ...], shown: str) -> None:
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = [Problem(shown, 1, c, None, "column_missing", "缺少这一列") for c in missing]
    problems += [Problem(shown, 1, c or "(空列名)", None, "column_unknown",
                         "不认识的列；应为: " + ",".join(expected)) for c in extra]
    problems += [Problem(shown, 1, c, None, "column_duplicated", "列名重复") for c in duplicated]
    if problems:
        raise DataError(f"{shown} 的表头不对", problems)


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(\D|$))")


def parse_number(text: str) -> float | None:
    """A cell's number: '15,000' → 15000, '２４２' (already NFKC-folded) → 242; None when not a number."""
    cleaned = _THOUSANDS.sub("", fold_width(text).replace(" ", ""))
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    return float(cleaned)


def parse_year(text: str) -> int | None:
    """'2023' or '2023年' → 2023; None otherwise."""
    match = re.fullmatch(r"(\d{4})(年|年度)?", fold_width(text).replace(" ", ""))
    return int(match.group(1)) if match else None
