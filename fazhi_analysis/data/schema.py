"""The data files' schemas as code (pandera), with the rule behind every check named once.

Values arrive as text (see `csv_input`), are normalised, then checked here; cross-file rules that
need the catalogue (indicator exists, rate ≤ 100, parts ≤ whole) live in `domain_checks`.
"""

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem
from .layout import KINDS, MAX_YEAR, MIN_YEAR
from .qualifiers import QUALIFIERS
from .structure import SECTION_BY_KEY

# rule id -> Chinese explanation shown to the person who typed the data
RULES_ZH: dict[str, str] = {
    "not_empty": "不能为空",
    "year_in_range": f"年份应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字",
    "value_is_number": "应为数字（可带小数；不要写“若干”等文字，文字表述放在 expr 列）",
    "value_not_negative": "数值不能为负数",
    "qualifier_known": "限定词应为以下之一: " + "、".join(QUALIFIERS),
    "unique_observation": "同一主体、同一年度、同一指标出现了两次",
    "key_is_ascii_identifier": "指标键应为小写英文字母、数字和下划线",
    "unique_key": "指标键重复",
    "section_known": "报告栏目应为以下之一: " + "、".join(SECTION_BY_KEY),
    "kind_known": "类型应为 count / rate / amount / total 之一",
}


def _check(rule: str, fn) -> pa.Check:
    return pa.Check(fn, element_wise=False, name=rule, error=rule)


def _non_empty(rule: str = "not_empty") -> pa.Check:
    return _check(rule, lambda s: s.astype(str).str.len() > 0)


UNIQUE_OBSERVATION = ("district", "body", "year", "indicator")

OBSERVATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "province": pa.Column(str, _non_empty()),
        "district": pa.Column(str, _non_empty()),
        "body": pa.Column(str, _non_empty()),
        "year": pa.Column("Int64", _check("year_in_range", lambda s: s.between(MIN_YEAR, MAX_YEAR)),
                          nullable=False),
        "indicator": pa.Column(str, _non_empty()),
        "value": pa.Column(float, _check("value_not_negative", lambda s: s >= 0), nullable=False),
        "qualifier": pa.Column(str, _check("qualifier_known",
                                           lambda s: (s == "") | s.isin(list(QUALIFIERS)))),
        "expr": pa.Column(str),
        "source": pa.Column(str),
    },
    unique=list(UNIQUE_OBSERVATION),
    report_duplicates="all",
    strict=True,
    ordered=False,
)

CATALOGUE_SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column(str, [
            _non_empty(),
            _check("key_is_ascii_identifier", lambda s: s.str.fullmatch(r"[a-z][a-z0-9_]*")),
            _check("unique_key", lambda s: ~s.duplicated(keep=False)),
        ]),
        "name_zh": pa.Column(str, _non_empty()),
        "measure": pa.Column(str, _non_empty()),
        "section": pa.Column(str, _check("section_known", lambda s: s.isin(list(SECTION_BY_KEY)))),
        "kind": pa.Column(str, _check("kind_known", lambda s: s.isin(KINDS))),
        "numerator": pa.Column(str),
        "denominator": pa.Column(str),
        "components": pa.Column(str),
        "aliases": pa.Column(str),
    },
    strict=True,
    ordered=False,
)


def _duplicates_zh(frame: pd.DataFrame, index: int) -> str:
    """Where the same observation appears, with each row's value, so the typist can pick the right one."""
    key = frame.loc[index, list(UNIQUE_OBSERVATION)]
    same = frame[(frame[list(UNIQUE_OBSERVATION)] == key).all(axis=1)]
    return "、".join(f"第{i + 2}行 数值 {frame.at[i, 'value']:g}" for i in same.index) + "，只能保留一行"


def schema_problems(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str) -> list[Problem]:
    """Run a schema lazily and turn every failure into a Problem naming file, row, column, value, rule."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _failures_to_problems(exc.failure_cases, frame, file)
    return []


def _failures_to_problems(cases: pd.DataFrame, frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        is_duplicate = "unique" in check or "duplicate" in check
        rule = check if check in RULES_ZH else ("unique_observation" if is_duplicate else check)
        column = None if pd.isna(case.column) else str(case.column)
        index = None if pd.isna(case.index) else int(case.index)
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        message = RULES_ZH.get(rule, f"不符合规则 {check}")
        if rule == "unique_observation" and index is not None:
            column = ", ".join(UNIQUE_OBSERVATION)
            value = " / ".join(str(frame.at[index, c]) for c in UNIQUE_OBSERVATION)
            message += "：" + _duplicates_zh(frame, index)
        problems.append(Problem(
            file=file,
            row=None if index is None else index + 2,
            column=column,
            value=value,
            rule=rule,
            message_zh=message,
        ))
    # pandera reports a duplicated row once per column group; one problem per row is enough
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.row or 0, p.column or ""))
