"""From a report's text to draft observations a person reviews, and from a reviewed draft to data/.

A draft row has the observation columns of `data/observations.csv` (the part found from heading
keywords, never from numbering; the report's own sub-heading; the figure's label and measure word as
written) plus what a reviewer needs to judge it: the clause and sentence it came from, character
offsets into the text, and flags (norm, ytd, in_words, no_number, no_part). A figure that is not
the same thing as a catalogue indicator stays unlinked, as the body's own item: a draft never drops a
figure silently. Nothing here evaluates the text; it is only matched.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..analysis.claims import Stated
from ..data.catalogue import Catalogue, Indicator
from ..data.csv_input import MAX_TABLE_BYTES, normalise_name, parse_number
from ..data.formatting import format_value
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming
from ..data.row_rules import row_problems, rows_as_text
from ..data.statements import statement_of
from ..data.structure import part_starts, topic_of_heading
from ..data.text_rules import neutralised
from ..errors import DataError, Problem
from .figures import Breaks, Figure, clause_bounds, find_figures, fold
from .kinds import change_start, figure_kind
from .labels import Window, heading_at, heading_starts, item_label

UNMAPPED = "unmapped"  # how older drafts marked an unlinked figure; read as "" (the body's own item)
# kind: result / target / change / other (`kinds`); verdict: the reviewer's (empty: a result is taken in;
# 不采用: left out)
DRAFT_COLUMNS = OBSERVATION_COLUMNS + ("kind", "verdict", "flags", "phrase", "sentence", "start", "end")
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
    results: set[tuple[str, str]] = set()  # (label, measure) of the results so far: one observation each
    rows = []
    figures = find_figures(text)
    taken_to, previous_target = 0, (-1, False)  # how far labels have read; (clause start, kind) of the last figure
    draft_chars = 0  # a lower bound of the draft's bytes, counted cheaply
    for i, figure in enumerate(figures):
        if draft_chars > MAX_TABLE_BYTES:  # stopped here, before the rows fill the memory
            raise _too_many_figures(source, len(rows))
        key, phrase = map_indicator(figure, folded, catalogue, clauses, aliases)
        clause = clause_bounds(folded, figure.start, figure.end, clauses)
        previous = clause_bounds(folded, clause[0] - 1, clause[0] - 1, clauses) if clause[0] > 1 else (0, 0)
        part, part_offset = _part_at(parts, figure.start)
        chained = previous_target[1] and previous_target[0] == previous[0] and folded[clause[0] - 1:clause[0]] in "，,"
        kind = figure_kind(folded, clause[0], figure.start, part, figure.flags, chained)
        previous_target = (clause[0], kind == "target")
        expr_start = change_start(folded, clause[0], figure.start) if kind == "change" else figure.start
        window = _label_window(figures, i, clause, taken_to)
        label, taken_to = item_label(folded, window, expr_start, figure.end, figure.subject,
                                     "in_words" in figure.flags, folded[previous[0]:previous[1]])
        if (not label or fold(figure.expr) in label or kind == "change" and
                label == folded[window.start:window.end].strip()) and rows:
            # 受理矛盾纠纷186件，较上年减少25件 / 接待群众来访64批次120人次: the item of the figure before it
            label = rows[-1]["label"]
        at = folded.find(label, clause[0], clause[1])  # the label as written (folding is one character for one)
        label = text[at:at + len(label)] if at >= 0 else label
        statement = neutralised(statement_of(text, figure.start, figure.end))
        if kind == "result":
            label = _own_label(label, figure.measure or "", rows, statement, results)
        key = key if kind == "result" and key and _same_thing(catalogue[key], label, figure) and key not in used else ""
        used.add(key)
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
            "measure": figure.measure or "", "qualifier": figure.qualifier or "",
            "expr": text[expr_start:figure.end], "source": neutralised(source),
            "statement": statement, "kind": kind, "verdict": "",
            "flags": "|".join(flags), "phrase": neutralised(phrase),
            "sentence": neutralised(sentence), "start": str(expr_start), "end": str(figure.end),
        })
        draft_chars += len(sentence) + len(phrase) + len(label) + len(heading) + len(source)
    return rows


def _own_label(label: str, measure: str, rows: list[dict[str, str]], statement: str,
               results: set[tuple[str, str]]) -> str:
    """A result's label, made its own when an earlier result of the report has it already (one body-year
    has one observation per item): 办结率 after 办理镇人大代表建议18件 in its clause, when 办结率 was stated
    before, is 镇人大代表建议办结率. A label still repeated is left for the merge to name both rows."""
    if (label, measure) in results and rows and rows[-1]["statement"] == statement and rows[-1]["label"] \
            and not rows[-1]["label"].endswith("率"):
        label = rows[-1]["label"] + label
    results.add((label, measure))
    return label


def _label_window(figures: list[Figure], i: int, clause: tuple[int, int], taken_to: int) -> Window:
    """Where figure i's label may be read: its clause, after the figure before it in the clause (and what
    that figure's label took) and before the figure after it. Figures of one subject (参考率、合格率) share
    a span and are not each other's neighbours."""
    figure = figures[i]
    j, k = i - 1, i + 1  # only the nearest neighbours (figures are in text order): linear in the text
    while j >= 0 and figures[j].end > figure.start:
        j -= 1
    while k < len(figures) and figures[k].start < figure.end:
        k += 1
    before = [figures[j].end] if j >= 0 and clause[0] <= figures[j].end else []
    after = [figures[k].start] if k < len(figures) and figures[k].start < clause[1] else []
    return Window(max([clause[0], taken_to if taken_to <= figure.start else clause[0], *before]),
                  min([clause[1], *after]))


