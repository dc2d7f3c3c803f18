"""Read a CSV table the way offices actually produce them, and say exactly which cell is wrong.

Everything is read as text so that each conversion can name the cell it could not read. What is
accepted, and how it is normalised (tests/bad_inputs/cases.yaml holds one case of each):
- encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), GBK / GB18030
  (Excel on Chinese Windows); a UTF-8 file with one broken byte is rejected, not read as GBK mojibake;
- line endings \\r\\n, \\n and \\r (Excel for Mac); comma- or tab-separated (tab only when the header
  has no comma); blank lines and trailing empty columns (Excel leaves both) are ignored;
- in every cell: ordinary and full-width (U+3000) spaces trimmed, a line break or tab inside a cell
  (Alt+Enter in Excel, text pasted from Word) becomes one space, zero-width characters are removed;
- rejected: other control characters and bidi overrides (they hide or reorder text on screen),
  binary files (Excel .xlsx saved as .csv), unbalanced quotes, files over MAX_TABLE_BYTES.
The stdlib `csv` module does the parsing (strict mode, so a stray quote is an error rather than
rows silently swallowed into one cell).
"""

import codecs
import csv
import io
import math
import re
import unicodedata
from pathlib import Path

from ..atomic import read_regular
from ..errors import DataError, Problem, display_path
from .layout import OPTIONAL_COLUMNS
from .rules import rule_zh

MAX_TABLE_BYTES = 20 * 1024 * 1024  # a district's figures for decades fit in well under 1 MB
MAX_CELL_CHARS = 4000  # a longer cell is a paste accident, not an expression as written
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx / .docx are zip files
ENCODINGS = ("utf-8-sig", "gb18030")  # tried in this order; gb18030 is a superset of GBK / GB2312

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_INNER_BREAKS = re.compile(r"[\t\r\n]+")
# C0 (except tab/CR/LF, folded above), DEL, C1, the bidi embedding/override/isolate controls, and what XML
# cannot hold at all (U+FFFE, U+FFFF, lone surrogates): Word and Excel files are XML, and their writers
# fail on such a character, so it is refused where the text enters, naming its cell
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def normalise_text(text: str) -> str:
    """Trim ordinary and full-width (U+3000) spaces, fold in-cell line breaks and tabs to one space,
    drop zero-width characters; Chinese punctuation is kept as typed."""
    text = _INNER_BREAKS.sub(" ", text.translate(_ZERO_WIDTH))
    return text.replace("\u3000", " ").strip()


_SPACE_BETWEEN_HAN = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


_FULL_WIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def normalise_name(text: str) -> str:
    """A body / district / province name: a space between two Chinese characters is a typing slip
    (峡口 镇 → 峡口镇); other runs of spaces become one; full-width letters and digits (Ａ１) are folded
    to ASCII, as NFKC would. Applied to data and to --unit alike. Other compatibility forms and
    invisible characters are refused, not folded: see `data.names`."""
    folded = normalise_text(text).translate(_FULL_WIDTH_ASCII)
    return re.sub(r"\s+", " ", _SPACE_BETWEEN_HAN.sub("", folded))


