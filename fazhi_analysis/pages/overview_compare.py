"""Like with like for overview pages: what may be compared, which figures to check, and how a group moved
over the years. Every function takes the page's comparable figures (linked to an indicator whose
definition their wording meets; one year unless said otherwise) with a `measure` column from
analysis.peers.measure_of, and groups by indicator AND measure: two figures with different measure words
are never ranked together. A ranking needs MIN_BODIES_RANKED bodies, and values within one unit share a
place (analysis.peers.places).

Checks are computed within one year, one indicator and one measure, among the bodies of one district
(or of the page's group when it is smaller), and worded as a reader checks them: "明显高于其他14个镇街
（中位数16次）". The statistic behind "明显" is the median and the typical distance from it (counts on a
log scale, since towns differ by a factor); it is named here, never on the page.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.peers import MIN_RANKED, is_size, median_of, places
from ..data.bodies import Body
from ..data.formatting import fmt_number, with_measure
from ..wording import say

MIN_BODIES_COMPARED = 3  # two bodies make a pair, not a comparison: below, the figures stay on their pages
MIN_BODIES_RANKED = MIN_RANKED  # a place among three or four says little
MIN_VALUES_FOR_OUTLIERS = 5  # "far from the others" needs a handful of others
FAR_LIMIT = 3.5  # Iglewicz & Hoaglin's cut-off for the modified z-score
MAD_TO_SIGMA = 0.6745
JUMP_FACTOR = 10.0  # a count ten times (or a tenth of) the body's previous year
KEY = ["indicator", "measure"]


@dataclass(frozen=True)
class Flag:
    """A figure to check against its report, with the reason in words."""

    body: Body
    year: int
    indicator: str
    value: float
    expr: str
    reason_zh: str
    kind: str = "peers"  # peers: far from the same figure of other bodies; jump: far from its own last year


def comparable(figures: pd.DataFrame, order: list[str]) -> list[tuple[str, str]]:
    """(indicator, measure) pairs at least MIN_BODIES_COMPARED bodies report, in report order."""
    if figures.empty:  # a group whose figures are all its bodies' own items: nothing to compare
        return []
    counts = figures.groupby(KEY, sort=False)[["district", "body"]].apply(lambda f: len(f.drop_duplicates()))
    position = {k: i for i, k in enumerate(order)}
    pairs = [pair for pair, n in counts.items() if n >= MIN_BODIES_COMPARED]
    return sorted(pairs, key=lambda p: (position.get(p[0], len(position)), p[1]))


def no_ranking_reason(values: pd.Series, kind: str, measure: str = "") -> str:
    """Why a ranking would mean nothing, or '' when it means something: sizes are context, a handful of
    towns is not a ranking, equal values (or values one unit apart) are not places."""
    if is_size(kind, measure):
        return say("overview.no_ranking.size")
    if values.nunique() == 1:
        return say("overview.no_ranking.all_equal", value=with_measure(values.iloc[0], measure or
                                                                      ("%" if kind == "rate" else "")))
    if len(values) < MIN_BODIES_RANKED:
        return say("overview.no_ranking.too_few", n=len(values), min_bodies=MIN_BODIES_RANKED)
    if len(set(places(list(values)))) == 1:
        return say("overview.no_ranking.one_unit")
    return ""


def checkable_groups(figures: pd.DataFrame, within: str | None = "district") -> int:
    """How many (district, indicator, measure) groups have enough values for the peer check to run."""
    if figures.empty:
        return 0
    keys = [within, *KEY] if within else KEY
    sizes = figures.groupby(keys, sort=False).size()
    return int((sizes >= MIN_VALUES_FOR_OUTLIERS).sum())


def jump_pairs(history: pd.DataFrame, year: int) -> int:
    """How many of this year's figures have the same indicator and measure in the body's previous year with
    data, so that the tenfold check can run."""
    return len(_year_pairs(history, year))


def _year_pairs(history: pd.DataFrame, year: int) -> pd.DataFrame:
    earlier = history[history["year"] < year]
    previous = earlier.groupby(["district", "body"])["year"].max().rename("before_year").reset_index()
    current = history[history["year"] == year].merge(previous, on=["district", "body"])
    before = earlier.rename(columns={"year": "before_year", "value": "old"})[
        ["district", "body", "before_year", *KEY, "old"]]
    return current.merge(before, on=["district", "body", "before_year", *KEY])


def far_scores(values: pd.Series, kind: str) -> pd.Series:
    """How far each value lies from the others, in typical distances (median and median absolute
    deviation, which one wild value cannot inflate); NaN where the values barely differ."""
    scale = values if kind == "rate" else values.map(math.log1p)
    deviation = (scale - scale.median()).abs()
    mad = deviation.median()
    if mad == 0:
        return pd.Series(float("nan"), index=values.index)
    return MAD_TO_SIGMA * (scale - scale.median()) / mad


def peer_flags(figures: pd.DataFrame, bodies: dict[tuple[str, str], Body], kinds: dict[str, str],
               within: str | None = "district") -> list[Flag]:
    """Figures far from the same indicator and measure of the other bodies, this year, compared within
    each `within` (district) so that a district page and the city page agree."""
    flags = []
    if figures.empty:
        return flags
    keys = [within, *KEY] if within else KEY
    grouped = figures.groupby(keys, sort=False)
    codes = grouped.ngroup().to_numpy()  # groups in order of first appearance, as iterating them gives
    order = np.argsort(codes, kind="stable")  # each group's rows in frame order
    starts = np.searchsorted(codes[order], np.arange(grouped.ngroups + 1))
    columns = {c: figures[c].to_numpy() for c in ("district", "body", "year", "value", "expr", *keys)}
    for g in range(grouped.ngroups):  # arrays, not a sub-frame a group: a province has thousands of groups
        positions = order[starts[g]:starts[g + 1]]
        if len(positions) < MIN_VALUES_FOR_OUTLIERS:
            continue
        first = positions[0]
        indicator, measure = columns["indicator"][first], columns["measure"][first]
        values = pd.Series(columns["value"][positions].astype(float))
        scores = far_scores(values, kinds[indicator])
        far = [(p, s) for p, s in zip(positions, scores, strict=True) if not math.isnan(s) and abs(s) > FAR_LIMIT]
        if not far:
            continue
        median = median_of(values, measure)
        for p, score in far:
            side = "overview.flags.far_above" if score > 0 else "overview.flags.far_below"
            flags.append(Flag(bodies[(columns["district"][p], columns["body"][p])], int(columns["year"][p]),
                              indicator, columns["value"][p], columns["expr"][p],
                              say(side, n_others=len(positions) - 1, median=with_measure(median, measure))))
    return flags


def jump_flags(history: pd.DataFrame, year: int, bodies: dict[tuple[str, str], Body],
               kinds: dict[str, str]) -> list[Flag]:
    """Counts ten times (or a tenth of) the body's previous year with data: often a unit or scope change.
    `history` holds the group's rows of every year up to `year`, with measures."""
    pairs = _year_pairs(history, year)
    flags = []
    for r in pairs.itertuples():
        old = r.old
        if kinds[r.indicator] == "rate" or not r.value or not old:
            continue
        before_year = int(r.before_year)
        factor = r.value / old
        if factor >= JUMP_FACTOR or factor <= 1 / JUMP_FACTOR:
            flags.append(Flag(bodies[(r.district, r.body)], year, r.indicator, r.value, r.expr,
                              say("overview.flags.jump", before_year=before_year,
                                  before=with_measure(old, r.measure), factor=fmt_number(factor, 1)), "jump"))
    return flags


def history_summary(history: pd.DataFrame, pairs: list[tuple[str, str]], year: int) -> pd.DataFrame:
    """Per (indicator, measure): the median and number of bodies of each year up to `year`, and how many
    bodies went up or down against their own previous year with data."""
    years = sorted(int(y) for y in history["year"].unique() if y <= year)
    wide = history.pivot_table(index=["district", "body", *KEY], columns="year", values="value", aggfunc="first")
    records = []
    for indicator, measure in pairs:
        try:
            rows = wide.xs((indicator, measure), level=(2, 3))
        except KeyError:
            continue
        record = {"indicator": indicator, "measure": measure}
        for y in years:
            values = rows[y].dropna() if y in rows else pd.Series(dtype=float)
            record[y] = (len(values), median_of(values, measure) if len(values) else None)
        before = rows[[y for y in years if y < year]].ffill(axis=1).iloc[:, -1] if len(years) > 1 else None
        if before is not None and year in rows:
            both = pd.DataFrame({"now": rows[year], "before": before}).dropna()
            record["up"] = int((both["now"] > both["before"]).sum())
            record["down"] = int((both["now"] < both["before"]).sum())
            record["flat"] = int((both["now"] == both["before"]).sum())
        records.append(record)
    return pd.DataFrame(records)

