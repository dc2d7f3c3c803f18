"""The district office's view of one year: which body reports what, how bodies compare, which figures
look implausible, and how bodies with several years moved. A facade like `report.AnnualPage`: the
notebook `district_overview.ipynb` calls one method a cell; every choice of what to show lives here.

Construct with `OverviewPage.load(year, group, data_dir)`; `group` is "all", a district name, or
bodies separated by commas (a body as in `fazhi report --unit`).
"""

import math
import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..data.dataset import Body, Dataset, load_dataset
from ..data.formatting import fmt_number
from ..data.qualifiers import QUALIFIERS
from ..data.structure import SECTION_BY_KEY, SECTIONS
from ..errors import ParameterError
from . import charts, narrative
from .html_block import HtmlBlock, join
from .tables import Table

ALL_BODIES = "all"
MIN_BODIES_COMPARED = 3  # two bodies make a pair, not a comparison
MIN_VALUES_FOR_OUTLIERS = 5  # a robust spread needs a handful of values
ROBUST_Z_LIMIT = 3.5  # Iglewicz & Hoaglin's cut-off for the modified z-score
MAD_TO_SIGMA = 0.6745  # modified z = 0.6745 (x − median) / MAD
JUMP_FACTOR = 10.0  # a count ten times (or a tenth of) the body's previous year


@dataclass(frozen=True)
class Flag:
    """A figure that looks implausible, with the reason a reader can check."""

    body: Body
    year: int
    indicator: str
    value: float
    expr: str
    reason_zh: str


