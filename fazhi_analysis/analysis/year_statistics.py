"""The statistics of one body's year: every figure its report stated, in the report's order and words,
beside last year's same item; the ratios its own counts imply; the check of every stated rate. Pure
functions of a validated Dataset; nothing is displayed here.

Last year's "same item" is the figure linked to the same catalogue indicator or, for the body's own
items, the figure with the same label and measure word: nothing is compared across measure words.
"""

from dataclasses import dataclass

import pandas as pd

from ..data.bodies import Body
from ..data.dataset import Dataset
from ..data.structure import PARTS
from ..data.vocabulary import measure_kind
from .claims import ClaimCheck, Stated, check_claims

FIGURE_COLUMNS = [
    "part", "heading", "topic", "label", "indicator", "kind", "value", "measure", "qualifier", "expr",
    "previous_value", "previous_expr", "change", "change_pct", "source", "statement",
]
PART_ORDER = {p.key: i for i, p in enumerate(PARTS)}


@dataclass(frozen=True)
class DerivedStat:
    """A figure the report does not state but its own counts imply, named so it reads plainly."""

    key: str
    sentence_zh: str  # 每名调解员年均受理矛盾纠纷约5件
    value: float
    topic: str


@dataclass(frozen=True)
class YearStatistics:
    body: Body
    year: int
    previous_year: int | None  # the latest earlier year with data, if any
    figures: pd.DataFrame  # one row per stated figure, report order, FIGURE_COLUMNS
    derived: list[DerivedStat]
    claims: list[ClaimCheck]

    def value(self, key: str) -> float | None:
        """The figure linked to catalogue indicator `key`, if the report states one."""
        row = self.figures[self.figures["indicator"] == key]
        return None if row.empty else float(row["value"].iloc[0])

    def in_part(self, part: str) -> pd.DataFrame:
        return self.figures[self.figures["part"] == part]


def compute_year_statistics(dataset: Dataset, body: Body, year: int) -> YearStatistics:
    previous_year = dataset.previous_year(body, year)
    current = dataset.rows_of(body, year)
    previous = dataset.rows_of(body, previous_year) if previous_year else current.iloc[0:0]
    linked = current[current["indicator"] != ""]
    stated = {r.indicator: Stated(r.value, r.qualifier or None, r.expr) for r in linked.itertuples()}
    figures = _figures_table(dataset, current, previous)
    return YearStatistics(body=body, year=year, previous_year=previous_year, figures=figures,
                          derived=_derived_stats(stated), claims=check_claims(dataset.catalogue, stated))


def kind_of(row, catalogue) -> str:
    """count / rate / amount: the catalogue's kind when linked, else what the measure word says."""
    if row.indicator and row.indicator in catalogue:
        return catalogue[row.indicator].kind
    if row.measure == "%":
        return "rate"
    return "amount" if measure_kind(row.measure) == "amount" else "count"


def _report_order(current: pd.DataFrame) -> pd.DataFrame:
    """Part by the mandated frame, then sub-headings in the order the report first uses them, then rows."""
    heading_rank = {h: i for i, h in enumerate(dict.fromkeys(current["heading"]))}
    keys = current.assign(_part=current["part"].map(PART_ORDER), _heading=current["heading"].map(heading_rank),
                          _row=range(len(current)))
    return keys.sort_values(["_part", "_heading", "_row"], kind="stable").drop(columns=["_part", "_heading", "_row"])


def same_item(previous: pd.DataFrame):
    """A lookup from a figure to the same item in `previous` (another year of the same body), or None: the
    figure linked to the same catalogue indicator, else the one with the same label and measure word."""
    linked = {r.indicator: r for r in previous.itertuples() if r.indicator}
    own = {(r.label, r.measure): r for r in previous.itertuples()}

    def find(row):
        found = linked.get(row.indicator) if row.indicator else None
        return found if found is not None else own.get((row.label, row.measure))

    return find


def _figures_table(dataset: Dataset, current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    before = same_item(previous)
    rows = []
    for r in _report_order(current).itertuples():
        prev = before(r)
        kind = kind_of(r, dataset.catalogue)
        prev_value = None if prev is None else float(prev.value)
        change = None if prev_value is None else r.value - prev_value
        change_pct = None if prev_value in (None, 0) or kind == "rate" else 100.0 * change / prev_value
        rows.append([r.part, r.heading, r.topic, r.label, r.indicator, kind, r.value, r.measure, r.qualifier, r.expr,
                     prev_value, "" if prev is None else prev.expr,
                     change, change_pct, r.source, r.statement])
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS).astype(
        {"previous_value": "float64", "change": "float64", "change_pct": "float64"})


def _derived_stats(stated: dict[str, Stated]) -> list[DerivedStat]:
    """Ratios the report's own linked counts imply, rounded to what a reader needs."""
    out = []
    received, mediators = stated.get("disputes_received_count"), stated.get("mediators_count")
    if received and mediators and mediators.value and not mediators.qualifier and not received.qualifier:
        per = received.value / mediators.value
        shown = f"{round(per)}" if per >= 3 else f"{per:.1f}".rstrip("0").rstrip(".")  # 4.94 reads 约5
        out.append(DerivedStat("caseload_per_mediator", f"每名调解员年均受理矛盾纠纷约{shown}件", per, "disputes"))
    return out
