"""Blocks of the city (or province) page: districts side by side. Bodies are compared on their district's
page, linked from here; this page gives per district the number of bodies, totals and medians of each
comparable indicator, each district's spread as a chart, and how many figures each district should check.
Its size depends on the number of districts and indicators, not on the number of bodies."""

import pandas as pd

from ..analysis.peers import is_size, median_of
from ..data.formatting import with_measure
from ..data.structure import SECTION_BY_KEY
from ..outputs import overview_file_name
from ..wording import say
from . import narrative, overview_charts
from .html_block import HtmlBlock, join
from .overview_bodies import flags_note, wordings_note
from .overview_compare import JUMP_FACTOR, MIN_BODIES_COMPARED
from .tables import Table

MAX_DISTRICTS_LISTED = 40  # a city's districts side by side; a province's beyond this, as a distribution


def _href(page, province: str, district: str) -> str:
    return overview_file_name(page.year, (province, district))


class CityView:
    """The overview of a city or a province: districts side by side, each district's bodies compared on
    its own page (`overview.OverviewView`)."""

    level = "city"
    compared_zh = "各区县比较"

    def heading(self, page) -> HtmlBlock:
        return heading(page)

    def coverage(self, page) -> Table:
        return coverage(page)

    def comparison(self, page, key: str, measure: str) -> HtmlBlock:
        return comparison(page, key, measure)

    def flags_table(self, page) -> Table:
        return flags_table(page)


def heading(page) -> HtmlBlock:
    f = page.comparable_figures
    stated = page.stated_figures
    counts = stated.drop_duplicates(["district", "body"]).groupby("district", sort=False).size()
    n_figures = stated.groupby("district", sort=False).size()
    n_comparable = f.groupby("district", sort=False).size()
    text = narrative.render(
        "overview_city_heading", title=page.title, year=page.year, group_label=page.group_label,
        n_districts=len(page.districts), n_bodies=len(page.bodies), n_figures=page.n_stated(), n_linked=len(f),
        n_own=page.n_stated() - len(f), n_indicators=f["indicator"].nunique(), n_compared=len(page.compared_pairs()),
        provinces="、".join(page.provinces), n_provinces=len(page.provinces), min_bodies=MIN_BODIES_COMPARED)
    rows, links = [], {}
    for i, (province, district) in enumerate(page.districts):
        comparable = int(n_comparable.get(district, 0))
        rows.append([district, str(int(counts.get(district, 0))), str(int(n_figures.get(district, 0))),
                     str(comparable) if comparable else say("overview.coverage.none_comparable"),
                     say("overview.city.open")])
        links[(i, 4)] = _href(page, province, district)
    table = Table(say("overview.city.districts_caption", year=page.year),
                  ["区县", "镇街数", "报告的数字", "可与其他镇街比较", "各镇街比较"], rows, {1, 2, 3},
                  note=say("overview.city.districts_note"), links=links)
    return join(text, table)


def coverage(page) -> Table:
    """Indicators × districts: how many of a district's bodies report each indicator."""
    f = page.comparable_figures
    per = f.drop_duplicates(["district", "body", "indicator"]).groupby(["indicator", "district"]).size()
    cat = page.dataset.catalogue
    keys = [k for k in page.report_order() if k in set(f["indicator"])]
    districts = [d for _, d in page.districts]
    if len(districts) > MAX_DISTRICTS_LISTED:  # a province: one column per district would not fit a page
        reporting = f.drop_duplicates(["district", "indicator"]).groupby("indicator").size()
        rows = [[SECTION_BY_KEY[cat[k].section].title_zh, cat[k].name_zh, str(int(reporting.get(k, 0))),
                 str(int(per.get(k, 0).sum()))] for k in keys]
        return Table(f"表：{page.year}年各指标报告的区县数和镇街数（共{len(districts)}个区县）",
                     ["方面", "指标", "报告的区县数", "报告的镇街数"], rows, {2, 3},
                     note="各区县中哪些镇街报告了哪些指标，见各区县概览。")
    rows = [[SECTION_BY_KEY[cat[k].section].title_zh, cat[k].name_zh,
             *[str(int(per.get((k, d), 0))) if per.get((k, d), 0) else "—" for d in districts],
             str(int(per.get(k, 0).sum()))]
            for k in keys]
    stated = page.stated_figures
    bodies = stated.drop_duplicates(["district", "body"]).groupby("district").size()
    columns = ["方面", "指标", *[f"{d}（{int(bodies.get(d, 0))}）" for d in districts], "合计"]
    return Table(say("overview.city.coverage_caption", year=page.year), columns, rows, set(range(2, len(columns))),
                 note=say("overview.city.coverage_note"))


