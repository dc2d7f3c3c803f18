"""The rules a data row can break, each named once with the message its typist reads. The pandera
schemas (`schema`), the cross-file checks (`dataset.domain_problems`) and the checks of an Excel or CSV
import (`record_problems`) all say the same thing for the same rule. Light: no pandas, no pandera."""

from ..errors import Problem
from .csv_input import fold_width, forbidden_character, normalise_name, numeral_problem, parse_number, parse_year
from .layout import MAX_YEAR, MIN_YEAR
from .names import name_problem
from .qualifiers import QUALIFIERS
from .statements import MAX_STATEMENT_CHARS, STATEMENT_BREAK
from .structure import PART_BY_KEY, PARTS, SECTION_BY_KEY
from .text_rules import formula_problem

RATE_MAX_PCT = 100.0

# rule id -> Chinese explanation shown to the person who typed the data
RULES_ZH: dict[str, str] = {
    "not_empty": "不能为空",
    "year_in_range": f"年份应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字",
    "value_is_number": "应为数字（可带小数；不要写“若干”等文字，文字表述放在 expr 列）",
    "value_not_negative": "数值不能为负数",
    "qualifier_known": "限定词应为以下之一: " + "、".join(QUALIFIERS),
    "unique_observation": "同一主体、同一年度、同一事项（名称与计量相同）出现了两次",
    "key_is_ascii_identifier": "指标键应为小写英文字母、数字和下划线",
    "unique_key": "指标键重复",
    "section_known": "报告栏目应为以下之一: " + "、".join(SECTION_BY_KEY),
    "kind_known": "类型应为 count / rate / amount / total 之一",
    "indicator_known": "指标目录中没有这个指标",
    "rate_at_most_100": "是百分比，不能超过100",
    "part_known": "报告部分应为以下之一: " + "、".join(f"{p.key}（{p.title_zh}）" for p in PARTS),
    "topic_known": "方面应为空或以下之一: " + "、".join(SECTION_BY_KEY),
    "measure_matches_indicator": "计量与所关联指标不同，不是同一事项；请清空 indicator 列（作为本主体自有事项）",
    "indicator_once": "同一主体、同一年度只能有一个数字关联到这个指标",
    "wording_meets_definition": "事项名称不符合所关联指标的口径，不是同一事项",
    "statement_is_one_clause": "原文表述应为报告中写出这个数字的那一个分句（不含句号、分号或换行）",
    "statement_holds_figure": "原文表述中应有这个数字的写法（expr 列），照报告原文填写",
}


def statement_problem(statement: str, expr: str) -> tuple[str, str] | None:
    """(rule, message) when a figure's statement cannot be the clause that states it (`data.statements`);
    None when it can, or when it is empty (the report's wording is not held)."""
    if not statement:
        return None
    if STATEMENT_BREAK.search(statement.strip()) or len(statement) > MAX_STATEMENT_CHARS:
        return "statement_is_one_clause", RULES_ZH["statement_is_one_clause"]
    if expr and expr not in statement:
        return "statement_holds_figure", f"{RULES_ZH['statement_holds_figure']}：原文表述中找不到“{expr}”"
    return None


def measure_mismatch_zh(indicator) -> str:
    return (f"“{indicator.name_zh}”以{'、'.join(indicator.measures)}计，计量不同就不是同一事项；"
            "请清空 indicator 列，作为本主体自有事项保留")


def definition_mismatch_zh(indicator, label: str, why: str) -> str:
    """'“理论学习中心组集中学习”未写明“中心组”和“学法”…，不符合“中心组专题学法”的口径（…）；…'"""
    counts = f"（{indicator.definition.counts_zh}）" if indicator.definition.counts_zh else ""
    return (f"“{label}”{why}，不符合“{indicator.name_zh}”的口径{counts}；不是同一事项就请清空 indicator 列，"
            "作为本镇街自有事项保留")


def indicator_unknown_zh(catalogue, key: str) -> str:
    hint = catalogue.suggest(key)
    return RULES_ZH["indicator_known"] + (f"，是否应为 {hint}？" if hint else "")


