"""The data files' schemas as code (pandera); every check is named by a rule of `rules`.

Values arrive as text (see `csv_input`), are normalised, then checked here; cross-file rules that
need the catalogue (indicator exists, rate ≤ 100, parts ≤ whole) are `dataset.domain_problems`.
"""

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem
from .layout import KINDS, MAX_YEAR, MIN_YEAR
from .qualifiers import QUALIFIERS
from .rules import RULES_ZH
from .structure import PART_BY_KEY, SECTION_BY_KEY


def _check(rule: str, fn) -> pa.Check:
    return pa.Check(fn, element_wise=False, name=rule, error=rule)


def _non_empty(rule: str = "not_empty") -> pa.Check:
    return _check(rule, lambda s: s.astype(str).str.len() > 0)


UNIQUE_OBSERVATION = ("district", "body", "year", "label", "measure")

OBSERVATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "province": pa.Column(str, _non_empty()),
        "district": pa.Column(str, _non_empty()),
        "body": pa.Column(str, _non_empty()),
        "year": pa.Column("Int64", _check("year_in_range", lambda s: s.between(MIN_YEAR, MAX_YEAR)),
                          nullable=False),
        "part": pa.Column(str, _check("part_known", lambda s: s.isin(list(PART_BY_KEY)))),
        "heading": pa.Column(str),
        "topic": pa.Column(str, _check("topic_known", lambda s: (s == "") | s.isin(list(SECTION_BY_KEY)))),
        "label": pa.Column(str, _non_empty()),
        "indicator": pa.Column(str),
        "measure": pa.Column(str),
        "value": pa.Column(float, _check("value_not_negative", lambda s: s >= 0), nullable=False),
        "qualifier": pa.Column(str, _check("qualifier_known",
                                           lambda s: (s == "") | s.isin(list(QUALIFIERS)))),
        "expr": pa.Column(str),
        "source": pa.Column(str),
        "statement": pa.Column(str),
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
        "base_zh": pa.Column(str),
        "components": pa.Column(str),
        "aliases": pa.Column(str),
        "counts_zh": pa.Column(str),
        "wording_requires": pa.Column(str),
        "wording_excludes": pa.Column(str),
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
