"""The overview pages of one year: a district page compares its bodies, a city (or province) page
compares districts. A facade like `annual.AnnualPage`: `notebooks/overview.ipynb` calls one method a
cell. What the page covers picks, once, which of two views (`OverviewView`) draws its blocks:

- `DistrictView`, for a district or a list of bodies: one bar per body up to MAX_BARS bodies; beyond,
  the top and bottom TOP_BOTTOM plus every body as a dot, and a grid of who reports what instead of
  lists of names (pages/overview_bodies.py);
- `CityView`, for a province, or "all", with more than MAX_BARS bodies in several districts: per district
  the number of bodies, totals and medians, and each district's spread, with links to the district
  pages (pages/overview_city.py).

Both read the page's figures through its public properties (`comparable_figures`, `stated_figures`,
`comparable_history`) and place a figure against the same median (`analysis.peers.median_of`).

Construct with `OverviewPage.load(year, group, data_dir)`; `group` is "all", a province, a district or
bodies separated by commas (a body as in `fazhi report --unit`). Like with like everywhere: the same
indicator (a figure whose wording meets its definition), the same measure word, the same year
(pages/overview_compare.py).

For an analyst: `figures()` is every figure of the year, the towns' own items included; `compare("行政复议")`
finds figures by indicator or by words of their wording across towns and years; `tables()` gives every
table of the page as a DataFrame, and `to_excel(path)` writes them to one workbook (`fazhi export`).
"""

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import pandas as pd

from ..analysis.peers import with_measures
from ..data.dataset import Body, Dataset
from ..data.rules import year_without_data
from ..data.scoped import dataset_for_group
from ..data.structure import SECTIONS
from ..errors import ParameterError
from . import narrative, overview_bodies
from .html_block import HtmlBlock, join, tables_by_caption
from .overview_bodies import MAX_BARS, DistrictView
from .overview_city import CityView
from .overview_compare import (
    MIN_BODIES_COMPARED,
    Flag,
    checkable_groups,
    comparable,
    jump_flags,
    jump_pairs,
    no_ranking_reason,
    peer_flags,
)
from .tables import Table

__all__ = ["ALL_BODIES", "FIGURE_COLUMNS", "MIN_BODIES_COMPARED", "OverviewPage", "no_ranking_reason", "select_group"]

ALL_BODIES = "all"
# What figures() and compare() return, each column meaning one thing: `town` is the town as the page names
# it (峰灵镇（巫溪县） where several districts share a page), `label` the report's own wording of the item,
# `statement` its clause (empty when the wording is not held), `indicator_zh` the catalogue's name of the
# indicator it is comparable on (empty for the town's own item), `file_row` its row in observations.csv.
FIGURE_COLUMNS = ("year", "province", "district", "body", "town", "part", "heading", "topic", "label", "statement",
                  "expr", "value", "measure", "qualifier", "indicator", "indicator_zh", "comparable", "source",
                  "file_row")
COMPARE_COLUMNS = ("year", "district", "body", "town", "indicator", "indicator_zh", "label", "statement", "expr",
                   "value", "measure", "qualifier", "comparable", "matched_by", "source")


class OverviewView(Protocol):
    """One side of the overview page: what it compares (`level`, in words `compared_zh`) and the blocks it
    draws from the page's figures."""

    level: str  # "district": a district's bodies side by side; "city": districts side by side
    compared_zh: str

    def heading(self, page: "OverviewPage") -> HtmlBlock: ...

    def coverage(self, page: "OverviewPage") -> HtmlBlock: ...

    def comparison(self, page: "OverviewPage", key: str, measure: str) -> HtmlBlock: ...

    def flags_table(self, page: "OverviewPage") -> Table: ...


