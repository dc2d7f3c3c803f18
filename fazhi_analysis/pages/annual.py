"""One body's annual page as the notebook shows it: one method per block, each returning displayable HTML.

The page quotes; it does not paraphrase. The five mandated parts are the frame; inside a part, the report's
own sub-headings in its order; under each, the report's own clauses that state figures, verbatim, with the
figures marked out (analysis/report_year.py). A figure whose clause is not held stands in a plain table as
named, never in a sentence of the tool's. Parts 三 to 五 are the report's own text when it is kept. What the
data lacks, the rate checks and the meaning of the qualifiers are said once, in 说明. The notebook stays thin
(a cell calls one method); every sentence pattern lives in the wording file. Construct with
`AnnualPage.load(year, body, data_dir)`.
"""

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..analysis import suggestions
from ..analysis.report_year import ReportYear, Section, build_report_year
from ..analysis.year_statistics import YearStatistics, compute_year_statistics
from ..data.dataset import Dataset
from ..data.formatting import fmt_change, fmt_change_pct
from ..data.qualifiers import QUALIFIERS, number_start
from ..data.rules import year_without_data
from ..data.scoped import dataset_for_body
from ..data.structure import PART_BY_KEY
from ..data.vocabulary import NUMERAL, measure_kind, same_place
from ..wording import say
from . import charts, narrative
from .html_block import HtmlBlock, join
from .tables import Table

RUN_ON_PARTS = ("next_year", "other")  # printed on from the part before, not from a fresh page


