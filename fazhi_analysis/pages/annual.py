"""One body's annual page as the notebook shows it: one method per block, each returning displayable HTML.

The page follows the report it comes from: the five mandated parts as the frame, inside a part the
report's own sub-headings in its order, each figure under its own label and measure word as written.
The notebook stays thin (a cell calls one method); what to say lives here and in the narrative
templates. Construct with `AnnualPage.load(year, body, data_dir)`.
"""

from dataclasses import dataclass

import pandas as pd

from ..analysis import suggestions
from ..analysis.claims import ClaimCheck
from ..analysis.completeness import missing_items
from ..analysis.year_statistics import YearStatistics, compute_year_statistics
from ..data.dataset import Dataset, load_dataset
from ..data.formatting import fmt_change, fmt_change_pct
from ..data.qualifiers import QUALIFIERS
from ..data.structure import PART_BY_KEY, SECTION_BY_KEY, part_text
from . import charts, narrative
from .html_block import HtmlBlock, join
from .tables import Table

EVENT_MEASURES = {"次", "场", "场次", "期", "件", "起", "宗", "条", "项", "个", "名", "人", "人次", "份"}
MIN_BARS = 3  # two bars say no more than the sentence beside them


@dataclass(frozen=True)
class AnnualPage:
    dataset: Dataset
    stats: YearStatistics

    @classmethod
    def load(cls, year: int, body: str, data_dir: str | None = None) -> "AnnualPage":
        """The page of `body` (as the notebook parameter names it) for `year`."""
        dataset = load_dataset(data_dir)
        found = dataset.find_body(body)
        if year not in dataset.years_of(found):
            from ..errors import ParameterError

            years = "、".join(str(y) for y in dataset.years_of(found))
            raise ParameterError(f"{found.short_name}没有{year}年的数据。已有年度: {years}")
        return cls(dataset, compute_year_statistics(dataset, found, year))

    # --- blocks the notebook shows -------------------------------------------------------------
    def cover(self) -> HtmlBlock:
        s = self.stats
        return narrative.render("cover", body=s.body, year=s.year, sources=self._sources(), n_stated=len(s.figures))

    def summary(self) -> HtmlBlock:
        """总体情况: how many figures each part states, the rate checks in a sentence, and, once for the page,
        whether last year can be compared; then every figure in one table, grouped by part."""
        s = self.stats
        per_part = [(PART_BY_KEY[p].short_zh, n) for p, n in s.figures.groupby("part", sort=False).size().items()]
        claims = s.claims
        changes = s.figures["change"].dropna()
        text = narrative.render(
            "summary", body=s.body, year=s.year, previous_year=s.previous_year, n_stated=len(s.figures),
            per_part=per_part, claims=[_claim_view(c, self._label_of(c.indicator)) for c in claims],
            n_consistent=sum(c.status == "consistent" for c in claims),
            n_inconsistent=sum(c.status == "inconsistent" for c in claims),
            n_unverifiable=sum(c.status == "unverifiable" for c in claims),
            n_compared=len(changes), n_up=int((changes > 0).sum()), n_down=int((changes < 0).sum()),
            n_flat=int((changes == 0).sum()),
        )
        return join(text, self.key_figures_table())

    def key_figures_table(self) -> Table:
        """Every figure the report states, grouped by part, as written."""
        s = self.stats
        rows, last = [], ("", "")
        for r in s.figures.itertuples():  # a part or sub-heading is named once, where it starts
            rows.append([PART_BY_KEY[r.part].short_zh if r.part != last[0] else "",
                         r.heading if (r.part, r.heading) != last else "", r.label, r.expr])
            last = (r.part, r.heading)
        return Table(f"表：{s.year}年报告所列数字一览（共{len(rows)}项）", ["部分", "小标题", "事项", "报告所述"],
                     rows, {3})

    def part(self, part_key: str) -> HtmlBlock:
        """One mandated part: the report's sub-headings in its order, each with a paragraph written from its
        figures (and last year's), a comparison table when last year exists, and a chart where one says
        more than the sentence; then, for part 一, one line naming topics with no figure at all."""
        figures = self.stats.in_part(part_key)
        blocks = [self._group(heading, group) for heading, group in figures.groupby("heading", sort=False)]
        if part_key == "measures":
            blocks.append(self._missing_topics())
        if figures.empty and part_key != "measures":
            blocks.append(narrative.render("no_figures", year=self.stats.year))
        return join(*blocks)

    def shortcomings(self) -> HtmlBlock:
        """Part 三: candidates drawn from the report's own figures, each marked for the office to check
        (the Word draft carries the same list)."""
        proposals = suggestions.shortcomings(self.dataset, self.stats)
        return narrative.render("proposals", lead="以下几点由报告所列数字得出，供撰写“存在的不足和原因”时核实采用。",
                                proposals=[p.marked for p in proposals],
                                fallback="报告所列数字未显示下降或前后不符之处。")

    def next_year(self) -> HtmlBlock:
        """Part 四: measurable targets from this year's figures and the report's own commitments, marked."""
        proposals = suggestions.targets(self.dataset, self.stats)
        lead = f"以下{self.stats.year + 1}年目标由报告所列数字和报告自身的工作安排得出，供领导研究确定。"
        return narrative.render("proposals", lead=lead, proposals=[p.marked for p in proposals],
                                fallback="报告所列数字中没有可据以设定目标的活动次数。")

    def other(self) -> HtmlBlock:
        """Part 五 says what the report says there (峡口镇 2023: 无。), when the report's text is kept."""
        texts = [t for t in (self.dataset.raw_text(src) for src in dict.fromkeys(self.stats.figures["source"])) if t]
        stated = next((part_text(t, "other") for t in texts if part_text(t, "other") is not None), None)
        return narrative.render("other", stated=stated)

    def notes(self) -> HtmlBlock:
        """说明 at the end: what the qualifiers mean and how each stated rate was checked."""
        used = [QUALIFIERS[q] for q in dict.fromkeys(self.stats.figures["qualifier"]) if q in QUALIFIERS]
        return join(narrative.render("notes", qualifiers=used, sources=self._sources(), missing=self.missing_items()),
                    self.claims_table())

    def missing_items(self) -> list[str]:
        """Expected items the year's data gives no figure for: what to collect before the report is sent."""
        sections = {k: i.section for k, i in self.dataset.catalogue.items()}
        return [item.name_zh for item in missing_items(self.stats.figures, sections)]

    def claims_table(self) -> Table:
        """Every stated rate or total checked against the report's own counts."""
        s = self.stats
        rows = [[self._label_of(c.indicator), c.stated.expr, _claim_view(c, "")["verdict"]] for c in s.claims]
        return Table(f"表：{s.year}年报告所述比率的核对", ["事项", "报告所述", "核对"], rows,
                     note="" if rows else "本年度报告没有可核对的比率。")

    def peers(self) -> HtmlBlock:
        """Where the body stands among its district's bodies, like with like (pages/peers_block.py)."""
        from .peers_block import peers_block

        return peers_block(self.dataset, self.stats.body, self.stats.year)

    # --- for analysts --------------------------------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """The year's figures as a DataFrame, to sort, filter or export."""
        return self.stats.figures

    def chart(self, heading: str) -> charts.Chart | None:
        """The chart of one sub-heading's figures (as the page draws it), for exploring."""
        return self._chart(self.stats.figures[self.stats.figures["heading"] == heading], heading)

    # --- pieces ----------------------------------------------------------------------------------
    def _group(self, heading: str, group: pd.DataFrame) -> HtmlBlock:
        s = self.stats
        indicators = set(group["indicator"]) - {""}
        claims = [_claim_view(c, self._label_of(c.indicator)) for c in s.claims if c.indicator in indicators]
        derived = [d.sentence_zh for d in s.derived
                   if d.key == "caseload_per_mediator" and {"disputes_received_count", "mediators_count"} <= indicators]
        unchecked = {c["label"]: c["verdict"] for c in claims if c["status"] == "unverifiable"}
        topics = [[r.shown + (f"（{unchecked[r.label]}）" if r.label in unchecked and r.indicator else "")
                   for r in rows.itertuples()] for _, rows in group.groupby("topic", sort=False)]
        claims = [c for c in claims if c["status"] != "unverifiable"]
        changes = [{"label": r.label, "shown": _change_shown(r)} for r in group.itertuples() if pd.notna(r.change)]
        text = narrative.render("group", heading=heading, title=_group_title(next(group.itertuples())),
                                year=s.year, topics=topics, derived=derived, claims=claims,
                                previous_year=s.previous_year, changes=changes)
        table = self._comparison_table(heading, group) if s.previous_year else None
        return join(text, table, self._chart(group, heading))

    def _comparison_table(self, heading: str, group: pd.DataFrame) -> Table:
        s = self.stats
        rows = [[r.label, r.expr, r.previous_expr or "—",
                 fmt_change(r.change, r.measure), fmt_change_pct(r.change_pct)] for r in group.itertuples()]
        title = heading or _group_title(next(group.itertuples()))
        return Table(f"表：{title}（{s.year}年与{s.previous_year}年）",
                     ["事项", f"{s.year}年", f"{s.previous_year}年", "变化", "变化率"], rows, {1, 2, 3, 4})

    def _chart(self, group: pd.DataFrame, heading: str) -> charts.Chart | None:
        """A chart only where it says more than the sentence: the dispute funnel, or at least MIN_BARS counts
        in one measure word (54次 beside 0起 on one axis would compare unlike things)."""
        s = self.stats
        if {"disputes_received_count", "disputes_resolved_count"} <= set(group["indicator"]):
            return self._dispute_funnel(group)
        counts = group[(group["kind"] == "count") & group["measure"].isin(EVENT_MEASURES) & (group["value"] > 0)]
        if counts.empty:
            return None
        measure = counts.groupby("measure", sort=False).size().idxmax()
        same = counts[counts["measure"] == measure]
        title = heading or _group_title(next(group.itertuples()))
        if s.previous_year and same["previous_value"].notna().sum() >= 2:
            both = same.dropna(subset=["previous_value"])
            return charts.comparison_chart(list(both["label"]), list(both["value"]), list(both["previous_value"]),
                                           s.year, s.previous_year, list(both["measure"]),
                                           f"图：{title}（单位：{measure}），{s.previous_year}年与{s.year}年")
        if len(same) < MIN_BARS:
            return None
        return charts.bar_chart(list(same["label"]), list(same["value"]), measure,
                                f"图：{s.year}年{'、'.join(same['label'])}（单位：{measure}）")

    def _dispute_funnel(self, group: pd.DataFrame) -> charts.Chart:
        s = self.stats
        by_key = {r.indicator: r for r in group.itertuples()}
        steps = [by_key[k] for k in ("disputes_received_count", "disputes_mediated_count", "disputes_resolved_count")
                 if k in by_key]
        received = steps[0].value or 0
        notes = ["" if i == 0 or not received else f"占受理{100 * r.value / received:.1f}%"
                 for i, r in enumerate(steps)]
        return charts.bar_chart([r.label for r in steps], [r.value for r in steps], "件",
                                f"图：{s.year}年{'、'.join(r.label for r in steps)}件数", notes)

    def _missing_topics(self) -> HtmlBlock:
        return narrative.render("missing_topics", year=self.stats.year, titles=self.missing_items())

    def _label_of(self, indicator: str) -> str:
        row = self.stats.figures[self.stats.figures["indicator"] == indicator]
        return row["label"].iloc[0] if not row.empty else self.dataset.catalogue[indicator].name_zh

    def _sources(self) -> list[dict]:
        """The reports this page's figures come from, by title (and date or address), never a file path."""
        shown = []
        for source in dict.fromkeys(self.stats.figures["source"]):
            known = self.dataset.sources.get(source)
            if known:
                shown.append({"title": known.title, "published": known.published, "url": known.url})
            elif source.startswith(("http://", "https://")):
                shown.append({"title": "", "published": "", "url": source})
            else:
                shown.append({"title": f"{self.stats.body.full_name}{self.stats.year}年法治政府建设情况报告",
                              "published": "", "url": ""})
        return shown


def _group_title(row) -> str:
    """A figure's sub-heading as the report wrote it, else its topic, else the part."""
    if row.heading:
        return row.heading
    if row.topic:
        return SECTION_BY_KEY[row.topic].title_zh
    return PART_BY_KEY[row.part].title_zh


def _claim_view(check: ClaimCheck, label: str) -> dict:
    verdict = check.explanation_zh
    return {"label": label, "status": check.status, "verdict": verdict, "expr": check.stated.expr}


def _change_shown(row) -> str:
    if row.change == 0:
        return "持平"
    verb = "增加" if row.change > 0 else "减少"
    unit = "个百分点" if row.measure == "%" else row.measure
    pct = "" if pd.isna(row.change_pct) else f"（{fmt_change_pct(row.change_pct)}）"
    number = f"{abs(row.change):g}"
    return f"{verb}{number}{unit}{pct}"

