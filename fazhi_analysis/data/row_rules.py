"""The rules one row of observations can break, checked by one implementation for every way rows arrive:
a data file (`dataset.table_problems`, which adds the rules across rows), a file too large to hold, chunk
by chunk (`streaming`), and incoming rows before they are merged (`fazhi import`'s workbook or CSV,
`fazhi extract --merge`'s reviewed draft). The messages are `rules.RULES_ZH`'s.

A row arrives as text (a DataFrame of cells, indexed by the row its typist sees). In order:
- each cell: no invisible control characters, not longer than MAX_CELL_CHARS (a CSV file's reader has
  already refused these; a workbook's cells come here unread);
- typing: names normalised (`csv_input.normalise_name`), keys and words folded to half width, the year and
  the value read (`parse_year`, `parse_number`); a row whose year or value cannot be read goes no further;
- text: the name rules (`names`) on province, district and body, shown beside a known name they imitate;
  the formula rule (`text_rules`) on free text; a statement is the clause holding its figure;
- the column checks (`rules.COLUMN_CHECKS`): not empty, year in range, known part, topic and qualifier,
  value not negative;
- with a catalogue, on the rows that broke none of these: a linked indicator exists, is measured in a word
  it lists (a zero or a figure in words needs none) and named in wording that meets its definition (口径);
  a percentage is at most 100.

A frame may hold only some of the columns (a workbook's province, district, body and year, checked once
where the typist wrote them): each rule runs where its columns are present. Each distinct text of a
column is normalised and checked once: a province's name repeats on a million rows.
"""

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from ..errors import Problem
from .csv_input import (
    cell_is_odd,
    cell_problem,
    fold_width,
    normalise_name,
    numeral_problem,
    parse_number,
    parse_year,
)
from .names import name_problem
from .rules import (
    COLUMN_CHECKS,
    RATE_MAX_PCT,
    definition_mismatch_zh,
    indicator_unknown_zh,
    measure_mismatch_zh,
    rule_zh,
    statement_problem,
)
from .text_rules import formula_problem

NAME_COLUMNS = ("province", "district", "body")
FOLDED_COLUMNS = ("qualifier", "part", "topic", "measure")
FREE_TEXT_COLUMNS = ("heading", "label", "expr", "source", "statement")
CATALOGUE_RULE_COLUMNS = ("indicator", "measure", "value", "label", "expr")


def rows_as_text(rows: list[tuple[int, dict[str, str]]], columns: Iterable[str]) -> pd.DataFrame:
    """Incoming rows (their row as the typist sees it, their cells by column) as the text `row_problems` reads."""
    columns = list(columns)
    return pd.DataFrame([[record[c] for c in columns] for _, record in rows], columns=columns,
                        index=pd.Index([row for row, _ in rows], dtype="int64"), dtype=object)


def mapped(cells: pd.Series, function: Callable) -> pd.Series:
    """`function` applied once per distinct value, in the order of `cells`."""
    codes, uniques = pd.factorize(cells, sort=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(u) for u in uniques]
    return pd.Series(results[codes] if len(codes) else results[:0], index=cells.index, dtype=object)