def meta_problems(record: dict[str, str], shown: str, row: int, known: dict[str, set[str]] | None = None
                  ) -> list[Problem]:
    """Year in range; province, district and body present and following the name rules (`names`), shown
    beside the known name a lookalike imitates. Normalises the names in `record`."""
    problems = []
    year = parse_year(record["year"])
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(Problem(shown, row, "year", record["year"], "year_in_range", RULES_ZH["year_in_range"]))
    for column in ("province", "district", "body"):
        record[column] = normalise_name(record[column])
        if not record[column]:
            problems.append(Problem(shown, row, column, "", "not_empty", RULES_ZH["not_empty"]))
            continue
        verdict = name_problem(record[column], (known or {}).get(column, ()))
        if verdict:
            problems.append(Problem(shown, row, column, record[column], *verdict))
    return problems


def record_problems(record: dict[str, str], catalogue, shown: str, row: int,
                    known: dict[str, set[str]] | None = None, with_meta: bool = True) -> list[Problem]:
    """The rules one incoming row (as typed: text cells) can break, before the merged table is validated
    as a whole; `row` is where its typist sees it. `with_meta=False` when the row's province, district,
    body and year were checked once elsewhere (a workbook's second row)."""
    problems = meta_problems(record, shown, row, known) if with_meta else []
    for column in ("heading", "label", "indicator", "value", "measure", "qualifier", "expr", "source", "statement"):
        bad = forbidden_character(record[column])
        if bad:
            problems.append(Problem(shown, row, column, record[column].encode("unicode_escape").decode("ascii")[:80],
                                    "text_no_control_chars", f"含不可见的控制字符 {bad}，请删除后重新输入"))
    for column in ("heading", "label", "expr", "source", "statement"):
        verdict = formula_problem(record[column])
        if verdict:
            problems.append(Problem(shown, row, column, record[column], *verdict))
    verdict = statement_problem(record["statement"], record["expr"])
    if verdict:
        problems.append(Problem(shown, row, "statement", record["statement"][:80], *verdict))
    key = fold_width(record["indicator"]).lower()
    if key and key not in catalogue:
        problems.append(Problem(shown, row, "indicator", record["indicator"], "indicator_known",
                                indicator_unknown_zh(catalogue, key)))
    measure = fold_width(record["measure"])
    if key in catalogue and measure not in catalogue[key].measures and measure:
        problems.append(Problem(shown, row, "measure", record["measure"], "measure_matches_indicator",
                                measure_mismatch_zh(catalogue[key])))
    why = catalogue[key].definition.problem(record["label"]) if key in catalogue and record["label"] else None
    if why:
        problems.append(Problem(shown, row, "label", record["label"], "wording_meets_definition",
                                definition_mismatch_zh(catalogue[key], record["label"], why)))
    value = parse_number(record["value"])
    if value is None:
        rule, why = numeral_problem(record["value"]) or ("value_is_number", RULES_ZH["value_is_number"])
        problems.append(Problem(shown, row, "value", record["value"], rule, why))
    elif value < 0:
        problems.append(Problem(shown, row, "value", record["value"], "value_not_negative",
                                RULES_ZH["value_not_negative"]))
    elif measure == "%" and value > RATE_MAX_PCT:
        problems.append(Problem(shown, row, "value", record["value"], "rate_at_most_100",
                                f"{record['label']}{RULES_ZH['rate_at_most_100']}"))
    qualifier = fold_width(record["qualifier"])
    if qualifier and qualifier not in QUALIFIERS:
        problems.append(Problem(shown, row, "qualifier", record["qualifier"], "qualifier_known",
                                RULES_ZH["qualifier_known"]))
    if fold_width(record["part"]) not in PART_BY_KEY:
        problems.append(Problem(shown, row, "part", record["part"], "part_known", RULES_ZH["part_known"]))
    topic = fold_width(record["topic"])
    if topic and topic not in SECTION_BY_KEY:
        problems.append(Problem(shown, row, "topic", record["topic"], "topic_known", RULES_ZH["topic_known"]))
    if not record["label"]:
        problems.append(Problem(shown, row, "label", "", "not_empty", RULES_ZH["not_empty"]))
    return problems