def fold_width(text: str) -> str:
    """NFKC folds full-width digits and letters (２４２ → 242, ｋｅｙ → key) in numbers and keys."""
    return unicodedata.normalize("NFKC", normalise_text(text)).strip()


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed: the last guard of the Word and Excel writers
    for text no validation saw (a report's own words quoted from data/raw/)."""
    return _XML_ILLEGAL.sub("", text)


def forbidden_character(text: str) -> str | None:
    """The first character that may not appear in a cell (shown escaped), or None."""
    match = _FORBIDDEN.search(text)
    return None if match is None else repr(match.group())


def cell_is_odd(value: str) -> bool:
    """Whether a cell breaks a cell rule (`cell_problem`): a quick test before the problem is worded."""
    return len(value) > MAX_CELL_CHARS or _FORBIDDEN.search(value) is not None


def cell_problem(shown: str, row: int, column: str, value: str) -> Problem | None:
    """A cell no table may hold: an invisible control character, or more than MAX_CELL_CHARS characters."""
    bad = forbidden_character(value)
    if bad:
        return Problem(shown, row, column, value.encode("unicode_escape").decode("ascii")[:80],
                       "text_no_control_chars", rule_zh("text_no_control_chars", char=bad))
    if len(value) > MAX_CELL_CHARS:
        return Problem(shown, row, column, value[:40] + "…", "cell_length",
                       rule_zh("cell_length", max_chars=MAX_CELL_CHARS))
    return None


# --- what is wrong with a file as a whole, said the same by this reader and the streaming one -------------
def missing_file(shown: str) -> DataError:
    return DataError(f"找不到数据文件 {shown}", [
        Problem(shown, None, None, None, "file_exists", rule_zh("file_exists"))])


def not_text(shown: str) -> DataError:
    return DataError(f"{shown} 不是文本表格（含二进制内容）", [
        Problem(shown, None, None, None, "file_is_text", rule_zh("file_is_text"))])


def a_workbook(shown: str) -> DataError:
    return DataError(f"{shown} 是 Excel/Word 文件，不是 CSV", [
        Problem(shown, None, None, None, "file_is_text", rule_zh("file_is_text.workbook"))])


def damaged_utf8(shown: str, row: int, bad: bytes) -> DataError:
    return DataError(f"{shown} 第{row}行有无法识别的字节", [
        Problem(shown, row, None, bad.hex(" "), "file_encoding", rule_zh("file_encoding.damaged_utf8"))])


def unknown_encoding(shown: str) -> DataError:
    return DataError(f"{shown} 的编码无法识别", [
        Problem(shown, None, None, None, "file_encoding", rule_zh("file_encoding"))])


def broken_csv(shown: str, row: int, error: Exception) -> DataError:
    return DataError(f"{shown} 第{row}行起不是合法的 CSV", [
        Problem(shown, row, None, None, "csv_syntax", rule_zh("csv_syntax", error=error))])


def no_header(shown: str, expected_columns: tuple[str, ...]) -> DataError:
    return DataError(f"{shown} 第1行应是表头", [
        Problem(shown, 1, None, None, "header_first", rule_zh("header_first", columns=",".join(expected_columns)))])


def wrong_width(shown: str, row: int, cells: list[str], expected: int) -> Problem:
    return Problem(shown, row, None, _shown_row(cells), "row_width",
                   rule_zh("row_width", expected=expected, found=len(cells)))


def read_text_table(path: Path, expected_columns: tuple[str, ...], raw: bytes | None = None):
    """The table as a DataFrame of normalised strings, index 0 = first data row (file row 2); `raw`: the
    file's bytes when they were already read (`read_table_bytes`)."""
    import pandas as pd  # here, so that the light `read_rows` path of parameter checks stays fast

    header, records = read_rows(path, expected_columns, raw)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    # an entirely empty line (as Excel leaves at the end) is not a data row
    keep = frame.apply(lambda r: any(v != "" for v in r), axis=1) if len(frame) else []
    return frame[keep] if len(frame) else frame


def read_table_bytes(path: Path) -> bytes:
    """The bytes of a data table: a regular file of at most MAX_TABLE_BYTES (a FIFO or /dev/zero is
    refused, not read); a missing file is a DataError naming it."""
    shown = display_path(path)
    try:
        return read_regular(path, MAX_TABLE_BYTES, shown, "数据表")
    except FileNotFoundError:
        raise missing_file(shown) from None


def read_rows(path: Path, expected_columns: tuple[str, ...], raw: bytes | None = None
              ) -> tuple[list[str], list[list[str]]]:
    """Header and normalised text rows of a CSV (of `raw`, its bytes, when already read), with file-level
    problems raised as DataError.

    Row i of the result is file row i + 2 (header = row 1), as a spreadsheet numbers them.
    """
    shown = display_path(path)
    text = _decode(read_table_bytes(path) if raw is None else raw, shown)
    if not text.strip():
        raise DataError(f"{shown} 是空文件", [
            Problem(shown, 1, None, None, "file_not_empty",
                    rule_zh("file_not_empty", columns=",".join(expected_columns)))])
    rows = _parse_csv(text, shown, expected_columns)
    header = _trim_trailing_empty([fold_width(h).lower() for h in rows[0]])
    absent = [c for c in expected_columns if c in OPTIONAL_COLUMNS and c not in header]
    _check_columns(header + absent, expected_columns, shown)
    body = [_trim_trailing_empty(r, keep=len(header)) for r in rows[1:]]
    problems = [wrong_width(shown, i + 2, r, len(header))
                for i, r in enumerate(body) if any(c.strip() for c in r) and len(r) != len(header)]
    problems += _cell_problems(header, body, shown)
    if problems:
        raise DataError(f"{shown} 有 {len(problems)} 处无法读取", problems)
    # blank lines become empty rows, so row numbers stay the file's own
    empty = [""] * len(header)
    rows = [[normalise_text(c) for c in r] if len(r) == len(header) else empty for r in body]
    return header + absent, [r + [""] * len(absent) for r in rows]


def _decode(raw: bytes, shown: str) -> str:
    """Text of the file; UTF-16 only with its BOM, since without one it cannot be told from binary."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass  # reported below as not text
    if raw.startswith(ZIP_MAGIC):
        raise a_workbook(shown)
    if b"\x00" in raw:
        raise not_text(shown)
    try:
        return raw.decode(ENCODINGS[0])
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        if any(b >= 0x80 for b in before):  # valid UTF-8 Chinese before the bad byte: a damaged UTF-8 file
            raise damaged_utf8(shown, before.count(b"\n") + 1, raw[exc.start:exc.start + 4]) from None
    try:
        return raw.decode(ENCODINGS[1])
    except UnicodeDecodeError:
        raise unknown_encoding(shown) from None


def _parse_csv(text: str, shown: str, expected_columns: tuple[str, ...]) -> list[list[str]]:
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = "\t" if "," not in first_line and "\t" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        # the row where the broken record starts: where a stray quote was typed, not the end of the file
        raise broken_csv(shown, len(rows) + 1, exc) from None
    if not rows[0] or not any(c.strip() for c in rows[0]):
        raise no_header(shown, expected_columns)
    return rows


def _trim_trailing_empty(row: list[str], keep: int = 0) -> list[str]:
    """Drop empty cells after the last column (Excel writes `a,b,c,,` when another row was wider)."""
    end = len(row)
    while end > keep and not row[end - 1].strip():
        end -= 1
    return row[:end]


def _shown_row(row: list[str]) -> str:
    text = ",".join(row)
    return text if len(text) <= 80 else text[:80] + "…"


def _cell_problems(header: list[str], body: list[list[str]], shown: str) -> list[Problem]:
    return [problem for i, row in enumerate(body) for column, cell in zip(header, row, strict=False)
            if cell_is_odd(cell) and (problem := cell_problem(shown, i + 2, column, cell))]


def _check_columns(header: list[str], expected: tuple[str, ...], shown: str) -> None:
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = [Problem(shown, 1, c, None, "column_missing", rule_zh("column_missing")) for c in missing]
    problems += [Problem(shown, 1, c or "(空列名)", None, "column_unknown",
                         rule_zh("column_unknown", columns=",".join(expected))) for c in extra]
    problems += [Problem(shown, 1, c, None, "column_duplicated", rule_zh("column_duplicated")) for c in duplicated]
    if problems:
        raise DataError(f"{shown} 的表头不对", problems)


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(\D|$))", re.ASCII)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
MAX_NUMBER_CHARS = 30  # beyond this a "number" is a paste accident (and float() would give inf)
# The digit forms a number may be written in: ASCII and full-width (Excel with a Chinese IME), with a
# point, a thousands comma and a sign, ASCII or full-width. Nothing else, so that circled (⑤④),
# superscript (⁵⁴) or other scripts' digits and "5 4" are never read as 54.
PLAIN_NUMBER_CHARS = frozenset("0123456789.,+-" "０１２３４５６７８９．，＋－")
_YEAR = re.compile(r"([0-9０-９]{4})[ \u3000]*(年度|年)?")


def numeral_problem(text: str) -> tuple[str, str] | None:
    """("digits_plain", message) when a cell holds digits fazhi does not read as a number: circled,
    superscript, other scripts' digits, or digits split by a space. None otherwise (including plain
    words, which are `value_is_number`'s to report)."""
    stripped = normalise_text(text)
    odd = next((c for c in stripped if c not in PLAIN_NUMBER_CHARS and unicodedata.category(c).startswith("N")),
               None)
    if odd:
        return "digits_plain", (f"“{odd}”（U+{ord(odd):04X} {unicodedata.name(odd, '')}）不是可读的数字；"
                                "只接受 0–9（半角或全角），请重新输入")
    if re.search(r"[0-9０-９.．,，][\s]+[0-9０-９]", stripped):
        return "digits_plain", "数字中间有空格（如“5 4”），无法确定是 54 还是两个数；请删去空格"
    return None


def parse_number(text: str) -> float | None:
    """A cell's number: '15,000' → 15000, '２４２' → 242, ' 54 ' → 54; None when not a finite number.

    Words (若干, 未发生), units (242件) and percent signs are not numbers here: the expression as
    written belongs in the expr column, the value column holds the figure only. Only PLAIN_NUMBER_CHARS
    are read (see `numeral_problem` for why a cell is refused).
    """
    stripped = normalise_text(text)
    if len(stripped) > MAX_NUMBER_CHARS or not set(stripped) <= PLAIN_NUMBER_CHARS:
        return None
    cleaned = _THOUSANDS.sub("", unicodedata.normalize("NFKC", stripped))
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def parse_year(text: str) -> int | None:
    """'2023', '２０２３' or '2023年' / '2023年度' → 2023; None otherwise (²⁰²³ and 20 23 included)."""
    match = _YEAR.fullmatch(normalise_text(text))
    return int(unicodedata.normalize("NFKC", match.group(1))) if match else None
