"""The data files' schemas as code (pandera); every check is named by a rule of `rules`.

The catalogue's schema holds its column checks. The observations' schema holds what a whole table must
be: its columns, their types, one row per observation. The checks of one observation's values
(`rules.COLUMN_CHECKS`) are the row rules' (`row_rules`), which every way rows arrive goes through
(a file, a chunk of a large one, rows being imported); rules across rows that need the catalogue (one
figure per indicator, a part ≤ its whole) are `dataset.cross_row_problems`.
"""

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem
from .layout import KINDS
from .rules import RULES_ZH, rule_zh
from .structure import SECTION_BY_KEY


def _check(rule: str, fn) -> pa.Check:
    return pa.Check(fn, element_wise=False, name=rule, error=rule)


def _non_empty(rule: str = "not_empty") -> pa.Check:
    return _check(rule, lambda s: s.astype(str).str.len() > 0)


UNIQUE_OBSERVATION = ("district", "body", "year", "label", "measure")

OBSERVATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "province": pa.Column(str),
        "district": pa.Column(str),
        "body": pa.Column(str),
        "year": pa.Column("Int64", nullable=False),
        "part": pa.Column(str),
        "heading": pa.Column(str),
        "topic": pa.Column(str),
        "label": pa.Column(str),
        "indicator": pa.Column(str),
        "measure": pa.Column(str),
        "value": pa.Column(float, nullable=False),
        "qualifier": pa.Column(str),
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
    return "、".join(f"第{i + 2}行 数值 {frame.at[i, 'value']:g}" for i in same.index)


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
            message = rule_zh(rule, listed=_duplicates_zh(frame, index))
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
