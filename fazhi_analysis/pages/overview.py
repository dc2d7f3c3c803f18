"""The overview pages of one year: a district page compares its bodies, a city (or province) page
compares districts. A facade like `annual.AnnualPage`: `notebooks/overview.ipynb` calls one method a
cell, and the page picks what to show from what it covers:

- a district, or a list of bodies: one bar per body up to MAX_BARS bodies; beyond, the top and bottom
  TOP_BOTTOM plus every body as a dot, and a grid of who reports what instead of lists of names
  (pages/overview_bodies.py);
- a province, or "all", with more than MAX_BARS bodies in several districts: per district the number of
  bodies, totals and medians, and each district's spread, with links to the district pages
  (pages/overview_city.py).

Construct with `OverviewPage.load(year, group, data_dir)`; `group` is "all", a province, a district or
bodies separated by commas (a body as in `fazhi report --unit`). Like with like everywhere: the same
indicator, the same measure word, the same year (pages/overview_compare.py).
"""

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..analysis.peers import with_measures
from ..data.dataset import Body, Dataset
from ..data.scoped import dataset_for_group
from ..data.structure import SECTIONS
from ..errors import ParameterError
from . import overview_bodies, overview_city
from .html_block import HtmlBlock
from .overview_bodies import MAX_BARS
from .overview_compare import MIN_BODIES_COMPARED, Flag, comparable, jump_flags, no_ranking_reason, peer_flags
from .tables import Table

__all__ = ["ALL_BODIES", "MIN_BODIES_COMPARED", "OverviewPage", "no_ranking_reason", "select_group"]

ALL_BODIES = "all"


