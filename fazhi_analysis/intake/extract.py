"""From a report's text to draft observations a person reviews, and from a reviewed draft to data/.

A draft row has the observation columns of `data/observations.csv` (the part found from heading
keywords, never from numbering; the report's own sub-heading; the figure's label and measure word as
written) plus what a reviewer needs to judge it: the clause and sentence it came from, character
offsets into the text, and flags (norm, ytd, in_words, no_number, no_part). A figure that is not
the same thing as a catalogue indicator stays unlinked, as the body's own item: a draft never drops a
figure silently. Nothing here evaluates the text; it is only matched.
"""

import codecs
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from ..analysis.claims import Stated
from ..data.csv_input import ENCODINGS, MAX_TABLE_BYTES, parse_number, read_text_table
from ..data.dataset import Catalogue, Indicator
from ..data.formatting import format_value
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming
from ..data.rules import record_problems
from ..data.statements import statement_of
from ..data.structure import part_starts, topic_of_heading
from ..data.text_rules import neutralised
from ..errors import DataError, ParameterError, Problem, display_path
from ..inputs import read_regular, regular_size
from .figures import Breaks, Figure, clause_bounds, find_figures, fold
from .labels import heading_at, heading_starts, item_label

UNMAPPED = "unmapped"  # how older drafts marked an unlinked figure; read as "" (the body's own item)
DRAFT_COLUMNS = OBSERVATION_COLUMNS + ("flags", "phrase", "sentence", "start", "end")
MAX_REPORT_BYTES = 20 * 1024 * 1024
_YTD = re.compile(r"截至|截止|今年以来")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
SENTENCE_MAX_CHARS = 300  # either side of a figure: a "sentence" without an end is cut for the reviewer


@dataclass(frozen=True)
class Reporter:
    """Who reports, for which year: the key columns every draft row carries."""

    province: str
    district: str
    body: str
    year: int


MAX_REPORT_CHARS = 2_000_000  # ~3,000 pages; a 50-page report is ~35,000 characters and extracts in ~0.05 s