@dataclass(frozen=True)
class OverviewPage:
    dataset: Dataset
    year: int
    group_label: str
    bodies: tuple[Body, ...]  # bodies of the group with data in `year`, in data order

    @classmethod
    def load(cls, year: int, group: str = ALL_BODIES, data_dir: str | None = None) -> "OverviewPage":
        dataset = load_dataset(data_dir)
        label, members = select_group(dataset, group)
        with_data = tuple(b for b in members if year in dataset.years_of(b))
        if not with_data:
            years = sorted({y for b in members for y in dataset.years_of(b)})
            raise ParameterError(f"{label}没有{year}年的数据。已有年度: " + "、".join(map(str, years)))
        return cls(dataset, year, label, with_data)

    @property
    def title(self) -> str:
        return f"{self.year}年法治政府建设情况区域概览（{self.group_label}）"

    # --- data for the blocks and for analysts --------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """The year's observations of the group, with the body label and the catalogue's name and kind."""
        return self._figures.copy()

    @cached_property
    def _figures(self) -> pd.DataFrame:
        obs = self.dataset.observations
        in_group = pd.MultiIndex.from_frame(obs[["district", "body"]]).isin(
            [(b.district, b.name) for b in self.bodies])
        rows = obs[(obs["year"] == self.year) & in_group].copy()
        cat = self.dataset.catalogue
        rows["label"] = [self._label(d, b) for d, b in zip(rows["district"], rows["body"], strict=True)]
        rows["name_zh"] = [cat[k].name_zh for k in rows["indicator"]]
        rows["kind"] = [cat[k].kind for k in rows["indicator"]]
        rows["measure"] = [cat[k].measure for k in rows["indicator"]]
        rows["section"] = [cat[k].section for k in rows["indicator"]]
        return rows

    def compared_indicators(self) -> list[str]:
        """Indicators that at least MIN_BODIES_COMPARED bodies of the group report this year, catalogue order."""
        counts = self.figures()["indicator"].value_counts()
        return [k for k in self._report_order() if counts.get(k, 0) >= MIN_BODIES_COMPARED]

    # --- blocks the notebook shows -------------------------------------------------------------
    def heading(self) -> HtmlBlock:
        f = self.figures()
        return narrative.render(
            "overview_heading", title=self.title, year=self.year, group_label=self.group_label,
            bodies=[self._label(b.district, b.name) for b in self.bodies], n_figures=len(f),
            n_indicators=f["indicator"].nunique(), n_sources=f["source"].nunique(),
            n_compared=len(self.compared_indicators()), min_bodies=MIN_BODIES_COMPARED,
        )

    def coverage_by_section(self) -> Table:
        """Bodies × report sections: how many indicators each body states in each section."""
        f = self.figures()
        counts = f.groupby(["label", "section"])["indicator"].nunique()
        rows = []
        for body in self.bodies:
            label = self._label(body.district, body.name)
            per = [int(counts.get((label, s.key), 0)) for s in SECTIONS]
            rows.append([label, *[str(n) if n else "—" for n in per], str(sum(per))])
        columns = ["主体", *[s.title_zh for s in SECTIONS], "合计"]
        return Table(f"表：{self.year}年各主体在各方面报告的指标数", columns, rows, set(range(1, len(columns))),
                     note="“—”表示该主体本年度在这一方面没有报告数字。")

    def coverage_frame(self) -> pd.DataFrame:
        """The coverage matrix itself, indicators × bodies, True where reported: for analysts to filter."""
        f = self.figures()
        labels = [self._label(b.district, b.name) for b in self.bodies]
        matrix = pd.crosstab(f["indicator"], f["label"]).reindex(columns=labels, fill_value=0) > 0
        return matrix.reindex([k for k in self._report_order() if k in matrix.index])

    def coverage_matrix(self) -> Table:
        """Which body reports which indicator, one row an indicator. A row lists its bodies rather than a
        column per body: twenty body columns squeeze the names to one character a line on paper."""
        matrix = self.coverage_frame()
        cat = self.dataset.catalogue
        rows = [[SECTION_BY_KEY[cat[key].section].title_zh, cat[key].name_zh, str(int(reported.sum())),
                 "、".join(label for label, yes in reported.items() if yes)] for key, reported in matrix.iterrows()]
        return Table(f"表：{self.year}年各指标由哪些主体报告", ["方面", "指标", "主体数", "报告的主体"], rows, {2})

    def comparisons(self) -> HtmlBlock:
        """For every indicator several bodies report: a sorted bar chart and, where it means something, a ranking."""
        blocks = [self.comparison(key) for key in self.compared_indicators()]
        if not blocks:
            return narrative.render("overview_no_comparison", year=self.year, min_bodies=MIN_BODIES_COMPARED)
        return join(*blocks)

    def comparison(self, key: str) -> HtmlBlock:
        f = self.figures()
        rows = f[f["indicator"] == key].sort_values(["value", "label"], ascending=[False, True])
        ind = self.dataset.catalogue[key]
        chart = charts.bar_chart(
            list(rows["label"]), list(rows["value"]), ind.measure,
            f"图：{self.year}年{ind.name_zh}（{ind.measure}），按数值从高到低",
            [_as_written(r) for r in rows.itertuples()])
        reason = no_ranking_reason(rows["value"], ind.kind)
        if reason:  # identical bars say nothing the sentence does not
            chart = None
        text = narrative.render("overview_comparison", name_zh=ind.name_zh,
                                section_zh=SECTION_BY_KEY[ind.section].title_zh, n_bodies=len(rows),
                                median=fmt_number(rows["value"].median()), measure=ind.measure,
                                no_ranking_reason=reason)
        return join(text, chart, None if reason else self.ranking_table(key))

    def ranking_table(self, key: str) -> Table:
        """Ranks with ties shared (two bodies at 12 are both 第2), qualifiers kept beside the number."""
        f = self.figures()
        rows = f[f["indicator"] == key].sort_values(["value", "label"], ascending=[False, True])
        ranks = rows["value"].rank(method="min", ascending=False).astype(int)
        ind = self.dataset.catalogue[key]
        body = [[f"第{rank}", r.label, fmt_number(r.value), r.expr or ""]
                for rank, r in zip(ranks, rows.itertuples(), strict=True)]
        return Table(f"表：{self.year}年{ind.name_zh}排名", ["名次", "主体", f"数值（{ind.measure}）", "原文表述"],
                     body, {2}, note="带“余”“近”“超”等限定词的数字按所写数字排名，实际数可能略有出入。")

    def flags(self) -> list[Flag]:
        """Figures of the group's year that look implausible: far from their peers, or far from last year."""
        return outlier_flags(self.dataset, self.year, self.bodies) + jump_flags(self.dataset, self.year, self.bodies)

    def flags_table(self) -> Table:
        cat = self.dataset.catalogue
        rows = [[self._label(fl.body.district, fl.body.name), cat[fl.indicator].name_zh,
                 fl.expr or fmt_number(fl.value), fl.reason_zh] for fl in self.flags()]
        return Table(f"表：{self.year}年需要核实的数字", ["主体", "指标", "原文表述", "为什么要核实"], rows,
                     note=("" if rows else "没有发现明显异常的数字。")
                     + f"同一指标与其他主体比较用稳健 z 分数（中位数与绝对中位差，|z| > {ROBUST_Z_LIMIT:g}，"
                       f"计数取对数，至少 {MIN_VALUES_FOR_OUTLIERS} 个数字才比较）；与本主体上年相比相差 "
                       f"{JUMP_FACTOR:g} 倍以上也列出。被列出不等于错误，请对照原文核实。")

    def trends(self) -> HtmlBlock:
        """Bodies of the group with several years of data: each indicator year by year, and a chart."""
        blocks = [self.trend(b) for b in self.bodies if len(self.dataset.years_of(b)) >= 2]
        if not blocks:
            return narrative.render("overview_no_trend", year=self.year)
        return join(*blocks)

    def trend(self, body: Body) -> HtmlBlock:
        years = [y for y in self.dataset.years_of(body) if y <= self.year]
        obs = self.dataset.observations
        rows = obs[(obs["district"] == body.district) & (obs["body"] == body.name) & obs["year"].isin(years)]
        wide = rows.pivot(index="indicator", columns="year", values="value")
        cat = self.dataset.catalogue
        keys = [k for k in cat if k in wide.index]
        label = self._label(body.district, body.name)
        table = Table(f"表：{label}各年度数字", ["指标", "计量", *[f"{y}年" for y in years]],
                      [[cat[k].name_zh, cat[k].measure, *[fmt_number(_or_none(wide.at[k, y])) for y in years]]
                       for k in keys], set(range(2, 2 + len(years))))
        if len(years) < 2:
            return join(table)
        previous, latest = years[-2], years[-1]
        both = [k for k in keys if cat[k].kind == "count"
                and not math.isnan(_nan(wide.at[k, previous])) and not math.isnan(_nan(wide.at[k, latest]))]
        chart = None
        if both:
            chart = charts.comparison_chart(
                [cat[k].name_zh for k in both], [float(wide.at[k, latest]) for k in both],
                [float(wide.at[k, previous]) for k in both], latest, previous, [cat[k].measure for k in both],
                f"图：{label}主要数字，{previous}年与{latest}年")
        return join(table, chart)

    # --- helpers -------------------------------------------------------------------------------
    def _report_order(self) -> list[str]:
        """Catalogue keys by report section, then catalogue order (rows appended later join their section)."""
        section_index = {s.key: i for i, s in enumerate(SECTIONS)}
        cat = self.dataset.catalogue
        return sorted(cat, key=lambda k: section_index[cat[k].section])  # sorted() is stable

    def _label(self, district: str, name: str) -> str:
        """'峰灵镇（巫溪县）': the district in brackets, since towns of the same name exist elsewhere; a
        district's own bracket (綦江区（万盛经开区）) is left out so labels stay short for 20+ bars."""
        return f"{name}（{re.sub(r'（[^）]*）', '', district)}）"