def row_problems(text: pd.DataFrame, catalogue, shown: str, known: dict[str, Iterable[str]] | None = None,
                 check_cells: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """(the rows whose year and value could be read, typed as `dataset.load_observations` types them, with
    `row`; every problem of the rows). `text`: cells as typed, indexed by the row its typist sees;
    `catalogue`: None checks no catalogue rule; `known`: names already in the data by column, so that a
    lookalike is shown beside the real one; `check_cells=False` when a CSV reader has refused odd cells
    already. The rows that break no rule are `without(typed, problems)`."""
    problems = _cell_problems(text, shown) if check_cells else []
    typed, found = _typed(text[~text.index.isin([p.row for p in problems])], shown)
    problems += found
    problems += _text_problems(typed, shown, known or {})
    problems += _column_checks(typed, shown)
    if catalogue is not None and set(CATALOGUE_RULE_COLUMNS) <= set(typed.columns):
        problems += _catalogue_problems(without(typed, problems), catalogue, shown)
    return typed, problems


def without(typed: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """The rows of `typed` that no problem names."""
    return typed[~typed["row"].isin([p.row for p in problems])]


def _cell_problems(text: pd.DataFrame, shown: str) -> list[Problem]:
    """Control characters and over-long cells, outside the names (the name rules say it for those)."""
    problems = []
    for column in text.columns:
        if column in NAME_COLUMNS:
            continue
        odd = mapped(text[column], cell_is_odd).astype(bool)
        for row, value in zip(text.index[odd.to_numpy()], text[column][odd], strict=True):
            problems.append(cell_problem(shown, int(row), column, value))
    return problems


def _typed(text: pd.DataFrame, shown: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The rows with names normalised, keys and words folded, year and value read; rows whose year or
    value cannot be read are left out, each with its problem."""
    frame = text.copy()
    frame["row"] = text.index.to_numpy()
    for column in NAME_COLUMNS:
        if column in frame:
            frame[column] = mapped(frame[column], normalise_name)
    if "indicator" in frame:
        frame["indicator"] = mapped(frame["indicator"], lambda t: fold_width(t).lower())
    for column in FOLDED_COLUMNS:
        if column in frame:
            frame[column] = mapped(frame[column], fold_width)
    problems, readable = [], np.ones(len(frame), dtype=bool)
    if "year" in frame:
        years = mapped(frame["year"], parse_year)
        for row, year_text in zip(frame["row"][years.isna()], frame["year"][years.isna()], strict=True):
            problems.append(Problem(shown, int(row), "year", year_text, "year_is_number", rule_zh("year_is_number")))
        frame["year"] = pd.array(years.tolist(), dtype="Int64")
        readable &= years.notna().to_numpy()
    if "value" in frame:
        values = mapped(frame["value"], parse_number)
        for row, value_text in zip(frame["row"][values.isna()], frame["value"][values.isna()], strict=True):
            rule, why = numeral_problem(value_text) or ("value_is_number", rule_zh("value_is_number"))
            problems.append(Problem(shown, int(row), "value", value_text, rule, why))
        frame["value"] = pd.array(values.tolist(), dtype="Float64").astype(float)
        readable &= values.notna().to_numpy()
    return frame[readable], problems


def _text_problems(typed: pd.DataFrame, shown: str, known: dict[str, Iterable[str]]) -> list[Problem]:
    """The name rules on province, district and body (known names: those of these rows that break no
    name rule, and `known`), the formula rule on free text, the statement rule: each distinct text once,
    reported on every row that has it."""
    problems = []
    for column in (*NAME_COLUMNS, *FREE_TEXT_COLUMNS):
        if column not in typed:
            continue
        cells = typed[column]
        uniques = pd.unique(cells)
        if column in NAME_COLUMNS:
            verdicts = {name: name_problem(name) for name in uniques}
            names = [name for name, verdict in verdicts.items() if verdict is None] + list(known.get(column, ()))
            verdicts = {name: name_problem(name, names) for name, verdict in verdicts.items() if verdict}
        else:
            verdicts = {text: verdict for text in uniques if (verdict := formula_problem(text))}
        for value, (rule, why) in verdicts.items():
            for row in typed["row"][cells == value]:
                problems.append(Problem(shown, int(row), column, value, rule, why))
    if "statement" in typed and "expr" in typed:
        held = typed[typed["statement"] != ""]
        verdicts: dict[tuple[str, str], tuple[str, str] | None] = {}
        for row, statement, expr in zip(held["row"], held["statement"], held["expr"], strict=True):
            if (statement, expr) not in verdicts:
                verdicts[(statement, expr)] = statement_problem(statement, expr)
            if verdicts[(statement, expr)]:
                problems.append(Problem(shown, int(row), "statement", statement[:80], *verdicts[(statement, expr)]))
    return problems


def _column_checks(typed: pd.DataFrame, shown: str) -> list[Problem]:
    """`rules.COLUMN_CHECKS`, run as the vectorised functions they are."""
    problems = []
    for column, checks in COLUMN_CHECKS.items():
        if column not in typed:
            continue
        values = typed[column]
        for rule, check in checks:
            failed = ~np.asarray(check(values), dtype=bool)
            for row, value in zip(typed["row"][failed], values[failed], strict=True):
                shown_value = f"{value:g}" if isinstance(value, float) else str(value)
                problems.append(Problem(shown, int(row), column, shown_value, rule, rule_zh(rule)))
    return problems


def _catalogue_problems(frame: pd.DataFrame, catalogue, shown: str) -> list[Problem]:
    """The catalogue rules of one row: a percentage ≤ 100, a linked indicator exists, is measured in a word
    the catalogue lists for it (a zero or a figure written in words needs none) and is named in wording
    that meets its definition (口径)."""
    problems = []
    over = frame[(frame["measure"] == "%") & (frame["value"] > RATE_MAX_PCT)]
    for row in over.itertuples(index=False):
        problems.append(Problem(shown, int(row.row), "value", f"{row.value:g}", "rate_at_most_100",
                                rule_zh("rate_at_most_100", label=row.label)))
    linked = frame[frame["indicator"] != ""]
    unknown = linked[~linked["indicator"].isin(list(catalogue))]
    for row in unknown.itertuples(index=False):
        problems.append(Problem(shown, int(row.row), "indicator", row.indicator, "indicator_known",
                                indicator_unknown_zh(catalogue, row.indicator)))
    known = linked[linked["indicator"].isin(list(catalogue))]
    allowed = known["indicator"].map({k: ind.measures for k, ind in catalogue.items()})
    fits = np.fromiter((m in a for m, a in zip(known["measure"], allowed, strict=True)), bool, len(known))
    for row in known[~fits].itertuples(index=False):
        in_words = row.measure == "" and (row.value == 0 or not any(c.isdigit() for c in row.expr))  # 未发生
        if not in_words:
            problems.append(Problem(shown, int(row.row), "measure", row.measure, "measure_matches_indicator",
                                    measure_mismatch_zh(catalogue[row.indicator])))
    verdicts: dict[tuple[str, str], str | None] = {}
    for row in known.itertuples(index=False):
        pair = (row.indicator, row.label)
        if pair not in verdicts:
            verdicts[pair] = catalogue[row.indicator].definition.problem(row.label)
        if verdicts[pair]:
            problems.append(Problem(shown, int(row.row), "label", row.label, "wording_meets_definition",
                                    definition_mismatch_zh(catalogue[row.indicator], row.label, verdicts[pair])))
    return problems