def comparison(page, key: str, measure: str) -> HtmlBlock:
    """One indicator in one measure across districts: a table (bodies, total, median, lowest, highest) and
    the spread of each district. Districts are listed in data order, not ranked. A province of more than
    MAX_DISTRICTS_LISTED districts gets its own line of the table and one dot per district's median
    instead (each district's figures are on its own page, linked above), so the page grows with neither
    its districts nor its bodies."""
    f = page.comparable_figures
    rows = f[(f["indicator"] == key) & (f["measure"] == measure)]
    ind = page.dataset.catalogue[key]
    additive = ind.kind in ("count", "amount", "total")  # rates do not add up
    if len(page.districts) > MAX_DISTRICTS_LISTED:
        return _many_districts(page, rows, ind, measure, additive)
    table_rows, groups = [], []
    for _, district in page.districts:
        values = rows.loc[rows["district"] == district, "value"]
        if values.empty:
            table_rows.append([district, "—", "—", "—", "—", "—"])
            continue
        groups.append((district, list(values), median_of(values, measure)))
        table_rows.append([district, str(len(values)), with_measure(values.sum(), measure) if additive else "—",
                           with_measure(median_of(values, measure), measure),
                           with_measure(values.min(), measure), with_measure(values.max(), measure)])
    all_values = rows["value"]
    table_rows.append([say("overview.city.total_row", group=page.group_label), str(len(all_values)),
                       with_measure(all_values.sum(), measure) if additive else "—",
                       with_measure(median_of(all_values, measure), measure),
                       with_measure(all_values.min(), measure), with_measure(all_values.max(), measure)])
    wordings = wordings_note(rows)
    text = _said(ind, all_values, len(groups), measure, additive)
    columns = ["区县", "报告的镇街数", "合计", "中位数", "最低", "最高"]
    note = wordings  # that totals add only the reporting towns is said once, in the heading
    table = Table(say("overview.city.comparison_caption", year=page.year, name=ind.name_zh, measure=measure), columns,
                  table_rows, {1, 2, 3, 4, 5}, note=note)
    chart = None
    if all_values.nunique() > 1:
        chart = overview_charts.district_box_chart(
            groups, measure, say("overview.city.box_caption", year=page.year, name=ind.name_zh, measure=measure),
            "；".join(say("overview.city.box_alt", district=d, n=len(v), median=with_measure(median, measure))
                     for d, v, median in groups))
    return join(text, table, chart)


def _said(ind, values, n_districts: int, measure: str, additive: bool) -> HtmlBlock:
    """The sentences above a comparison across districts, however many districts the page has."""
    return narrative.render("overview_city_comparison", name_zh=ind.name_zh,
                            section_zh=SECTION_BY_KEY[ind.section].title_zh, n_bodies=len(values),
                            n_districts=n_districts, median=with_measure(median_of(values, measure), measure),
                            size=is_size(ind.kind, measure), additive=additive, counts_zh=ind.definition.counts_zh)


def _many_districts(page, rows, ind, measure: str, additive: bool) -> HtmlBlock:
    values = rows["value"]
    medians = [median_of(group, measure) for _, group in rows.groupby("district", sort=False)["value"]]
    text = _said(ind, values, len(medians), measure, additive)
    table = Table(f"表：{page.year}年{page.group_label}{ind.name_zh}（{measure}）",
                  ["范围", "报告的镇街数", "报告的区县数", "合计", "中位数", "最低", "最高"],
                  [[f"{page.group_label}合计", str(len(values)), str(len(medians)),
                    with_measure(values.sum(), measure) if additive else "—",
                    with_measure(median_of(values, measure), measure), with_measure(values.min(), measure),
                    with_measure(values.max(), measure)]], {1, 2, 3, 4, 5, 6},
                  note=f"共{len(page.districts)}个区县，各区县的数字见其概览页（上表“查看”）。")
    chart = None
    if len(set(medians)) > 1:
        chart = overview_charts.strip_chart(
            medians, median_of(pd.Series(medians), measure), measure,
            f"图：{page.year}年各区县{ind.name_zh}中位数的分布（{measure}；每个点为一个区县）",
            f"{len(medians)}个区县的中位数，最低{with_measure(min(medians), measure)}，"
            f"最高{with_measure(max(medians), measure)}")
    return join(text, table, chart)


def flags_table(page) -> Table:
    """How many figures each district's page asks to check (computed within each district, so this page
    and the district pages agree), with a link to the page that names them."""
    flags = page.flags()
    n_groups, n_pairs = page.flag_checks()
    rows, links = [], {}
    for i, (province, district) in enumerate(page.districts):
        mine = [fl for fl in flags if fl.body.district == district and fl.body.province == province]
        peers = sum(fl.kind == "peers" for fl in mine)
        rows.append([district, str(peers) if n_groups else "—", str(len(mine) - peers) if n_pairs else "—",
                     say("overview.city.open")])
        links[(i, 3)] = _href(page, province, district)
    columns = ["区县", "与同区镇街相比明显偏高或偏低", f"与本镇街上年相差{JUMP_FACTOR:g}倍以上", "逐项列表"]
    return Table(say("overview.city.flags_caption", year=page.year), columns, rows, {1, 2}, links=links,
                 note=flags_note(page, bool(flags)) + say("overview.city.flags_note"))