def select_group(dataset: Dataset, group: str) -> tuple[str, list[Body]]:
    """'all', a district (as written in the data), or comma-separated bodies → (label, bodies)."""
    text = group.strip()
    if text in ("", ALL_BODIES):
        return "全部主体", list(dataset.bodies)
    districts = {b.district for b in dataset.bodies}
    if text in districts:
        return text, [b for b in dataset.bodies if b.district == text]
    names = [n.strip() for n in re.split(r"[,，、]", text) if n.strip()]
    bodies = list(dict.fromkeys(dataset.find_body(n) for n in names))  # unknown or ambiguous → ParameterError
    return "、".join(b.name for b in bodies), bodies


def no_ranking_reason(values: pd.Series, kind: str) -> str:
    """Why a ranking would mean nothing, or '' when it means something."""
    if values.nunique() == 1:
        shown = fmt_number(values.iloc[0])
        return f"各主体均为{shown}{'%' if kind == 'rate' else ''}，不作排名"
    return ""


def robust_z(values: pd.Series) -> pd.Series:
    """Modified z-scores (median and median absolute deviation): one wild value cannot hide itself by
    inflating the spread, as it does with mean and standard deviation. NaN where the MAD is 0."""
    deviation = (values - values.median()).abs()
    mad = deviation.median()
    if mad == 0:
        return pd.Series(float("nan"), index=values.index)
    return MAD_TO_SIGMA * (values - values.median()) / mad


