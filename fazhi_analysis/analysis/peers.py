"""Where a body stands among the bodies of its own district: like with like only (DESIGN.md §5).

Two figures are compared only when they are the same indicator, written with the same measure word, in
the same year; peers are the other bodies of the same province and district. A body's place is given
only when at least MIN_PEERS other bodies qualify: "第2位" among three says little, and the page says so
plainly instead. Counts of people or copies (人数, 份数) measure a town's size, not its work: they get
the district median as context, never a 位次.

`measure_of` is the one place that decides a figure's measure word: the observation's own `measure`
when the data carries one (the report's wording), else the catalogue's. Everything that groups figures
for comparison (this module, the overview pages) goes through it.
"""

import math
from dataclasses import dataclass

import pandas as pd

from ..data.bodies import Body
from ..data.dataset import Catalogue, Dataset
from ..data.vocabulary import is_size as is_size_measure

MIN_PEERS = 3  # other bodies of the district with the same indicator, measure and year


def measure_of(row, catalogue: Catalogue) -> str:
    """The measure word of one observation (a row from itertuples, or a Series): its own when present."""
    own = getattr(row, "measure", None)
    if isinstance(own, str) and own:
        return own
    return catalogue[row.indicator].measure


def with_measures(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """`rows` with a `measure` column filled by measure_of, ready to group by (indicator, measure)."""
    out = rows.copy()
    out["measure"] = [measure_of(r, catalogue) for r in rows.itertuples(index=False)] if len(rows) else []
    return out


def is_size(kind: str, measure: str) -> bool:
    """People, copies and money measure how big a town is; they are shown as context, never ranked."""
    return kind == "amount" or is_size_measure(measure)


@dataclass(frozen=True)
class Standing:
    """One of the body's figures beside the same figure of the other bodies in its district."""

    indicator: str
    measure: str
    value: float
    expr: str
    n_bodies: int  # bodies of the district with this indicator, measure and year, the body included
    median: float | None  # of those n_bodies values; None when too few to compare
    rank: int | None  # 1 = the largest value, ties share a place; None when not ranked
    size: bool  # a count of people, copies or money: context, not a place
    reason_zh: str = ""  # why there is no rank, in words a reader accepts
    tied: bool = False  # another body of the district has the same value, so shares the place


def peer_standing(dataset: Dataset, body: Body, year: int) -> list[Standing]:
    """Every figure of `body` in `year`, in the body's row order, with its place among its district's
    bodies or the reason there is none."""
    district = dataset.rows_of_district(body.district, year)
    district = district[(district["indicator"] != "")  # a body's own items are never compared (data/README.md)
                        & (district["province"] == body.province)]
    district = with_measures(district, dataset.catalogue)
    own = district["body"] == body.name
    others = district[~own]
    standings = []
    for r in district[own].itertuples(index=False):
        peers = others[(others["indicator"] == r.indicator) & (others["measure"] == r.measure)]
        standings.append(_standing(r, peers["value"], dataset.catalogue[r.indicator].kind))
    return standings


def _standing(r, peer_values: pd.Series, kind: str) -> Standing:
    n = len(peer_values) + 1
    common = dict(indicator=r.indicator, measure=r.measure, value=float(r.value), expr=r.expr or "", n_bodies=n)
    if len(peer_values) < MIN_PEERS:
        why = "同一区县没有其他镇街报告此项" if n == 1 else f"同一区县仅{n}个镇街报告此项，不足{MIN_PEERS + 1}个"
        return Standing(**common, median=None, rank=None, size=is_size(kind, r.measure), reason_zh=why)
    values = pd.concat([peer_values, pd.Series([float(r.value)])], ignore_index=True)
    median = median_of(values, r.measure)
    if is_size(kind, r.measure):
        return Standing(**common, median=median, rank=None, size=True,
                        reason_zh="人数、份数、金额反映规模，只列中位数作参考，不排位次")
    if values.nunique() == 1:
        return Standing(**common, median=median, rank=None, size=False, reason_zh="各镇街数值相同，不排位次")
    rank = int((values > float(r.value)).sum()) + 1  # ties share the higher place
    return Standing(**common, median=median, rank=rank, size=False, tied=int((values == float(r.value)).sum()) > 1)


def median_of(values: pd.Series, measure: str) -> float:
    """The median; for counts the lower middle value, so that it is a figure some body reported (45次,
    not 45.5次: no half meetings, no fractional people)."""
    return float(values.median() if measure == "%" else values.quantile(0.5, interpolation="lower"))


def position_zh(standing: Standing) -> str:
    """'15个中第3位', '高于中位数', or '—' when there is nothing to place the figure against."""
    if standing.rank is not None:
        return f"{standing.n_bodies}个中第{standing.rank}位" + ("（并列）" if standing.tied else "")
    if standing.median is None or math.isnan(standing.median):
        return "—"
    if standing.value > standing.median:
        return "高于中位数"
    return "低于中位数" if standing.value < standing.median else "与中位数相同"
