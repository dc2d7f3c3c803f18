"""The annual report as the notebook shows it: one method per block, each returning displayable HTML.

The notebook stays thin (a cell calls one method); all choices of what to say live here and in the
narrative templates. Construct with `AnnualPage.load(year, unit, data_dir)`.
"""

from dataclasses import dataclass

import pandas as pd

from ..analysis.claims import STATUS_ZH
from ..analysis.year_statistics import YearStatistics, compute_year_statistics
from ..data.dataset import Dataset, load_dataset
from ..data.formatting import fmt_change, fmt_change_pct, fmt_number, fmt_pct, with_measure
from ..data.qualifiers import QUALIFIERS
from ..data.structure import SECTION_BY_KEY, sections_of
from . import charts, narrative
from .html_block import HtmlBlock, join
from .tables import Table

EVENT_MEASURES = {"次", "场", "场次", "期", "件", "起", "宗", "条", "项", "个", "名"}


@dataclass(frozen=True)
class AnnualPage:
    dataset: Dataset
    stats: YearStatistics

    @classmethod
    def load(cls, year: int, body: str, data_dir: str | None = None) -> "AnnualPage":
        """The page of `body` (as the notebook parameter names it) for `year`."""
        dataset = load_dataset(data_dir)
        body = dataset.find_body(body)
        if year not in dataset.years_of(body):
            from ..errors import ParameterError

            years = "、".join(str(y) for y in dataset.years_of(body))
            raise ParameterError(f"{body.short_name}没有{year}年的数据。已有年度: {years}")
        return cls(dataset, compute_year_statistics(dataset, body, year))

    # --- blocks the notebook shows -------------------------------------------------------------
    def cover(self) -> HtmlBlock:
        s = self.stats
        rows = self._current_rows()
        sources = sorted(set(rows["source"]))
        return narrative.render("cover", body=s.body, year=s.year, sources=sources, n_stated=len(rows))

    def summary(self) -> HtmlBlock:
        s = self.stats
        stated = s.figures[~s.figures["derived"]]
        changes = stated["change"].dropna()
        claims = s.claims
        titles = [SECTION_BY_KEY[k].title_zh for k in dict.fromkeys(stated["section"])]
        text = narrative.render(
            "summary", body=s.body, year=s.year, previous_year=s.previous_year, n_stated=len(stated),
            section_titles=titles, claims=claims,
            n_consistent=sum(c.status == "consistent" for c in claims),
            n_inconsistent=sum(c.status == "inconsistent" for c in claims),
            n_unverifiable=sum(c.status == "unverifiable" for c in claims),
            n_up=int((changes > 0).sum()), n_down=int((changes < 0).sum()), n_flat=int((changes == 0).sum()),
        )
        return join(text, self.key_figures_table())

    def key_figures_table(self) -> Table:
        """The headline counts of every section (rates and derived totals left to their sections)."""
        f = self.stats.figures
        key = f[(f["kind"] == "count") & ~f["derived"]]
        rows = [[SECTION_BY_KEY[r.section].title_zh, r.name_zh, _shown(r), r.measure] for r in key.itertuples()]
        return Table(f"{self.stats.year}年主要数字一览", ["方面", "指标", "数值", "计量"], rows, {2})

    def part_sections(self, part: str) -> HtmlBlock:
        """Every topic section of a part, each with narrative, table and chart (or a plain 'no data')."""
        return join(*(self.section(s.key) for s in sections_of(part)))

    def section(self, key: str) -> HtmlBlock:
        s, section = self.stats, SECTION_BY_KEY[key]
        figures = s.section_figures(key)
        stated = figures[~figures["derived"]]
        names = {k: i.name_zh for k, i in self.dataset.catalogue.items()}
        derived = [{"name_zh": d.name_zh, "shown": _derived_shown(d.value, d.measure), "formula_zh": d.formula_zh}
                   for d in s.derived if d.section == key and not d.key.endswith("_computed")]
        totals = figures[figures["derived"]]
        derived += [{"name_zh": r.name_zh, "shown": f"{fmt_number(r.value)}{r.measure}", "formula_zh": "由组成指标相加"}
                    for r in totals.itertuples()]
        claims = [{"name_zh": names[c.indicator], "status_zh": STATUS_ZH[c.status], "explanation_zh": c.explanation_zh}
                  for c in s.claims if self.dataset.catalogue[c.indicator].section == key]
        changes = [{"name_zh": r.name_zh, "shown": _change_shown(r)} for r in stated.itertuples()
                   if pd.notna(r.change)]
        text = narrative.render(
            "section", section=section, body=s.body, year=s.year, previous_year=s.previous_year,
            figures=[{"name_zh": r.name_zh, "shown": _shown(r)} for r in stated.itertuples()],
            derived=derived, claims=claims, changes=changes,
        )
        if stated.empty:
            return text
        return join(text, self.section_table(key), self.section_chart(key))

    def section_table(self, key: str) -> Table:
        s = self.stats
        figures = s.section_figures(key)
        title = SECTION_BY_KEY[key].title_zh
        if s.previous_year:
            columns = ["指标", "数值", "计量", "原文表述", f"{s.previous_year}年", "变化", "变化率"]
            rows = [[r.name_zh, fmt_number(r.value), r.measure, r.expr or "（计算）", fmt_number(r.previous_value),
                     fmt_change(r.change, r.measure), fmt_change_pct(r.change_pct)] for r in figures.itertuples()]
            return Table(f"表：{s.year}年{title}数字（与{s.previous_year}年比较）", columns, rows, {1, 4, 5, 6})
        columns = ["指标", "数值", "计量", "原文表述"]
        rows = [[r.name_zh, fmt_number(r.value), r.measure, r.expr or "（计算）"] for r in figures.itertuples()]
        return Table(f"表：{s.year}年{title}数字", columns, rows, {1}, note="无上年数据，不作同比。")

    def section_chart(self, key: str) -> charts.Chart | None:
        """A chart where it says more than the table: the dispute funnel, or counts that share one measure
        (54次 beside 0起 on one axis would compare unlike things), this year alone or beside last year."""
        s = self.stats
        figures = s.section_figures(key)
        counts = figures[(figures["kind"] == "count") & figures["measure"].isin(EVENT_MEASURES) & ~figures["derived"]]
        title = SECTION_BY_KEY[key].title_zh
        if key == "disputes" and {"disputes_received_count", "disputes_resolved_count"} <= set(figures["indicator"]):
            return self._dispute_funnel()
        if s.previous_year:
            both = _largest_measure_group(counts.dropna(subset=["previous_value"]), min_rows=1)
            if both is not None:
                return charts.comparison_chart(
                    list(both["name_zh"]), list(both["value"]), list(both["previous_value"]), s.year,
                    s.previous_year, list(both["measure"]),
                    f"图：{title}主要数字（单位：{both['measure'].iloc[0]}），{s.previous_year}年与{s.year}年")
        group = _largest_measure_group(counts[counts["value"] > 0], min_rows=2)
        if group is None:
            return None
        measure = group["measure"].iloc[0]
        return charts.bar_chart(list(group["name_zh"]), list(group["value"]), measure,
                                f"图：{s.year}年{title}主要数字（单位：{measure}）")

    def _dispute_funnel(self) -> charts.Chart:
        s = self.stats
        steps = [("disputes_received_count", "排查受理"), ("disputes_mediated_count", "调解"),
                 ("disputes_resolved_count", "调解成功")]
        present = [(label, s.value(k)) for k, label in steps if s.value(k) is not None]
        received = present[0][1] or 0
        notes = ["" if i == 0 or not received else f"占受理{fmt_pct(100 * v / received)}"
                 for i, (_, v) in enumerate(present)]
        return charts.bar_chart([p[0] for p in present], [p[1] for p in present], "件",
                                f"图：{s.year}年矛盾纠纷排查受理、调解与调解成功件数", notes)

    def claims_table(self) -> Table:
        """Every stated rate or total checked against the report's own counts."""
        s = self.stats
        names = {k: i.name_zh for k, i in self.dataset.catalogue.items()}
        rows = [[names[c.indicator], c.stated.expr or fmt_number(c.stated.value),
                 fmt_pct(c.computed) if c.computed is not None and self.dataset.catalogue[c.indicator].kind == "rate"
                 else fmt_number(c.computed), STATUS_ZH[c.status], c.explanation_zh] for c in s.claims]
        return Table(f"表：{s.year}年报告所述比率与合计的核对", ["指标", "报告所述", "按数字计算", "结论", "说明"],
                     rows, {2}, note="" if rows else "本年度没有可核对的比率或合计。")

    def shortcomings(self) -> HtmlBlock:
        s = self.stats
        f = s.figures
        stated = f[~f["derived"]]
        names = {k: i.name_zh for k, i in self.dataset.catalogue.items()}
        declines = [{"name_zh": r.name_zh, "shown": _change_shown(r)} for r in stated.itertuples()
                    if pd.notna(r.change) and r.change < 0 and r.kind != "rate"]
        inconsistent = [{"name_zh": names[c.indicator], "explanation_zh": c.explanation_zh}
                        for c in s.claims if c.status == "inconsistent"]
        below_full = [{"name_zh": r.name_zh, "shown": _shown(r)} for r in stated.itertuples()
                      if r.kind == "rate" and r.value < 100 and r.qualifier not in ("以上", "不少于", "超", "余")]
        present = set(stated["section"])
        missing = [sec.title_zh for sec in sections_of("measures") if sec.key not in present]
        return narrative.render("shortcomings", previous_year=s.previous_year, declines=declines,
                                inconsistent=inconsistent, below_full=below_full, missing_sections=missing)

    def next_year(self) -> HtmlBlock:
        s = self.stats
        f = s.figures
        base = f[(f["kind"].isin(["count", "amount"])) & ~f["derived"]]
        rows = [[SECTION_BY_KEY[r.section].title_zh, r.name_zh, _shown(r)] for r in base.itertuples()]
        table = Table(f"表：{s.year + 1}年工作安排可参考的{s.year}年基数", ["方面", "指标", f"{s.year}年"], rows, {2})
        return join(narrative.render("next_year", year=s.year), table)

    def other(self) -> HtmlBlock:
        used = [QUALIFIERS[q] for q in dict.fromkeys(self._current_rows()["qualifier"]) if q in QUALIFIERS]
        return join(narrative.render("other", qualifiers=used), self.claims_table())

    def peers(self) -> HtmlBlock:
        """Where the body stands among its district's bodies, like with like (pages/peers_block.py)."""
        from .peers_block import peers_block

        return peers_block(self.dataset, self.stats.body, self.stats.year)

    # --- for analysts --------------------------------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """The year's statistics as a DataFrame, to sort, filter or export."""
        return self.stats.figures

    def _current_rows(self) -> pd.DataFrame:
        return self.dataset.rows_of(self.stats.body, self.stats.year)


def _largest_measure_group(frame: pd.DataFrame, min_rows: int) -> pd.DataFrame | None:
    """The rows of the measure most indicators share (first in catalogue order on a tie), if enough."""
    if frame.empty:
        return None
    sizes = frame.groupby("measure", sort=False).size()
    measure = sizes.idxmax()
    return frame[frame["measure"] == measure] if sizes[measure] >= min_rows else None


def _shown(row) -> str:
    """A stated figure as the report wrote it, else formatted with its measure."""
    if getattr(row, "expr", ""):
        return row.expr
    return with_measure(row.value, row.measure, row.qualifier or None)


def _derived_shown(value: float, measure: str) -> str:
    return fmt_pct(value) if measure == "%" else f"{value:.2f}{measure}"


def _change_shown(row) -> str:
    if row.change == 0:
        return "持平"
    verb = "增加" if row.change > 0 else "减少"
    unit = "个百分点" if row.measure == "%" else row.measure
    pct = "" if pd.isna(row.change_pct) else f"（{fmt_change_pct(row.change_pct)}）"
    return f"{verb}{fmt_number(abs(row.change))}{unit}{pct}"

