"""Every rule a data file, a data row or an incoming row can break, named once with the message its typist
reads (RULES_ZH, filled by `rule_zh`), and the checks of one column's values (COLUMN_CHECKS) that the row
rules run (`row_rules`) for a file, a chunk of a large file and rows being imported alike. The table-wide
rules (one row per observation, a part within its whole) and the file's reading use the same messages.
Light: no pandas, no pandera."""

from collections.abc import Callable, Iterable

from ..errors import ParameterError
from .layout import MAX_YEAR, MIN_YEAR
from .qualifiers import QUALIFIERS
from .statements import MAX_STATEMENT_CHARS, STATEMENT_BREAK
from .structure import PART_BY_KEY, PARTS, SECTION_BY_KEY

RATE_MAX_PCT = 100.0

# rule id -> Chinese explanation shown to the person who typed the data; {fields} are filled by rule_zh
RULES_ZH: dict[str, str] = {
    # a file
    "file_exists": "文件不存在",
    "file_not_empty": "应有表头行: {columns}",
    "file_has_rows": "只有表头，没有任何{what}",
    "file_is_text": "应为 CSV 文本文件（UTF-8 或 GBK 编码）",
    "file_is_text.workbook": "请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后再使用",
    "file_encoding": "请另存为 UTF-8 或 GBK 编码的 CSV",
    "file_encoding.damaged_utf8": "文件是 UTF-8 编码，但这一行有损坏的字节；请在原表中重新输入这一行",
    "header_first": "第一行应为表头（不能是空行）：{columns}",
    "csv_syntax": "引号不成对或单元格过长（{error}）；单元格内的英文双引号请写成两个 \"\"",
    "row_width": "应有 {expected} 列，实际 {found} 列",
    "column_missing": "缺少这一列",
    "column_unknown": "不认识的列；应为: {columns}",
    "column_duplicated": "列名重复",
    # a cell
    "text_no_control_chars": "含不可见的控制字符 {char}，请删除后重新输入",
    "cell_length": "单元格超过 {max_chars} 个字符，像是误粘贴",
    # a row
    "not_empty": "不能为空",
    "year_is_number": "年份应为四位数字，如 2023（“2023年”也可）",
    "year_in_range": f"年份应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字",
    "value_is_number": "应为数字（可带小数）；“若干”“全覆盖”等文字写在数字写法（expr）一列，这里只填数字",
    "value_not_negative": "数值不能为负数",
    "qualifier_known": "限定词应为以下之一: " + "、".join(QUALIFIERS),
    "unique_observation": "同一主体、同一年度、同一事项（名称与计量相同）出现了两次：{listed}，只能保留一行",
    "key_is_ascii_identifier": "指标键应为小写英文字母、数字和下划线",
    "unique_key": "指标键重复",
    "section_known": "报告栏目应为以下之一: " + "、".join(SECTION_BY_KEY),
    "kind_known": "类型应为 count / rate / amount / total 之一",
    "indicator_known": "指标目录中没有这个指标",
    "rate_at_most_100": "{label}是百分比，不能超过100",
    "part_known": "报告部分应为以下之一: " + "、".join(f"{p.key}（{p.title_zh}）" for p in PARTS),
    "topic_known": "方面应为空或以下之一: " + "、".join(SECTION_BY_KEY),
    "measure_matches_indicator": "“{name}”以{measures}计，计量不同就不是同一事项；请清空 indicator 列，"
                                 "作为本主体自有事项保留",
    "indicator_once": "同一主体、同一年度只能有一个数字关联到这个指标（另见{where}）",
    "wording_meets_definition": "“{label}”{why}，不符合“{name}”的口径{counts}；不是同一事项就请清空 indicator 列，"
                                "作为本镇街自有事项保留",
    "part_within_whole": "{part}（{part_value}）不能多于{whole}（{whole_value}，{where}）",
    "total_not_below_parts": "{name}小于其组成部分之和（{parts}）",
    "statement_is_one_clause": "原文表述应为报告中写出这个数字的那一个分句（不含句号、分号或换行）",
    "statement_holds_figure": "原文表述中应有这个数字的写法（expr 列），照报告原文填写：原文表述中找不到“{expr}”",
    # what a page, a batch or a preview is asked for
    "year_has_data": "{name}没有{year}年的数据。已有年度: {years}",
}


class _Fields(dict):
    def __missing__(self, key: str):
        raise KeyError(f"the message of this rule needs the field {{{key}}}")


def rule_zh(rule: str, **fields) -> str:
    """The message of `rule` with its fields filled (a missing field is an error, never a blank)."""
    return RULES_ZH[rule].format_map(_Fields(fields))


# column -> (rule, vectorised check on a Series of its typed values: True where the value is fine)
COLUMN_CHECKS: dict[str, tuple[tuple[str, Callable], ...]] = {
    "province": (("not_empty", lambda s: s.astype(str).str.len() > 0),),
    "district": (("not_empty", lambda s: s.astype(str).str.len() > 0),),
    "body": (("not_empty", lambda s: s.astype(str).str.len() > 0),),
    "year": (("year_in_range", lambda s: s.between(MIN_YEAR, MAX_YEAR)),),
    "part": (("part_known", lambda s: s.isin(list(PART_BY_KEY))),),
    "topic": (("topic_known", lambda s: (s == "") | s.isin(list(SECTION_BY_KEY))),),
    "label": (("not_empty", lambda s: s.astype(str).str.len() > 0),),
    "value": (("value_not_negative", lambda s: s >= 0),),
    "qualifier": (("qualifier_known", lambda s: (s == "") | s.isin(list(QUALIFIERS))),),
}


def year_without_data(name: str, year: int, years: Iterable[int]) -> ParameterError:
    """A page asked for a year its body, district or group has no data for, listing the years it has."""
    return ParameterError(rule_zh("year_has_data", name=name, year=year, years="、".join(map(str, sorted(years)))))


def statement_problem(statement: str, expr: str) -> tuple[str, str] | None:
    """(rule, message) when a figure's statement cannot be the clause that states it (`data.statements`);
    None when it can, or when it is empty (the report's wording is not held)."""
    if not statement:
        return None
    if STATEMENT_BREAK.search(statement.strip()) or len(statement) > MAX_STATEMENT_CHARS:
        return "statement_is_one_clause", rule_zh("statement_is_one_clause")
    if expr and expr not in statement:
        return "statement_holds_figure", rule_zh("statement_holds_figure", expr=expr)
    return None


def measure_mismatch_zh(indicator) -> str:
    return rule_zh("measure_matches_indicator", name=indicator.name_zh, measures="、".join(indicator.measures))


def definition_mismatch_zh(indicator, label: str, why: str) -> str:
    """'“理论学习中心组集中学习”未写明“中心组”和“学法”…，不符合“中心组专题学法”的口径（…）；…'"""
    counts = f"（{indicator.definition.counts_zh}）" if indicator.definition.counts_zh else ""
    return rule_zh("wording_meets_definition", label=label, why=why, name=indicator.name_zh, counts=counts)


def indicator_unknown_zh(catalogue, key: str) -> str:
    hint = catalogue.suggest(key)
    return rule_zh("indicator_known") + (f"，是否应为 {hint}？" if hint else "")