def read_report(path: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a .txt or .docx report (or '-' for stdin) and the source label rows will carry.

    Text (a file or stdin) is decoded with `encoding` when given, else detected: UTF-8 (BOM or not),
    UTF-16 with a BOM, then GB18030 (a superset of GBK); undecodable bytes are an error naming the
    line, never a draft of mojibake. stdin is read up to MAX_REPORT_BYTES, like a file.
    """
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)  # a text stream without one is already decoded
        raw = (stream or sys.stdin).read(MAX_REPORT_BYTES + 1) if sys.stdin is not None else b""
        if len(raw) > MAX_REPORT_BYTES:
            raise DataError("标准输入太大，不像是一份年度报告", [
                Problem("stdin", None, None, None, "file_size", f"报告应小于 {MAX_REPORT_BYTES // 2**20} MB")])
        text = raw if isinstance(raw, str) else decode_report(raw, "stdin", encoding)
        return _bounded(text, "stdin"), "stdin"
    file = Path(path)
    shown = display_path(file)
    suffix = file.suffix.lower()
    if suffix not in (".txt", ".text", "", ".docx"):
        raise ParameterError(f"不支持的文件类型 {shown}", [
            Problem(shown, None, None, suffix, "report_format",
                    "请提供 .txt 或 .docx（.doc 请先另存为 .docx）")])
    try:  # a regular file within the bound: a FIFO or a link to /dev/zero is refused, not read
        if suffix == ".docx":
            regular_size(file, shown, "报告")  # the container check bounds what is read
            return _bounded(_docx_text(file, shown), shown), shown
        raw = read_regular(file, MAX_REPORT_BYTES, shown, "报告")
    except FileNotFoundError:
        raise ParameterError(f"找不到报告文件 {shown}", [
            Problem(shown, None, None, None, "file_exists", "文件不存在")]) from None
    return _bounded(decode_report(raw, shown, encoding), shown), shown


def _bounded(text: str, shown: str) -> str:
    if len(text) > MAX_REPORT_CHARS:
        raise DataError(f"{shown} 有 {len(text)} 个字符，不像是一份年度报告", [
            Problem(shown, None, None, f"{len(text)} 个字符", "report_length",
                    f"报告正文应少于 {MAX_REPORT_CHARS} 个字符")])
    return text


# codecs Python knows that do not decode a text file: 'undefined' always fails, idna and punycode decode
# host names only; rot13, base64 … are bytes-to-bytes or text-to-text (codecs.lookup marks those)
NOT_TEXT_ENCODINGS = frozenset({"undefined", "idna", "punycode"})
COMMON_ENCODINGS_ZH = "常用的有 utf-8、gbk、gb18030"


def check_encoding(encoding: str | None) -> None:
    """An `--encoding` that decodes a text file, or a ParameterError (exit 2) naming the cause."""
    if not encoding:
        return
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise ParameterError(f"不认识的编码 --encoding {encoding!r}；{COMMON_ENCODINGS_ZH}") from None
    if info.name in NOT_TEXT_ENCODINGS or not getattr(info, "_is_text_encoding", True):
        raise ParameterError(f"--encoding {encoding!r}（{info.name}）不是文本文件的编码；{COMMON_ENCODINGS_ZH}")


def decode_report(raw: bytes, shown: str, encoding: str | None = None) -> str:
    """Bytes of a text report → str, with an explicit encoding or detected (see `read_report`)."""
    if encoding:
        check_encoding(encoding)
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, shown, f"不是 {encoding} 编码") from None
        except (UnicodeError, LookupError, ValueError, TypeError) as exc:  # a codec's own refusal
            raise ParameterError(f"{shown} 无法按 --encoding {encoding!r} 解码（{exc}）；"
                                 f"{COMMON_ENCODINGS_ZH}") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, shown, "UTF-16 文本中有损坏的字节") from None
    if raw.startswith(b"PK\x03\x04"):
        raise DataError(f"{shown} 是 Word/Excel 文件，不是文本", [
            Problem(shown, None, None, None, "file_is_text", "Word 报告请以 .docx 文件名提供")])
    if b"\x00" in raw:
        raise DataError(f"{shown} 不是文本文件", [Problem(shown, None, None, None, "file_is_text",
                                                          "应为 UTF-8 或 GBK 编码的文本，或 .docx")])
    try:
        return raw.decode(ENCODINGS[0])
    except UnicodeDecodeError as exc:
        if any(b >= 0x80 for b in raw[:exc.start]):  # valid UTF-8 Chinese before it: damaged, not GBK
            raise _undecodable(raw, exc, shown, "UTF-8 文本中有损坏的字节") from None
    try:
        return raw.decode(ENCODINGS[1])
    except UnicodeDecodeError as exc:
        raise _undecodable(raw, exc, shown, "既不是 UTF-8 也不是 GBK/GB18030 编码") from None


def _undecodable(raw: bytes, exc: UnicodeDecodeError, shown: str, why: str) -> DataError:
    line = raw[:exc.start].count(b"\n") + 1
    return DataError(f"{shown} 第{line}行有无法解码的字节（{why}）", [
        Problem(shown, line, None, raw[exc.start:exc.start + 4].hex(" "), "file_encoding",
                f"{why}；请另存为 UTF-8，或用 --encoding 指明编码（如 --encoding gbk）")])


def _docx_text(file: Path, shown: str) -> str:
    """Paragraphs then table cells, one per line: offsets in a draft refer to this text.

    The container is checked first (`intake.containers`: sizes, CRCs, well-formed XML); anything
    python-docx still raises is caught here and named, never a traceback."""
    import docx  # python-docx; imported here so `fazhi extract x.txt` does not pay for it

    from .containers import open_checked

    open_checked(file, shown, "Word 文档", ("word/document.xml",)).close()
    try:
        document = docx.Document(str(file))
        lines = [p.text for p in document.paragraphs]
        lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    except Exception as exc:  # noqa: BLE001 — python-docx / lxml raise many kinds on a damaged part
        raise DataError(f"{shown} 不是可读的 .docx 文件", [
            Problem(shown, None, "word/document.xml", None, "docx_readable",
                    f"无法打开（{type(exc).__name__}: {exc}）；请在 Word / WPS 中打开后另存为 .docx")]) from None
    return "\n".join(lines)


def infer_place(text: str, body: str) -> tuple[str, str]:
    """Province and district from a title like 重庆市南岸区峡口镇人民政府; ('', '') when not stated."""
    match = re.search(r"([\u4e00-\u9fff]{2,7}?(?:省|自治区|市))([\u4e00-\u9fff]{1,7}?(?:区|县|市|旗))"
                      + re.escape(body), text[:500])
    return (match[1], match[2]) if match else ("", "")


def _part_at(starts: list[tuple[int, str]], offset: int) -> tuple[str, int]:
    """(part key, where that part starts) of the text at `offset`; ("", 0) before the first part."""
    i = bisect_right([start for start, _ in starts], offset) - 1
    return (starts[i][1], starts[i][0]) if i >= 0 else ("", 0)


def _sentence_at(folded: str, start: int, end: int, sentences: Breaks | None = None) -> tuple[int, int]:
    """The sentence around a figure, from an index of sentence ends built once per text (bisect)."""
    sentences = sentences or Breaks(folded, _SENTENCE_END, SENTENCE_MAX_CHARS)
    return sentences.around(start, end, include_end=True)


def map_indicator(figure: Figure, folded: str, catalogue: Catalogue, clauses: Breaks | None = None,
                  aliases: "AliasTable | None" = None) -> tuple[str | None, str]:
    """The catalogue indicator a figure states, by alias, and the phrase that named it (or would have).

    With a subject (参考率、合格率均为100%) the subject decides. Otherwise the alias ending nearest
    before the figure in its clause wins (longest on a tie: 调解成功 over 调解), then the nearest after
    it (约2.7万方工矿企业无证厂房); a figure in words (未发生重大事故) looks after first. Percentages
    map only to % indicators and counts never do.
    """
    table = (aliases or AliasTable(catalogue)).for_measure(figure.measure)
    if figure.subject:
        found = _aliases_in(fold(figure.subject), 0, len(figure.subject), table)
        best = max(found, key=lambda f: (f[1], len(f[2])), default=None)
        return (best[0].key if best else None), figure.subject
    clause_start, clause_end = clause_bounds(folded, figure.start, figure.end, clauses)
    phrase = folded[clause_start:clause_end].strip()
    before = _aliases_in(folded, clause_start, figure.start, table)
    after = _aliases_in(folded, figure.end, clause_end, table)
    nearest_before = max(before, key=lambda f: (f[1], len(f[2])), default=None)
    nearest_after = min(after, key=lambda f: (f[1] - len(f[2]), -len(f[2])), default=None)
    order = (nearest_after, nearest_before) if "in_words" in figure.flags else (nearest_before, nearest_after)
    best = next((f for f in order if f), None)
    return (best[0].key if best else None), phrase


AliasHit = tuple[Indicator, int, str]  # indicator, end offset of the alias, the alias


class AliasTable:
    """Every (alias, indicator) of a catalogue, split once into percentage and count indicators:
    percentages map only to % indicators and counts never do."""

    def __init__(self, catalogue: Catalogue):
        pairs = [(alias, i) for i in catalogue.values() for alias in (*i.aliases, i.name_zh) if alias]
        self.percent = [(a, i) for a, i in pairs if i.measure == "%"]
        self.count = [(a, i) for a, i in pairs if i.measure != "%"]

    def for_measure(self, measure: str | None) -> list[tuple[str, Indicator]]:
        return self.percent if measure == "%" else self.count


def _aliases_in(text: str, start: int, end: int, table: list[tuple[str, Indicator]]) -> list[AliasHit]:
    """(indicator, end offset, alias) of every alias occurrence inside text[start:end] (str.find: the
    span is one clause, at most a few hundred characters)."""
    found = []
    for alias, indicator in table:
        at = text.find(alias, start, end)
        while at >= 0:
            found.append((indicator, at + len(alias), alias))
            at = text.find(alias, at + len(alias), end)
    return found


def extract(text: str, catalogue: Catalogue, reporter: Reporter, source: str) -> list[dict[str, str]]:
    """Draft rows (DRAFT_COLUMNS as strings) for every figure in the text, in text order: each under the
    part and sub-heading the text states it in, with its own label and measure word, and linked to a
    catalogue indicator only when it is the same thing (`_same_thing`); otherwise left unlinked."""
    folded = fold(text)
    parts = part_starts(text)
    headings = heading_starts(text)
    clauses, sentences = Breaks(folded), Breaks(folded, _SENTENCE_END, SENTENCE_MAX_CHARS)
    aliases = AliasTable(catalogue)
    used: set[str] = set()
    rows = []
    draft_chars = 0  # a lower bound of the draft's bytes, counted cheaply
    for figure in find_figures(text):
        if draft_chars > MAX_TABLE_BYTES:  # stopped here, before the rows fill the memory
            raise _too_many_figures(source, len(rows))
        key, phrase = map_indicator(figure, folded, catalogue, clauses, aliases)
        clause = clause_bounds(folded, figure.start, figure.end, clauses)
        previous = clause_bounds(folded, clause[0] - 1, clause[0] - 1, clauses) if clause[0] > 1 else (0, 0)
        label = item_label(folded, clause, figure.start, figure.end, figure.subject, "in_words" in figure.flags,
                           folded[previous[0]:previous[1]])
        at = folded.find(label, clause[0], clause[1])  # the label as written (folding is one character for one)
        label = text[at:at + len(label)] if at >= 0 else label
        key = key if key and _same_thing(catalogue[key], label, figure) and key not in used else ""
        used.add(key)
        part, part_offset = _part_at(parts, figure.start)
        heading = heading_at(headings, part_offset, figure.start)
        topic = catalogue[key].section if key else topic_of_heading(heading) or topic_of_heading(label)
        sentence_start, sentence_end = _sentence_at(folded, figure.start, figure.end, sentences)
        sentence = text[sentence_start:sentence_end].strip()
        flags = list(figure.flags) + (["ytd"] if _YTD.search(sentence) else []) + ([] if parts else ["no_part"])
        # phrase, sentence and source are for the reviewer's eyes: a leading = + - @ gets an apostrophe
        # (OWASP), so opening the draft in Excel runs nothing; expr always starts with a numeral or qualifier
        rows.append({
            "province": reporter.province, "district": reporter.district, "body": reporter.body,
            "year": str(reporter.year), "part": part or "measures", "heading": neutralised(heading),
            "topic": topic, "label": neutralised(label), "indicator": key, "value": format_value(figure.value),
            "measure": figure.measure or "", "qualifier": figure.qualifier or "", "expr": figure.expr,
            "source": neutralised(source), "statement": neutralised(statement_of(text, figure.start, figure.end)),
            "flags": "|".join(flags), "phrase": neutralised(phrase),
            "sentence": neutralised(sentence), "start": str(figure.start), "end": str(figure.end),
        })
        draft_chars += len(sentence) + len(phrase) + len(label) + len(heading) + len(source)
    return rows


def _too_many_figures(source: str, count: int) -> DataError:
    """More figures than a draft `--merge` can read back (MAX_TABLE_BYTES): not one annual report."""
    limit_mb = MAX_TABLE_BYTES // 2**20
    return DataError(f"{source} 中的数字太多（已提取 {count} 个，草稿超过 --merge 能读入的 {limit_mb} MB），"
                     "未写入草稿", [
        Problem(source, None, None, f"{count} 个数字", "draft_size",
                "一份年度报告的草稿通常不到 1 MB；请检查输入是否为一份报告，或把它分成几份分别提取")])


def _same_thing(indicator: Indicator, label: str, figure: Figure) -> bool:
    """A figure is linked only when its own label names the indicator (its name or an alias) and its
    measure word is one the catalogue lists for it: 法律讲座 4场 is not 法治讲座 (期)."""
    named = any(alias in label for alias in (*indicator.aliases, indicator.name_zh))
    measured = figure.measure in indicator.measures or (figure.measure is None and "in_words" in figure.flags)
    return named and measured


def stated_figures(rows: list[dict[str, str]]) -> dict[str, Stated]:
    """What the report states per indicator, for `rate_checks`: mapped figures with a number that are
    results, not norms. When an indicator is stated twice, the first statement is the one checked."""
    stated: dict[str, Stated] = {}
    for row in rows:
        value = parse_number(row["value"])
        if row["indicator"] in ("", UNMAPPED) or value is None or "norm" in row["flags"].split("|"):
            continue
        stated.setdefault(row["indicator"], Stated(value, row["qualifier"] or None, row["expr"]))
    return stated


def draft_incoming(draft_path: Path, catalogue: Catalogue, known: dict[str, set[str]] | None = None
                   ) -> tuple[list[Incoming], list[tuple[int, str]]]:
    """The rows of a reviewed draft to merge, and the rows skipped with the reason: rows without a number
    or flagged as a norm are listed, never merged. Unlinked rows are merged as the body's own items.
    Every row must pass the rules an import passes (`data.rules`)."""
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
        record["indicator"] = "" if record["indicator"] == UNMAPPED else record["indicator"]
        found = record_problems(record, catalogue, shown, number, known)
        problems += found
        if not found:
            incoming.append(Incoming(number, record))
    if problems:
        raise DataError(f"草稿 {shown} 有 {len(problems)} 个问题，未合并", problems)
    return incoming, skipped


def _skip_reason(row: dict[str, str]) -> str | None:
    flags = row["flags"].split("|")
    if not row["value"]:
        return f"没有数字（{row['expr']}）"
    if "norm" in flags:
        return f"是工作要求不是结果（{row['expr']}）；确认是结果请删去 flags 中的 norm"
    return None
