"""The statistics of one body's year: stated figures beside last year's, derived totals and ratios,
and the check of every stated rate. Pure functions of a validated Dataset; nothing is displayed here."""

from dataclasses import dataclass

import pandas as pd

from ..data.dataset import Body, Dataset
from .claims import ClaimCheck, Stated, check_claims

FIGURE_COLUMNS = [
    "indicator", "name_zh", "measure", "section", "kind", "value", "qualifier", "expr", "derived",
    "previous_value", "change", "change_pct", "source",
]


@dataclass(frozen=True)
class DerivedStat:
    """A figure the report does not state but its own counts imply (e.g. caseload per mediator)."""

    key: str
    name_zh: str
    value: float
    measure: str
    section: str
    formula_zh: str


@dataclass(frozen=True)
class YearStatistics:
    body: Body
    year: int
    previous_year: int | None  # the latest earlier year with data, if any
    figures: pd.DataFrame  # one row per indicator stated (or total derived) this year, FIGURE_COLUMNS
    derived: list[DerivedStat]
    claims: list[ClaimCheck]

    def section_figures(self, section: str) -> pd.DataFrame:
        return self.figures[self.figures["section"] == section]

    def value(self, key: str) -> float | None:
        row = self.figures[self.figures["indicator"] == key]
        return None if row.empty else float(row["value"].iloc[0])


def compute_year_statistics(dataset: Dataset, body: Body, year: int) -> YearStatistics:
    previous_year = dataset.previous_year(body, year)
    current = dataset.rows_of(body, year)
    previous = dataset.rows_of(body, previous_year) if previous_year else current.iloc[0:0]
    stated = {r.indicator: Stated(r.value, r.qualifier or None, r.expr) for r in current.itertuples()}
    figures = _figures_table(dataset, current, previous)
    return YearStatistics(
        body=body, year=year, previous_year=previous_year, figures=figures,
        derived=_derived_stats(dataset, figures), claims=check_claims(dataset.catalogue, stated),
    )


def _figures_table(dataset: Dataset, current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    cat = dataset.catalogue
    prev_values = dict(zip(previous["indicator"], previous["value"], strict=True))
    cur = {r.indicator: r for r in current.itertuples()}
    rows = []
    for key, ind in cat.items():  # catalogue order is report order
        if key in cur:
            r = cur[key]
            value, qualifier, expr, derived, source = r.value, r.qualifier, r.expr, False, r.source
        elif ind.kind == "total" and sum(c in cur for c in ind.components) >= 2:
            value = float(sum(cur[c].value for c in ind.components if c in cur))
            qualifier, expr, derived, source = "", "", True, "由组成指标相加"
        else:
            continue
        prev = prev_values.get(key)
        if prev is None and ind.kind == "total":
            parts = [prev_values[c] for c in ind.components if c in prev_values]
            prev = float(sum(parts)) if len(parts) >= 2 else None
        change = None if prev is None else value - prev
        change_pct = None if prev in (None, 0) or ind.kind == "rate" else 100.0 * change / prev
        rows.append([key, ind.name_zh, ind.measure, ind.section, ind.kind, value, qualifier, expr, derived,
                     prev, change, change_pct, source])
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS).astype(
        {"previous_value": "float64", "change": "float64", "change_pct": "float64"})


def _derived_stats(dataset: Dataset, figures: pd.DataFrame) -> list[DerivedStat]:
    values = dict(zip(figures["indicator"], figures["value"], strict=True))
    names = {k: i.name_zh for k, i in dataset.catalogue.items()}
    out = []
    for ind in dataset.catalogue.values():
        if ind.kind == "rate" and ind.numerator in values and ind.denominator in values and values[ind.denominator]:
            num, den = values[ind.numerator], values[ind.denominator]
            out.append(DerivedStat(f"{ind.key}_computed", f"{ind.name_zh}（按数字计算）", 100.0 * num / den, "%",
                                   ind.section, f"{names[ind.numerator]} ÷ {names[ind.denominator]}"))
    if values.get("mediators_count") and "disputes_received_count" in values:
        out.append(DerivedStat(
            "caseload_per_mediator", "人均受理矛盾纠纷", values["disputes_received_count"] / values["mediators_count"],
            "件/人", "disputes", "排查受理矛盾纠纷 ÷ 人民调解员"))
    if values.get("mediation_committees_count") and "mediators_count" in values:
        out.append(DerivedStat(
            "mediators_per_committee", "每个调委会的调解员",
            values["mediators_count"] / values["mediation_committees_count"], "名/个", "disputes",
            "人民调解员 ÷ 人民调解委员会"))
    return out