@dataclass(frozen=True)
class OverviewPage:
    dataset: Dataset
    year: int
    group_label: str
    bodies: tuple[Body, ...]  # bodies of the group with data in `year`, in data order
    view: OverviewView = DistrictView()  # CityView: districts side by side, bodies on their own pages
    members: tuple[Body, ...] = ()  # every body of the group, with data in `year` or not (compare() looks back)

    @classmethod
    def load(cls, year: int, group: str = ALL_BODIES, data_dir: str | None = None) -> "OverviewPage":
        dataset = dataset_for_group(group, year, data_dir)  # past a district's size: the group's rows only
        label, members = select_group(dataset, group)
        obs = dataset.observations
        present = set(map(tuple, obs.loc[obs["year"] == year, ["district", "body"]].drop_duplicates().to_numpy()))
        with_data = tuple(b for b in members if (b.district, b.name) in present)
        if not with_data:
            keys = {(b.district, b.name) for b in members}
            mine = pd.MultiIndex.from_frame(obs[["district", "body"]]).isin(list(keys))
            raise year_without_data(label, year, {int(y) for y in obs.loc[mine, "year"].unique()})
        several = len({(b.province, b.district) for b in with_data}) > 1
        by_district = several and len(with_data) > MAX_BARS and not _is_district_or_list(dataset, group)
        return cls(dataset, year, label, with_data, CityView() if by_district else DistrictView(), tuple(members))

    @property
    def towns_of_group(self) -> str:
        """How a sentence names the group's towns: 巫溪县各镇街, 全部镇街, 峰灵镇、杜城街道."""
        label = self.group_label
        if label.endswith("镇街") or "、" in label or label in {b.name for b in self.bodies}:
            return label
        return f"{label}各镇街"

    @property
    def level(self) -> str:
        return self.view.level

    @property
    def title(self) -> str:
        """Says how many towns the page holds: 重庆市 alone would claim the city's ~1,000 镇街 for the 10 with
        figures in the data (a reviewer). Not 已录入报告的10个镇街: a report whose figures are all norms
        (新田镇 2025) was read and gave no figure, so it is not among them."""
        return (f"{self.year}年{self.group_label}法治政府建设情况概览"
                f"（本页收录{len(self.bodies)}个镇街，{self.view.compared_zh}）")

    # --- data for the blocks and for analysts --------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """Every figure the group's towns state this year, comparable or the town's own item, as
        FIGURE_COLUMNS: one row a figure, in data order."""
        return self.stated_figures[list(FIGURE_COLUMNS)].reset_index(drop=True)

    def compare(self, query: str) -> pd.DataFrame:
        """The group's figures of every year that answer `query`: an indicator's key, words of an indicator's
        name ("行政复议" finds 行政复议案件, 行政复议办结 and 行政复议纠错), or words of a figure's own wording
        (its label or statement, for the towns' own items too). One row a figure (COMPARE_COLUMNS):
        comparable figures first, by indicator, measure, year and value; `matched_by` says how each matched."""
        text = query.strip()
        if not text:
            raise ParameterError("compare() 需要一个指标或词语，如 compare(\"行政复议\")")
        cat = self.dataset.catalogue
        keys = {k for k, i in cat.items() if text == k or text in i.name_zh}
        rows = self._decorated(self._rows_of(self.members or self.bodies))
        by_indicator = rows["indicator"].isin(keys) & rows["comparable"]
        by_label = rows["label"].str.contains(text, regex=False)
        by_statement = rows["statement"].str.contains(text, regex=False)
        found = rows[by_indicator | by_label | by_statement].copy()
        found["matched_by"] = ["指标" if i else ("事项名称" if lab else "原文句子") for i, lab in
                               zip(by_indicator[found.index], by_label[found.index], strict=True)]
        order = {k: n for n, k in enumerate(cat)}
        found["_order"] = [order.get(k, len(order)) if c else len(order) for k, c in
                           zip(found["indicator"], found["comparable"], strict=True)]
        found = found.sort_values(["comparable", "_order", "measure", "year", "value"],
                                  ascending=[False, True, True, True, False], kind="stable")
        return found[list(COMPARE_COLUMNS)].reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table the page shows, as a DataFrame by its caption (numbers as numbers)."""
        blocks = (self.heading(), self.coverage(), self.comparisons(), self.flags_table(), self.trends())
        return tables_by_caption(blocks)

    def to_excel(self, path) -> None:
        """All figures and every table of the page in one workbook (`fazhi export`)."""
        from .overview_workbook import write_workbook

        write_workbook(self, path)

    # the page's figures, computed once and read by both views (treat as read-only; figures() and
    # history() give an analyst copies)
    @cached_property
    def comparable_figures(self) -> pd.DataFrame:
        """This year's comparable figures (what every comparison, ranking and check works on)."""
        history = self.comparable_history
        return history[history["year"] == self.year].copy()

    @cached_property
    def comparable_history(self) -> pd.DataFrame:
        """The group's comparable figures of every year up to this one (trends and jumps look back): linked
        to an indicator, which validation has checked their wording meets. A town's own items never."""
        rows = self._stated_to_year
        return rows[rows["comparable"]].copy()

    @cached_property
    def stated_figures(self) -> pd.DataFrame:
        """Every figure the group's towns state this year, their own items included."""
        rows = self._stated_to_year
        return rows[rows["year"] == self.year]

    @cached_property
    def _stated_to_year(self) -> pd.DataFrame:
        """Every figure of the group's towns in every year up to this one."""
        rows = self._rows_of(self.bodies)
        return self._decorated(rows[rows["year"] <= self.year])

    def _rows_of(self, bodies) -> pd.DataFrame:
        obs = self.dataset.observations
        in_group = pd.MultiIndex.from_frame(obs[["district", "body"]]).isin([(b.district, b.name) for b in bodies])
        return obs[in_group]

    def _decorated(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Observations with the page's columns: `town`, `comparable`, `indicator_zh`, the catalogue's `kind`
        and `section` (a town's own item: its topic), and the measure word comparisons group by."""
        cat = self.dataset.catalogue
        out = rows.rename(columns={"row": "file_row"}).copy()
        out["comparable"] = out["indicator"].isin(list(cat)) if len(out) else pd.Series(dtype=bool)
        linked = out["comparable"]
        if linked.any():
            out.loc[linked, "measure"] = with_measures(out[linked], cat)["measure"]
        out["town"] = [self.town(d, b) for d, b in zip(out["district"], out["body"], strict=True)]
        out["indicator_zh"] = [cat[k].name_zh if k in cat else "" for k in out["indicator"]]
        out["kind"] = [cat[k].kind if k in cat else "" for k in out["indicator"]]
        out["section"] = [cat[k].section if k in cat else t for k, t in zip(out["indicator"], out["topic"],
                                                                           strict=True)]
        return out

    def n_stated(self) -> int:
        """Every figure the group's reports state this year, their own items included (which are shown on
        each body's page, never compared here)."""
        return len(self.stated_figures)

    def history(self) -> pd.DataFrame:
        """The group's comparable figures of every year up to this one."""
        return self.comparable_history.copy()

    @cached_property
    def districts(self) -> list[tuple[str, str]]:
        """(province, district) of the group's bodies, in data order."""
        return list(dict.fromkeys((b.province, b.district) for b in self.bodies))

    @cached_property
    def provinces(self) -> list[str]:
        return list(dict.fromkeys(b.province for b in self.bodies))

    def compared_pairs(self) -> list[tuple[str, str]]:
        """(indicator, measure) pairs at least MIN_BODIES_COMPARED bodies of the group report this year."""
        return comparable(self.comparable_figures, self.report_order())

    def compared_indicators(self) -> list[str]:
        return list(dict.fromkeys(k for k, _ in self.compared_pairs()))

    def flags(self) -> list[Flag]:
        """Figures to check: far from the same figure of the other bodies of their district this year, or
        far from the body's own previous year."""
        bodies = {(b.district, b.name): b for b in self.bodies}
        kinds = {k: i.kind for k, i in self.dataset.catalogue.items()}
        return (peer_flags(self.comparable_figures, bodies, kinds, self._flags_within)
                + jump_flags(self.comparable_history, self.year, bodies, kinds))

    def flag_checks(self) -> tuple[int, int]:
        """(groups of figures the peer check could run on, figures with a previous year to check against):
        a page says a check found nothing only when it could run."""
        return (checkable_groups(self.comparable_figures, self._flags_within),
                jump_pairs(self.comparable_history, self.year))

    @property
    def _flags_within(self) -> str | None:
        return "district" if len(self.districts) > 1 and len(self.bodies) > overview_bodies.MAX_BARS else None

    # --- blocks the notebook shows: the view's -------------------------------------------------
    def heading(self) -> HtmlBlock:
        return self.view.heading(self)

    def coverage(self) -> HtmlBlock:
        return self.view.coverage(self)

    def comparisons(self) -> HtmlBlock:
        """One block per (indicator, measure) that MIN_BODIES_COMPARED bodies report, as the view compares it."""
        pairs = self.compared_pairs()
        if not pairs:
            return narrative.render("overview_no_comparison", year=self.year, min_bodies=MIN_BODIES_COMPARED)
        return join(*(self.view.comparison(self, key, measure) for key, measure in pairs))

    def flags_table(self) -> Table:
        return self.view.flags_table(self)

    def trends(self) -> HtmlBlock:
        return overview_bodies.trends(self)

    # pieces of the district page, kept by name for analysts and tests
    def coverage_by_section(self) -> Table:
        return overview_bodies.coverage_by_section(self)

    def coverage_frame(self) -> pd.DataFrame:
        return overview_bodies.coverage_frame(self)

    def coverage_matrix(self) -> Table:
        return overview_bodies.coverage_matrix(self)

    def comparison(self, key: str, measure: str | None = None) -> HtmlBlock:
        return self.view.comparison(self, key, measure or self._measure(key))

    def ranking_table(self, key: str, measure: str | None = None) -> Table:
        """Every town's figure of one indicator in its own wording, with places where a ranking means
        something (the table under each comparison)."""
        return overview_bodies.ranking_table(self, key, measure or self._measure(key))

    def trend(self, body: Body) -> HtmlBlock:
        return overview_bodies.trend(self, body)

    # --- helpers -------------------------------------------------------------------------------
    def report_order(self) -> list[str]:
        """Catalogue keys by report section, then catalogue order (rows appended later join their section)."""
        section_index = {s.key: i for i, s in enumerate(SECTIONS)}
        cat = self.dataset.catalogue
        return sorted(cat, key=lambda k: section_index[cat[k].section])  # sorted() is stable

    def town(self, district: str, name: str) -> str:
        """'峰灵镇（巫溪县）' where the page spans districts (towns of the same name exist elsewhere; a
        district's own bracket, 綦江区（万盛经开区）, is left out to keep labels short); the name alone on a
        district's own page."""
        if len(self.districts) == 1:
            return name
        return f"{name}（{re.sub(r'[（(][^）)]*[）)]', '', district)}）"

    def _measure(self, key: str) -> str:
        """The measure most bodies use for `key` this year (the catalogue's when none report it)."""
        rows = self.comparable_figures[self.comparable_figures["indicator"] == key]
        return rows["measure"].mode().iloc[0] if len(rows) else self.dataset.catalogue[key].measure


def _all_bodies(dataset: Dataset) -> list[Body]:
    """Every body of the data, also those whose rows a store-read dataset did not load."""
    return list(dataset.index) or dataset.bodies


def _is_district_or_list(dataset: Dataset, group: str) -> bool:
    text = group.strip()
    return text not in ("", ALL_BODIES) and text not in {b.province for b in _all_bodies(dataset)}


def select_group(dataset: Dataset, group: str) -> tuple[str, list[Body]]:
    """'all', a district or a province (as written in the data), or comma-separated bodies → (label, bodies)."""
    text = group.strip()
    bodies = _all_bodies(dataset)
    if text in ("", ALL_BODIES):
        return "全部镇街", list(bodies)
    districts = {b.district for b in bodies}
    if text in districts:
        return text, [b for b in bodies if b.district == text]
    if text in {b.province for b in bodies}:
        return text, [b for b in bodies if b.province == text]
    names = [n.strip() for n in re.split(r"[,，、]", text) if n.strip()]
    bodies = list(dict.fromkeys(dataset.find_body(n) for n in names))  # unknown or ambiguous → ParameterError
    return "、".join(b.name for b in bodies), bodies