def _too_many_figures(source: str, count: int) -> DataError:
    """More figures than a draft `--merge` can read back (MAX_TABLE_BYTES): not one annual report."""
    limit_mb = MAX_TABLE_BYTES // 2**20
    return DataError(f"{source} 中的数字太多（已提取 {count} 个，草稿超过 --merge 能读入的 {limit_mb} MB），"
                     "未写入草稿", [
        Problem(source, None, None, f"{count} 个数字", "draft_size",
                "一份年度报告的草稿通常不到 1 MB；请检查输入是否为一份报告，或把它分成几份分别提取")])


def _same_thing(indicator: Indicator, label: str, figure: Figure) -> bool:
    """A figure is linked only when its own label names the indicator (its name or an alias), meets its
    definition (口径: 理论学习中心组集中学习 is not 中心组专题学法) and its measure word is one the catalogue
    lists for it: 法律讲座 4场 is not 法治讲座 (期)."""
    named = any(alias in label for alias in (*indicator.aliases, indicator.name_zh))
    measured = figure.measure in indicator.measures or (figure.measure is None and "in_words" in figure.flags)
    return named and indicator.definition.met_by(label) and measured


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


def draft_incoming(rows: list[tuple[int, dict[str, str]]], catalogue: Catalogue, shown: str,
                   known: dict[str, set[str]] | None = None) -> tuple[list[Incoming], list[tuple[int, str]]]:
    """The rows of a reviewed draft to merge, and the rows skipped with the reason: rows the reviewer left
    out, targets, changes, rules and rows without a number are listed, never merged. Unlinked results
    are merged as the body's own items. Every row must pass the rules an import passes (`data.rules`)."""
    kept, skipped = [], []
    for number, row in rows:
        reason = _skip_reason(row)
        if reason:
            skipped.append((number, reason))
            continue
        record = {c: row[c] for c in OBSERVATION_COLUMNS}
        record["indicator"] = "" if record["indicator"] == UNMAPPED else record["indicator"]
        for column in ("province", "district", "body"):
            record[column] = normalise_name(record[column])
        kept.append((number, record))
    _, problems = row_problems(rows_as_text(kept, OBSERVATION_COLUMNS), catalogue, shown, known)
    if problems:
        raise DataError(f"草稿 {shown} 有 {len(problems)} 个问题，未合并", sorted(problems, key=lambda p: p.row or 0))
    return [Incoming(number, record) for number, record in kept], skipped


_KIND_SKIPPED = {
    "target": "是目标或承诺，不是当年结果；报告原文保存在 data/raw/，页面和下一年草稿从中读取承诺",
    "change": "是与其他年度的比较，不是当年结果",
    "other": "是工作要求不是结果",
}


def _skip_reason(row: dict[str, str]) -> str | None:
    flags = row["flags"].split("|")
    kind = row.get("kind") or ("other" if "norm" in flags else "result")
    if row.get("verdict", "") in ("不采用", "否", "删除"):
        return f"审核意见为不采用（{row['label']} {row['expr']}）"
    if kind in _KIND_SKIPPED:
        return (f"{_KIND_SKIPPED[kind]}（{row['label']} {row['expr']}，类别 {kind}）；"
                "确是结果请把类别改为 result（结果）")
    if kind != "result":
        return f"类别“{kind}”不是 result / target / change / other 之一（{row['expr']}）"
    if not row["value"]:
        return f"没有数字（{row['expr']}）"
    return None
