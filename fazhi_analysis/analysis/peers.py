"""Where a body stands among the bodies of its own district: like with like only.

Two figures are compared only when they are the same indicator, written with the same measure word, in
the same year; peers are the other bodies of the same province and district. A body's place is given
beside the district median only when at least MIN_PEERS other bodies qualify, and a place only among
MIN_RANKED bodies or more: "第2位" among three says little, and the page says so plainly instead. A
difference of one unit is not a place (`places`): 12次 and 11次 share one. Counts of people or copies
(人数, 份数) measure a town's size, not its work: they get the district median as context, never a 位次.

`measure_of` is the one place that decides a figure's measure word: the observation's own `measure`
when the data carries one (the report's wording), else the catalogue's. Everything that groups figures
for comparison (this module, the overview pages) goes through it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..data.bodies import Body
from ..data.dataset import Catalogue, Dataset
from ..data.vocabulary import is_size as is_size_measure

MIN_PEERS = 3  # other bodies of the district with the same indicator, measure and year, for a median
MIN_RANKED = 5  # bodies a place needs, the body included: among three or four, "第2" says little
TIE_UNITS = 1.0  # values this close to the next higher one share its place (one meeting, one point)


def places(values: Sequence[float], tie_units: float = TIE_UNITS) -> list[int]:
    """The place of each value (1 = the largest), in the order given. A value within `tie_units` of the
    next higher one shares its place, so 13, 12, 11 and 6 are 第1, 第1, 第1 and 第4: a place changes only
    where the gap is wider than one unit, and counts every body above it (two at 第1, the next is 第3)."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    result = [0] * len(values)
    place = 1
    for n, i in enumerate(order):
        if n and values[order[n - 1]] - values[i] > tie_units:
            place = n + 1
        result[i] = place
    return result


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
    rank: int | None  # 1 = the largest value, values within one unit share a place; None when not ranked
    size: bool  # a count of people, copies or money: context, not a place
    reason_zh: str = ""  # why there is no rank, in words a reader accepts
    tied: bool = False  # another body of the district shares the place (the same value, or one unit off)


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
        why = "同一区县没有其他镇街报告此项" if n == 1 else f"同一区县只有{n}个镇街报告此项，不足{MIN_PEERS + 1}个"
        return Standing(**common, median=None, rank=None, size=is_size(kind, r.measure), reason_zh=why)
    values = pd.concat([peer_values, pd.Series([float(r.value)])], ignore_index=True)
    median = median_of(values, r.measure)
    if is_size(kind, r.measure):
        return Standing(**common, median=median, rank=None, size=True,
                        reason_zh="人数、份数、金额反映规模，只列中位数作参考，不排位次")
    if n < MIN_RANKED:
        return Standing(**common, median=median, rank=None, size=False,
                        reason_zh=f"同一区县{n}个镇街报告此项，不足{MIN_RANKED}个，不排位次")
    ranks = places(list(values))  # the body's own value is the last
    if len(set(ranks)) == 1:
        return Standing(**common, median=median, rank=None, size=False,
                        reason_zh="各镇街数值相同或只差1，不排位次")
    rank = ranks[-1]
    return Standing(**common, median=median, rank=rank, size=False, tied=ranks.count(rank) > 1)


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