@dataclass(frozen=True)
class AnnualPage:
    dataset: Dataset
    stats: YearStatistics

    @classmethod
    def load(cls, year: int, body: str, data_dir: str | None = None) -> "AnnualPage":
        """The page of `body` (as the notebook parameter names it) for `year`."""
        dataset, found = dataset_for_body(body, data_dir)  # past a district's size: its district's rows only
        if year not in dataset.years_of(found):
            raise year_without_data(found.short_name, year, dataset.years_of(found))
        return cls(dataset, compute_year_statistics(dataset, found, year))

    @cached_property
    def report(self) -> ReportYear:
        """The year as its report stated it: what this page and the Word draft both read."""
        return build_report_year(self.dataset, self.stats.body, self.stats.year, self.stats)

    # --- blocks the notebook shows -------------------------------------------------------------
    def cover(self) -> HtmlBlock:
        s = self.stats
        n, n_named = len(s.figures), int((s.figures["statement"] == "").sum())
        counted = {"n": self._numbers().sum(), "wordless": self._wordless()}
        quoted = "page.cover.scope_quoted" if self.report.report_text else "page.cover.scope_quoted_clauses"
        scope = (say("page.cover.scope_named", **counted) if n_named == n else
                 say(quoted, marked=self._marked(), **counted) if n_named == 0 else
                 say("page.cover.scope_mixed", n_named=n_named, marked=self._marked(), **counted))
        return narrative.render("cover", body=s.body, year=s.year, sources=self._sources(), scope=scope,
                                issuer=self._issuer())

    def summary(self) -> HtmlBlock:
        """总体情况: how many figures each part states and, once for the page, whether last year can be
        compared; then every figure in one table, grouped by part."""
        s = self.stats
        per_part = "，".join(say("page.summary.per_part", part=PART_BY_KEY[p].short_zh, n=n)
                             for p, n in s.figures[self._numbers()].groupby("part", sort=False).size().items())
        counts = "page.summary.counts" if self.report.quoted else "page.summary.counts_recorded"
        sentences = [say(counts, year=s.year, body=s.body.name, n=self._numbers().sum(), wordless=self._wordless(),
                         per_part=per_part)]
        sentences += [say("page.summary.published_early", date=d) for d in self._early_sources()]
        sentences.append(self._previous_year_sentence())
        if self.report.report_text is None:
            sentences.append(say("page.summary.text_not_held"))
        inconsistent = sum(c.status == "inconsistent" for c in s.claims)
        if inconsistent:
            sentences.append(say("page.summary.inconsistent", n=inconsistent))
        return join(narrative.render("summary", sentences=sentences), self.key_figures_table())

    def key_figures_table(self) -> Table:
        """Every figure the report states, grouped by part, as written."""
        s = self.stats
        rows, last = [], ("", "")
        for r in s.figures.itertuples():  # a part or sub-heading is named once, where it starts
            rows.append([PART_BY_KEY[r.part].short_zh if r.part != last[0] else "",
                         short_heading(r.heading) if (r.part, r.heading) != last else "", r.label, r.expr])
            last = (r.part, r.heading)
        columns = ["部分", "小标题", "事项", "报告所述"]
        key = "page.summary.table_caption" if self.report.report_text else "page.summary.table_caption_recorded"
        caption = say(key, year=s.year, n=self._numbers().sum(), wordless=self._wordless())
        return Table(caption, columns, rows, {3})

    def _numbers(self) -> pd.Series:
        """Which figures are written with a number (未发生 is a figure of the report, but not a number)."""
        return self.stats.figures["expr"].str.contains(NUMERAL, regex=True)

    def _wordless_exprs(self) -> str:
        """“未发生”: the figures written without a number, as written, each once."""
        return "、".join(f"“{e}”" for e in dict.fromkeys(self.stats.figures.loc[~self._numbers(), "expr"]))

    def _wordless(self) -> str:
        """，另有“未发生”的表述1处: the figures written without a number, so a count of 数字 stays true."""
        n = int((~self._numbers()).sum())
        return say("page.summary.wordless", exprs=self._wordless_exprs(), n=n) if n else ""

    def _marked(self) -> str:
        """What the page sets in bold: 数字, and 未发生 too when the report states one (a reader told only
        数字 are bold would take a bold 未发生 for a number)."""
        exprs = self._wordless_exprs()
        return say("page.cover.marked_wordless", exprs=exprs) if exprs else say("page.cover.marked")

    def part(self, part_key: str) -> HtmlBlock:
        """One mandated part: the report's sub-headings in its order, each with the clauses that state its
        figures (figures marked), figures without a clause in a table, last year's same items where they
        exist, and a chart where one says more than the clauses."""
        view = self.report.parts[part_key]
        if not view.sections:
            none = "page.part.no_figures" if self.report.report_text else "page.part.none_recorded"
            return join(self.heading(part_key), narrative.render("note", text=say(none)))
        return join(self.heading(part_key), *(self._section(section) for section in view.sections))

    def heading(self, part_key: str) -> HtmlBlock:
        """A mandated part's heading as the report wrote it (its year and words), else the mandated title."""
        # in print, parts 四 and 五 (the town's short text) run on after part 三 instead of each taking a page
        return narrative.render("part_heading", title=self.report.parts[part_key].title,
                                runs_on=part_key in RUN_ON_PARTS)

    def shortcomings(self) -> HtmlBlock:
        """Part 三: the town's own 不足, quoted (the items that fell against last year are noted in 说明)."""
        return join(self.heading("shortcomings"), self._own_text("shortcomings"))

    def next_year(self) -> HtmlBlock:
        """Part 四: the town's own arrangements, quoted, and nothing else: the page's suggestions, drawn only
        from them and from the district's same figures, are in 说明 (`advice`)."""
        return join(self.heading("next_year"), self._own_text("next_year"))

    def advice(self) -> HtmlBlock:
        """For whoever writes next year's report, in 说明 and never inside the town's parts: the items that
        fell against last year (to explain in part 三), and suggestions drawn only from part 四's own
        arrangements and from the same figures of the district's other bodies, each with its basis."""
        declines = suggestions.shortcomings(self.report)
        lead = say("page.shortcomings.declines_lead", previous=self.stats.previous_year) if declines else ""
        blocks = [narrative.render("proposals", lead=lead, proposals=[p.with_basis for p in declines])]
        proposals = self.proposals()
        if proposals and self.stats.year + 1 in self.dataset.years_of(self.stats.body):
            # next year's report is held: advice for writing it would be stale (a reviewer read an undated
            # 编写2024年度报告时可参考 as advice that outlives the report it is for)
            blocks.append(narrative.render("note", text=say("page.notes.proposals_done", next=self.stats.year + 1,
                                                             body=self.stats.body.name)))
        elif proposals:
            basis = say("page.notes.proposals_basis_" + "_".join(sorted({p.source for p in proposals})),
                        same=same_place(self.stats.body.district))
            blocks.append(narrative.render("proposals", proposals=[p.with_basis for p in proposals],
                                           lead=say("page.notes.proposals_lead", next=self.stats.year + 1,
                                                    basis=basis)))
        return join(*blocks)

    def other(self) -> HtmlBlock:
        """Part 五 says what the report says there (峡口镇 2023: 无。), when the report's text is kept."""
        return join(self.heading("other"), self._own_text("other"))

    def notes(self) -> HtmlBlock:
        """说明, said once for the page: sources, how quotes and names are shown, what the data lacks, what
        the qualifiers mean (with this report's own examples), and how each stated rate was checked."""
        r = self.report
        items = [say("page.notes.source", sources="、".join(_source_name(x) for x in self._sources()))]
        if r.quoted:
            items.append(say("page.notes.quoted", marked=self._marked()))
        if (self.stats.figures["statement"] == "").any():
            items.append(say("page.notes.named"))
        if r.missing:
            missing = "page.notes.missing" if r.report_text else "page.notes.missing_recorded"
            items.append(say(missing, items="、".join(r.missing)))
        items += self._qualifier_notes()
        return join(narrative.render("notes", items=items), self.claims_table(), self.advice())

    def missing_items(self) -> list[str]:
        """Expected items the year's data gives no figure for: what to collect before the report is sent."""
        return list(self.report.missing)

    def claims_table(self) -> Table:
        """Every stated rate or total checked against the report's own counts."""
        s = self.stats
        rows = [[self._label_of(c.indicator), c.stated.expr, c.explanation_zh] for c in s.claims]
        checked = {c.indicator for c in s.claims}
        held = self.report.report_text is not None  # else only what was recorded can be spoken of
        rows += [[r.label, r.expr, say("check.no_terms" if held else "check.no_terms_recorded", name=r.label)]
                 for r in s.figures.itertuples() if r.measure == "%" and r.indicator not in checked]
        return Table(say("page.notes.claims_caption", year=s.year), ["事项", "报告所述", "核对"], rows,
                     note="" if rows else say("page.notes.no_claims" if held else "page.notes.no_claims_recorded"))

    def peers(self) -> HtmlBlock:
        """Where the body stands among its district's bodies, like with like (pages/peers_block.py)."""
        from .peers_block import peers_block

        return peers_block(self.dataset, self.stats.body, self.stats.year)

    def proposals(self) -> list[suggestions.Proposal]:
        """Part 四's suggestions (the Word draft shows the same)."""
        return suggestions.targets(self.dataset, self.report)

    # --- for analysts --------------------------------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """The year's figures as a DataFrame, to sort, filter or export."""
        return self.stats.figures

    def derived_ratios(self) -> pd.DataFrame:
        """Ratios of the report's own counts that the report does not state: analyst material only, never
        on the leadership page (排查受理矛盾纠纷件数与人民调解员人数之比 is not a caseload per mediator)."""
        return pd.DataFrame([{"比率": d.sentence_zh, "数值": d.value, "说明": "报告未列，由报告所列数字计算，仅供分析"}
                             for d in self.stats.derived], columns=["比率", "数值", "说明"])

    def chart(self, heading: str) -> charts.Chart | None:
        """The chart of one sub-heading's figures (as the page draws it), for exploring."""
        return self._chart(self.stats.figures[self.stats.figures["heading"] == heading], heading)

    # --- pieces ----------------------------------------------------------------------------------
    def _section(self, section: Section) -> HtmlBlock:
        s = self.stats
        unquoted = None
        if len(section.unquoted):
            unquoted = Table(say("page.part.unquoted_caption", title=section.title), ["事项", "报告所述"],
                             [[r.label, r.expr] for r in section.unquoted.itertuples()], {1})
        text = narrative.render("quotes", heading=section.heading, quotes=section.quotes)
        table = self._comparison_table(section) if s.previous_year and section.figures["change"].notna().any() \
            else None
        return join(text, unquoted, table, self._chart(section.figures, section.title))

    def _own_text(self, part_key: str) -> HtmlBlock:
        view = self.report.parts[part_key]
        if view.text is None:
            return narrative.render("note", text=say("page.part.text_not_held"))
        return narrative.render("own_text", paragraphs=view.marked_paragraphs())

    def _previous_year_sentence(self) -> str:
        s = self.stats
        if not s.previous_year:
            return say("page.summary.no_previous", body=s.body.name, previous=s.year - 1)
        changes = s.figures["change"].dropna()
        if changes.empty:
            return say("page.summary.previous_none", body=s.body.name, previous=s.previous_year)
        moves = "，".join(say(f"page.summary.{k}", n=n) for k, n in
                         (("up", int((changes > 0).sum())), ("down", int((changes < 0).sum())),
                          ("flat", int((changes == 0).sum()))) if n)
        return say("page.summary.previous", previous=s.previous_year, n=len(changes), moves=moves)

    def _qualifier_notes(self) -> list[str]:
        """What each qualifier this report uses means, with this report's own expressions as examples."""
        f = self.stats.figures
        out = []
        for text in dict.fromkeys(f["qualifier"]):
            if text in QUALIFIERS:
                # the number as qualified (约2.7万方), not the work words before it (全部)
                examples = "、".join(dict.fromkeys(e[number_start(e):] for e in f.loc[f["qualifier"] == text, "expr"]))
                out.append(say("page.notes.qualifier", text=text, meaning=QUALIFIERS[text].meaning_zh,
                               examples=examples))
        return out

    def _comparison_table(self, section: Section) -> Table:
        s = self.stats
        rows = [[r.label, r.expr, r.previous_expr or "—", fmt_change(r.change, r.measure),
                 fmt_change_pct(r.change_pct)] for r in section.figures.itertuples()]
        return Table(say("page.part.comparison_caption", title=section.title, year=s.year, previous=s.previous_year),
                     ["事项", f"{s.year}年", f"{s.previous_year}年", "变化", "变化率"], rows, {1, 2, 3, 4})

    def _chart(self, group: pd.DataFrame, title: str) -> charts.Chart | None:
        """A chart only where it says more than the clauses: this year beside last year for at least two
        items counted in one measure word, none of them 累计 (a running total is not a year's count)."""
        s = self.stats
        countable = group["measure"].map(lambda m: measure_kind(m) in ("event", "size"))
        yearly = ~group["expr"].str.contains("累计")
        both = group[(group["kind"] == "count") & countable & yearly & group["previous_value"].notna()]
        if not s.previous_year or both.empty:
            return None
        measure = both.groupby("measure", sort=False).size().idxmax()
        same = both[both["measure"] == measure]
        if len(same) < 2:
            return None
        return charts.comparison_chart(list(same["label"]), list(same["value"]), list(same["previous_value"]),
                                       s.year, s.previous_year, list(same["measure"]),
                                       f"图：{title}（单位：{measure}），{s.previous_year}年与{s.year}年")

    def _label_of(self, indicator: str) -> str:
        row = self.stats.figures[self.stats.figures["indicator"] == indicator]
        return row["label"].iloc[0] if not row.empty else self.dataset.catalogue[indicator].name_zh

    def _sources(self) -> list[dict]:
        """The reports this page's figures come from, by title when the title is known (in 《》), else by a
        plain description and the published address; never a file path."""
        shown = []
        b, year = self.stats.body, self.stats.year
        for source in dict.fromkeys(self.stats.figures["source"]):
            known = self.dataset.sources.get(source)
            url = known.url if known else (source if source.startswith(("http://", "https://")) else "")
            shown.append({"title": known.title if known else "", "published": known.published if known else "",
                          "url": url, "described": say("page.cover.described_online" if url else
                                                       "page.cover.described", body=b.full_name, year=year)})
        return shown

    def _issuer(self) -> str:
        """Who reports, as the report's own title names it (彭水县大同镇人民政府关于…的报告), else the body's
        government (重庆市南岸区峡口镇人民政府)."""
        for source in self._sources():
            issuer = source["title"].split("关于", 1)[0] if "关于" in source["title"] else ""
            if self.stats.body.name in issuer:
                return issuer
        return self.stats.body.office_name

    def _early_sources(self) -> list[str]:
        """Publication dates before the year ended: the figures may not be the whole year's."""
        year_end = f"{self.stats.year}-12-31"
        return [s["published"] for s in self._sources() if s["published"] and s["published"] < year_end]


def short_heading(heading: str) -> str:
    """A sub-heading as a table or the contents name it: up to its first comma (（三）强化制约监督)."""
    return heading.split("，", 1)[0]


def _source_name(source: dict) -> str:
    return f"《{source['title']}》" if source["title"] else source["described"]

