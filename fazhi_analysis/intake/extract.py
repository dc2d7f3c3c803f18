"""From a report's text to draft observations a person reviews, and from a reviewed draft to data/.

A draft row has the observation columns of `data/observations.csv` plus what a reviewer needs to
judge it: the measure word, the report part (found from heading keywords, never from numbering), the
clause and sentence it came from, character offsets into the text, and flags (norm, ytd, in_words,
no_number). A figure no catalogue alias names is kept as indicator `unmapped` with its phrase: a
draft never drops a figure silently. Nothing here evaluates the text; it is only matched.
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..analysis.claims import Stated
from ..data.csv_input import ENCODINGS, parse_number, read_text_table
from ..data.dataset import Catalogue, Indicator
from ..data.formatting import format_value
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming
from ..data.rules import record_problems
from ..data.structure import part_starts
from ..errors import DataError, ParameterError, Problem, display_path
from .figures import Figure, clause_bounds, find_figures, fold

UNMAPPED = "unmapped"
DRAFT_COLUMNS = OBSERVATION_COLUMNS + ("measure", "part", "flags", "phrase", "sentence", "start", "end")
MAX_REPORT_BYTES = 20 * 1024 * 1024
_YTD = re.compile(r"截至|截止|今年以来")
_SENTENCE_END = re.compile(r"[。！？!?\n]")


@dataclass(frozen=True)
class Reporter:
    """Who reports, for which year: the key columns every draft row carries."""

    province: str
    district: str
    body: str
    year: int


def read_report(path: str) -> tuple[str, str]:
    """The text of a .txt or .docx report (or '-' for stdin) and the source label rows will carry."""
    if path == "-":
        return sys.stdin.read(), "stdin"
    file = Path(path)
    shown = display_path(file)
    if not file.is_file():
        raise ParameterError(f"找不到报告文件 {shown}", [
            Problem(shown, None, None, None, "file_exists", "文件不存在")])
    if file.stat().st_size > MAX_REPORT_BYTES:
        raise DataError(f"{shown} 太大，不像是一份年度报告", [
            Problem(shown, None, None, None, "file_size", f"报告应小于 {MAX_REPORT_BYTES // 2**20} MB")])
    suffix = file.suffix.lower()
    if suffix == ".docx":
        return _docx_text(file, shown), shown
    if suffix not in (".txt", ".text", ""):
        raise ParameterError(f"不支持的文件类型 {shown}", [
            Problem(shown, None, None, suffix, "report_format",
                    "请提供 .txt 或 .docx（.doc 请先另存为 .docx）")])
    raw = file.read_bytes()
    if b"\x00" in raw:
        raise DataError(f"{shown} 不是文本文件", [Problem(shown, None, None, None, "file_is_text",
                                                          "应为 UTF-8 或 GBK 编码的文本，或 .docx")])
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), shown
        except UnicodeDecodeError:
            continue
    raise DataError(f"{shown} 的编码无法识别", [Problem(shown, None, None, None, "file_encoding",
                                                       "请另存为 UTF-8 或 GBK 编码")])


def _docx_text(file: Path, shown: str) -> str:
    """Paragraphs then table cells, one per line: offsets in a draft refer to this text."""
    import docx  # python-docx; imported here so `fazhi extract x.txt` does not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(file))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise DataError(f"{shown} 不是可读的 .docx 文件", [
            Problem(shown, None, None, None, "docx_readable", f"无法打开: {exc}")]) from exc
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def infer_place(text: str, body: str) -> tuple[str, str]:
    """Province and district from a title like 重庆市南岸区峡口镇人民政府; ('', '') when not stated."""
    match = re.search(r"([\u4e00-\u9fff]{2,7}?(?:省|自治区|市))([\u4e00-\u9fff]{1,7}?(?:区|县|市|旗))"
                      + re.escape(body), text[:500])
    return (match[1], match[2]) if match else ("", "")


def _part_at(starts: list[tuple[int, str]], offset: int) -> str:
    return next((key for start, key in reversed(starts) if start <= offset), "")


def _sentence_at(folded: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in _SENTENCE_END.finditer(folded, 0, start)]
    after = _SENTENCE_END.search(folded, end)
    return (before[-1] if before else 0), (after.end() if after else len(folded))


def map_indicator(figure: Figure, folded: str, catalogue: Catalogue) -> tuple[str | None, str]:
    """The catalogue indicator a figure states, by alias, and the phrase that named it (or would have).

    With a subject (参考率、合格率均为100%) the subject decides. Otherwise the alias ending nearest
    before the figure in its clause wins (longest on a tie: 调解成功 over 调解), then the nearest after
    it (约2.7万方工矿企业无证厂房); a figure in words (未发生重大事故) looks after first. Percentages
    map only to % indicators and counts never do.
    """
    candidates = [i for i in catalogue.values() if (figure.measure == "%") == (i.measure == "%")]
    if figure.subject:
        found = _aliases_in(fold(figure.subject), 0, len(figure.subject), candidates)
        best = max(found, key=lambda f: (f[1], len(f[2])), default=None)
        return (best[0].key if best else None), figure.subject
    clause_start, clause_end = clause_bounds(folded, figure.start, figure.end)
    phrase = folded[clause_start:clause_end].strip()
    before = _aliases_in(folded, clause_start, figure.start, candidates)
    after = _aliases_in(folded, figure.end, clause_end, candidates)
    nearest_before = max(before, key=lambda f: (f[1], len(f[2])), default=None)
    nearest_after = min(after, key=lambda f: (f[1] - len(f[2]), -len(f[2])), default=None)
    order = (nearest_after, nearest_before) if "in_words" in figure.flags else (nearest_before, nearest_after)
    best = next((f for f in order if f), None)
    return (best[0].key if best else None), phrase


AliasHit = tuple[Indicator, int, str]  # indicator, end offset of the alias, the alias


def _aliases_in(text: str, start: int, end: int, candidates: list[Indicator]) -> list[AliasHit]:
    """(indicator, end offset, alias) of every alias occurrence inside text[start:end]."""
    found = []
    for indicator in candidates:
        for alias in (*indicator.aliases, indicator.name_zh):
            for match in re.finditer(re.escape(alias), text[start:end]):
                found.append((indicator, start + match.end(), alias))
    return found


def extract(text: str, catalogue: Catalogue, reporter: Reporter, source: str) -> list[dict[str, str]]:
    """Draft rows (DRAFT_COLUMNS as strings) for every figure in the text, in text order."""
    folded = fold(text)
    parts = part_starts(text)
    rows = []
    for figure in find_figures(text):
        key, phrase = map_indicator(figure, folded, catalogue)
        sentence_start, sentence_end = _sentence_at(folded, figure.start, figure.end)
        sentence = text[sentence_start:sentence_end].strip()
        flags = list(figure.flags) + (["ytd"] if _YTD.search(sentence) else [])
        rows.append({
            "province": reporter.province, "district": reporter.district, "body": reporter.body,
            "year": str(reporter.year), "indicator": key or UNMAPPED, "value": format_value(figure.value),
            "qualifier": figure.qualifier or "", "expr": figure.expr, "source": source,
            "measure": figure.measure or "", "part": _part_at(parts, figure.start), "flags": "|".join(flags),
            "phrase": phrase, "sentence": sentence, "start": str(figure.start), "end": str(figure.end),
        })
    return rows


def stated_figures(rows: list[dict[str, str]]) -> dict[str, Stated]:
    """What the report states per indicator, for `rate_checks`: mapped figures with a number that are
    results, not norms. When an indicator is stated twice, the first statement is the one checked."""
    stated: dict[str, Stated] = {}
    for row in rows:
        value = parse_number(row["value"])
        if row["indicator"] == UNMAPPED or value is None or "norm" in row["flags"].split("|"):
            continue
        stated.setdefault(row["indicator"], Stated(value, row["qualifier"] or None, row["expr"]))
    return stated


def draft_incoming(draft_path: Path, catalogue: Catalogue) -> tuple[list[Incoming], list[tuple[int, str]]]:
    """The rows of a reviewed draft to merge, and the rows skipped with the reason: rows still `unmapped`,
    without a number, or flagged as a norm are listed, never merged. Every other row must pass the rules
    an import passes (`data.rules`)."""
    shown = display_path(draft_path)
    draft = read_text_table(draft_path, DRAFT_COLUMNS)
    incoming, skipped, problems = [], [], []
    for number, row in zip(draft.index + 2, draft.to_dict("records"), strict=True):
        number = int(number)
        reason = _skip_reason(row)
        if reason:
            skipped.append((number, reason))
            continue
        record = {c: row[c] for c in OBSERVATION_COLUMNS}
        found = record_problems(record, catalogue, shown, number)
        problems += found
        if not found:
            incoming.append(Incoming(number, record))
    if problems:
        raise DataError(f"草稿 {shown} 有 {len(problems)} 个问题，未合并", problems)
    return incoming, skipped


def _skip_reason(row: dict[str, str]) -> str | None:
    flags = row["flags"].split("|")
    if row["indicator"] == UNMAPPED:
        return f"未对应指标（{row['phrase'] or row['expr']}）"
    if not row["value"]:
        return f"没有数字（{row['expr']}）"
    if "norm" in flags:
        return f"是工作要求不是结果（{row['expr']}）；确认是结果请删去 flags 中的 norm"
    return None