def outlier_flags(dataset: Dataset, year: int, bodies: tuple[Body, ...]) -> list[Flag]:
    """Values far from the same indicator's values of all bodies in the data (all years, more peers).

    Counts and amounts are compared on a log scale: a town of 80 000 people and one of 8 000 differ by
    a factor, not by an amount. Rates are compared as they are.
    """
    obs = dataset.observations
    wanted = {(b.district, b.name): b for b in bodies}
    flags = []
    for key, rows in obs.groupby("indicator", sort=False):
        if len(rows) < MIN_VALUES_FOR_OUTLIERS:
            continue
        kind = dataset.catalogue[key].kind
        scale = rows["value"] if kind == "rate" else rows["value"].map(math.log1p)
        z = robust_z(scale)
        median = rows["value"].median()
        for r, score in zip(rows.itertuples(), z, strict=True):
            body = wanted.get((r.district, r.body))
            if body is None or r.year != year or math.isnan(score) or abs(score) <= ROBUST_Z_LIMIT:
                continue
            side = "远高于" if score > 0 else "远低于"
            flags.append(Flag(body, year, key, r.value, r.expr, f"{side}其他 {len(rows) - 1} 个同类数字（中位数 "
                              f"{fmt_number(median)}，稳健 z = {score:.1f}）"))
    return flags


def jump_flags(dataset: Dataset, year: int, bodies: tuple[Body, ...]) -> list[Flag]:
    """Counts ten times (or a tenth of) the body's previous year with data: often a unit or scope change."""
    flags = []
    for body in bodies:
        previous = dataset.previous_year(body, year)
        if previous is None:
            continue
        before = dict(zip(*(dataset.rows_of(body, previous)[c] for c in ("indicator", "value")), strict=True))
        for r in dataset.rows_of(body, year).itertuples():
            old = before.get(r.indicator)
            if dataset.catalogue[r.indicator].kind == "rate" or not old or not r.value:
                continue
            factor = r.value / old
            if factor >= JUMP_FACTOR or factor <= 1 / JUMP_FACTOR:
                flags.append(Flag(body, year, r.indicator, r.value, r.expr,
                                  f"{previous}年为{fmt_number(old)}，本年是其{fmt_number(factor, 1)}倍；"
                                  "请核对计量单位或统计口径"))
    return flags


def _as_written(row) -> str:
    """The expression beside a bar when a qualifier bounds the number (300余人次 is not exactly 300)."""
    return f"原文{row.expr}" if row.qualifier in QUALIFIERS and row.expr else ""


def _nan(value) -> float:
    return float("nan") if pd.isna(value) else float(value)


def _or_none(value) -> float | None:
    return None if pd.isna(value) else float(value)