@dataclass(frozen=True)
class OverviewPage:
    dataset: Dataset
    year: int
    group_label: str
    bodies: tuple[Body, ...]  # bodies of the group with data in `year`, in data order
    compares_districts: bool = False  # the city page: districts side by side, bodies on their own pages

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
            years = sorted(int(y) for y in obs.loc[mine, "year"].unique())
            raise ParameterError(f"{label}没有{year}年的数据。已有年度: " + "、".join(map(str, years)))
        several = len({(b.province, b.district) for b in with_data}) > 1
        by_district = several and len(with_data) > MAX_BARS and not _is_district_or_list(dataset, group)
        return cls(dataset, year, label, with_data, by_district)

    @property
    def level(self) -> str:
        return "city" if self.compares_districts else "district"

    @property
    def title(self) -> str:
        if self.compares_districts:
            return f"{self.year}年{self.group_label}法治政府建设情况概览（各区县比较）"
        return f"{self.year}年{self.group_label}法治政府建设情况概览（各镇街比较）"

    # --- data for the blocks and for analysts --------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """The year's observations of the group, with the body label, measure and the catalogue's name and kind."""
        return self._figures.copy()

    @cached_property
    def _figures(self) -> pd.DataFrame:
        history = self._history
        return history[history["year"] == self.year].copy()

    @cached_property
    def _history(self) -> pd.DataFrame:
        """The group's observations of every year up to this one (trends and jumps look back)."""
        obs = self.dataset.observations
        in_group = pd.MultiIndex.from_frame(obs[["district", "body"]]).isin(
            [(b.district, b.name) for b in self.bodies])
        linked = obs["indicator"] != ""  # only catalogue indicators are compared; a body's own items never
        rows = with_measures(obs[linked & in_group & (obs["year"] <= self.year)], self.dataset.catalogue)
        cat = self.dataset.catalogue
        rows["label"] = [self.label(d, b) for d, b in zip(rows["district"], rows["body"], strict=True)]
        rows["name_zh"] = [cat[k].name_zh for k in rows["indicator"]]
        rows["kind"] = [cat[k].kind for k in rows["indicator"]]
        rows["section"] = [cat[k].section for k in rows["indicator"]]
        return rows

    def n_stated(self) -> int:
        """Every figure the group's reports state this year, their own items included (which are shown on
        each body's page, never compared here)."""
        obs = self.dataset.observations
        in_group = pd.MultiIndex.from_frame(obs[["district", "body"]]).isin(
            [(b.district, b.name) for b in self.bodies])
        return int((in_group & (obs["year"] == self.year)).sum())

    def history(self) -> pd.DataFrame:
        return self._history.copy()

    @cached_property
    def districts(self) -> list[tuple[str, str]]:
        """(province, district) of the group's bodies, in data order."""
        return list(dict.fromkeys((b.province, b.district) for b in self.bodies))

    @cached_property
    def provinces(self) -> list[str]:
        return list(dict.fromkeys(b.province for b in self.bodies))

    def compared_pairs(self) -> list[tuple[str, str]]:
        """(indicator, measure) pairs at least MIN_BODIES_COMPARED bodies of the group report this year."""
        return comparable(self._figures, self.report_order())

    def compared_indicators(self) -> list[str]:
        return list(dict.fromkeys(k for k, _ in self.compared_pairs()))

    def flags(self) -> list[Flag]:
        """Figures to check: far from the same figure of the other bodies of their district this year, or
        far from the body's own previous year."""
        bodies = {(b.district, b.name): b for b in self.bodies}
        kinds = {k: i.kind for k, i in self.dataset.catalogue.items()}
        within = "district" if len(self.districts) > 1 and len(self.bodies) > overview_bodies.MAX_BARS else None
        return (peer_flags(self._figures, bodies, kinds, within)
                + jump_flags(self._history, self.year, bodies, kinds))

    # --- blocks the notebook shows -------------------------------------------------------------
    def heading(self) -> HtmlBlock:
        return overview_city.heading(self) if self.compares_districts else overview_bodies.heading(self)

    def coverage(self) -> HtmlBlock:
        return overview_city.coverage(self) if self.compares_districts else overview_bodies.coverage(self)

    def comparisons(self) -> HtmlBlock:
        return overview_city.comparisons(self) if self.compares_districts else overview_bodies.comparisons(self)

    def flags_table(self) -> Table:
        return overview_city.flags_table(self) if self.compares_districts else overview_bodies.flags_table(self)

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
        return overview_bodies.comparison(self, key, measure or self._measure(key))

    def ranking_table(self, key: str, measure: str | None = None) -> Table:
        return overview_bodies.ranking_table(self, key, measure or self._measure(key))

    def trend(self, body: Body) -> HtmlBlock:
        return overview_bodies.trend(self, body)

    # --- helpers -------------------------------------------------------------------------------
    def report_order(self) -> list[str]:
        """Catalogue keys by report section, then catalogue order (rows appended later join their section)."""
        section_index = {s.key: i for i, s in enumerate(SECTIONS)}
        cat = self.dataset.catalogue
        return sorted(cat, key=lambda k: section_index[cat[k].section])  # sorted() is stable

    def label(self, district: str, name: str) -> str:
        """'峰灵镇（巫溪县）' where the page spans districts (towns of the same name exist elsewhere; a
        district's own bracket, 綦江区（万盛经开区）, is left out to keep labels short); the name alone on a
        district's own page."""
        if len(self.districts) == 1:
            return name
        return f"{name}（{re.sub(r'（[^）]*）', '', district)}）"

    def _measure(self, key: str) -> str:
        """The measure most bodies use for `key` this year (the catalogue's when none report it)."""
        rows = self._figures[self._figures["indicator"] == key]
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
        return "全部主体", list(bodies)
    districts = {b.district for b in bodies}
    if text in districts:
        return text, [b for b in bodies if b.district == text]
    if text in {b.province for b in bodies}:
        return text, [b for b in bodies if b.province == text]
    names = [n.strip() for n in re.split(r"[,，、]", text) if n.strip()]
    bodies = list(dict.fromkeys(dataset.find_body(n) for n in names))  # unknown or ambiguous → ParameterError
    return "、".join(b.name for b in bodies), bodies
