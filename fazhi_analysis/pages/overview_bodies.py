"""Blocks of a page that compares bodies (a district's page, or a list of bodies), designed for N:
up to MAX_BARS bodies one bar per body, sorted by value; beyond, the top and bottom TOP_BOTTOM bodies in a
table and every body as a dot on one line, and a grid of who reports what instead of lists of names. A
page stays a few dozen A4 pages however many bodies the district has.

Every comparison table shows each town's own wording beside its figure (the item as its report names it,
the figure as written, and the report's clause when held), and says when the wordings differ. A town
that reported figures never reads 0: it shows what it reported, or that none of it is comparable.
Sentences come from the wording file (`overview.` keys) through `say`."""

import math

import pandas as pd

from ..analysis.peers import is_size, median_of, places
from ..data.bodies import Body
from ..data.formatting import fmt_number, with_measure
from ..data.qualifiers import QUALIFIERS
from ..data.structure import SECTION_BY_KEY, SECTIONS
from ..wording import say
from . import charts, narrative, overview_charts
from .html_block import HtmlBlock, join
from .overview_compare import (
    JUMP_FACTOR,
    MIN_BODIES_COMPARED,
    MIN_BODIES_RANKED,
    MIN_VALUES_FOR_OUTLIERS,
    history_summary,
)
from .overview_compare import no_ranking_reason as _no_ranking_reason
from .tables import Table

MAX_BARS = 15  # one bar per body up to here; a longer list of bars is not read
TOP_BOTTOM = 5
MAX_BODY_TRENDS = 5  # bodies whose year-by-year tables the page shows; beyond, the group's medians
MAX_WORDINGS_SHOWN = 6  # different wordings named in a note; beyond, "等N种"
OTHER_TOPIC = "other"


class DistrictView:
    """The overview of a district (or a list of bodies): its bodies side by side (`overview.OverviewView`)."""

    level = "district"
    compared_zh = "各镇街比较"

    def heading(self, page) -> HtmlBlock:
        return heading(page)

    def coverage(self, page) -> HtmlBlock:
        return coverage(page)

    def comparison(self, page, key: str, measure: str) -> HtmlBlock:
        return comparison(page, key, measure)

    def flags_table(self, page) -> Table:
        return flags_table(page)


def heading(page) -> HtmlBlock:
    f = page.comparable_figures
    many = len(page.bodies) > MAX_BARS
    return narrative.render(
        "overview_heading", title=page.title, year=page.year, towns_of_group=page.towns_of_group,
        bodies="" if many else "、".join(page.town(b.district, b.name) for b in page.bodies),
        n_bodies=len(page.bodies), n_figures=page.n_stated(), n_linked=len(f), n_own=page.n_stated() - len(f),
        n_indicators=f["indicator"].nunique(), n_compared=len(page.compared_pairs()),
        min_bodies=MIN_BODIES_COMPARED, min_ranked=MIN_BODIES_RANKED, provinces="、".join(page.provinces),
        n_provinces=len(page.provinces), n_districts=len(page.districts), many=many, top_bottom=TOP_BOTTOM)


def coverage(page) -> HtmlBlock:
    """Up to MAX_BARS bodies: per section and per indicator with the bodies' names; beyond: the number
    of bodies per indicator and a grid of bodies × indicators grouped by district."""
    if len(page.bodies) <= MAX_BARS:
        return join(coverage_by_section(page), coverage_matrix(page))
    matrix = coverage_frame(page)
    cat = page.dataset.catalogue
    counts = Table(say("overview.coverage.counts_caption", year=page.year, n_bodies=len(page.bodies)),
                   ["方面", "指标", "计量", "报告的镇街数"],
                   [[SECTION_BY_KEY[cat[k].section].title_zh, cat[k].name_zh, cat[k].measure, str(int(r.sum()))]
                    for k, r in matrix.iterrows()], {3}, note=say("overview.coverage.counts_note"))
    order = sorted(page.bodies, key=lambda b: page.districts.index((b.province, b.district)))
    towns = [page.town(b.district, b.name) for b in order]
    grid = overview_charts.coverage_grid(
        [(b.district, b.name) for b in order], [cat[k].name_zh for k in matrix.index],
        [[bool(matrix.at[k, town]) for k in matrix.index] for town in towns],
        say("overview.coverage.grid_caption", year=page.year))
    return join(counts, *grid)


def coverage_by_section(page) -> Table:
    """Bodies × report sections: how many figures each body states in each section, its own items
    included, and how many of them can be compared with other towns. A town with figures never reads 0."""
    stated = page.stated_figures
    sections = stated["section"].where(stated["section"].isin(list(SECTION_BY_KEY)), OTHER_TOPIC)
    per = stated.groupby([stated["town"], sections]).size()
    comparable = stated[stated["comparable"]].groupby("town").size()
    keys = [s.key for s in SECTIONS] + ([OTHER_TOPIC] if (sections == OTHER_TOPIC).any() else [])
    titles = [SECTION_BY_KEY[k].title_zh if k in SECTION_BY_KEY else "其他" for k in keys]
    rows = []
    for body in page.bodies:
        town = page.town(body.district, body.name)
        counts = [int(per.get((town, k), 0)) for k in keys]
        n_comparable = int(comparable.get(town, 0))
        rows.append([town, *[str(n) if n else "—" for n in counts], str(sum(counts)),
                     str(n_comparable) if n_comparable else say("overview.coverage.none_comparable")])
    columns = ["镇街", *titles, "报告的数字", "可与其他镇街比较"]
    return Table(say("overview.coverage.by_section_caption", year=page.year), columns, rows,
                 set(range(1, len(columns))), note=say("overview.coverage.by_section_note"))


def coverage_frame(page) -> pd.DataFrame:
    """The coverage matrix itself, indicators × bodies, True where a comparable figure is reported."""
    f = page.comparable_figures
    towns = [page.town(b.district, b.name) for b in page.bodies]
    matrix = pd.crosstab(f["indicator"], f["town"]).reindex(columns=towns, fill_value=0) > 0
    return matrix.reindex([k for k in page.report_order() if k in matrix.index])


def coverage_matrix(page) -> Table:
    """Which body reports which indicator, one row an indicator, its bodies named (small groups only)."""
    matrix = coverage_frame(page)
    cat = page.dataset.catalogue
    names = [b.name for b in page.bodies]
    if len(set(names)) == len(names):  # names alone when they are unique: the district is in the heading's list
        matrix = matrix.rename(columns=dict(zip([page.town(b.district, b.name) for b in page.bodies], names,
                                                strict=True)))
    rows, above = [], None
    for key, reported in matrix.iterrows():
        said = who(reported)
        rows.append([SECTION_BY_KEY[cat[key].section].title_zh, cat[key].name_zh, str(int(reported.sum())),
                     say("overview.coverage.same_as_above") if said == above else said])
        above = said
    return Table(say("overview.coverage.matrix_caption", year=page.year), ["方面", "指标", "镇街数", "报告的镇街"],
                 rows, {2})


def who(reported: pd.Series) -> str:
    """The shorter list, and '仅' only for a minority: '仅甲、乙报告' (2 of 10), '除丙外均报告',
    '甲、乙报告' (half: the count beside it says the rest did not), '均报告'."""
    yes = [town for town, flag in reported.items() if flag]
    no = [town for town, flag in reported.items() if not flag]
    if not no:
        return say("overview.coverage.all_report")
    if 2 * len(yes) < len(reported):
        return say("overview.coverage.only_these_report", towns="、".join(yes))
    if 2 * len(no) < len(reported):
        return say("overview.coverage.all_but_these_report", towns="、".join(no))
    return say("overview.coverage.half_report", towns="、".join(yes))


def _rows(page, key: str, measure: str) -> pd.DataFrame:
    f = page.comparable_figures
    rows = f[(f["indicator"] == key) & (f["measure"] == measure)]
    return rows.sort_values(["value", "town"], ascending=[False, True])


def wordings_note(rows: pd.DataFrame) -> str:
    """When the towns word one indicator differently, say so and name the wordings."""
    labels = list(dict.fromkeys(rows["label"]))
    if len(labels) < 2:
        return ""
    shown = "、".join(f"“{label}”" for label in labels[:MAX_WORDINGS_SHOWN])
    more = say("overview.comparison.more_wordings", n=len(labels)) if len(labels) > MAX_WORDINGS_SHOWN else ""
    return say("overview.comparison.wordings_differ", n=len(labels), wordings=shown + more)


def comparison(page, key: str, measure: str) -> HtmlBlock:
    """One indicator in one measure: a sentence with the indicator's definition, a chart by value, and a
    table of every town's figure in its own wording, with places only where a ranking means something."""
    rows = _rows(page, key, measure)
    ind = page.dataset.catalogue[key]
    reason = _no_ranking_reason(rows["value"], ind.kind, measure)
    text = narrative.render(
        "overview_comparison", name_zh=ind.name_zh, section_zh=SECTION_BY_KEY[ind.section].title_zh,
        n_bodies=len(rows), median=with_measure(median_of(rows["value"], measure), measure),
        low=with_measure(rows["value"].min(), measure), high=with_measure(rows["value"].max(), measure),
        counts_zh=ind.definition.counts_zh, no_ranking_reason=reason)
    chart = None
    if rows["value"].nunique() > 1:  # identical bars say nothing the sentence does not
        chart = _chart(page, rows, ind.name_zh, measure)
    return join(text, chart, ranking_table(page, key, measure))


def _chart(page, rows: pd.DataFrame, name_zh: str, measure: str):
    if len(rows) > MAX_BARS:
        return overview_charts.strip_chart(
            list(rows["value"]), median_of(rows["value"], measure), measure,
            say("overview.comparison.strip_caption", year=page.year, name=name_zh, measure=measure),
            say("overview.comparison.strip_alt", n=len(rows), name=name_zh,
                low=with_measure(rows["value"].min(), measure), high=with_measure(rows["value"].max(), measure)))
    caption = say("overview.comparison.bar_caption", year=page.year, name=name_zh, measure=measure)
    return overview_charts.shrink(charts.bar_chart(list(rows["town"]), list(rows["value"]), measure, caption,
                                                   [_as_written(r) for r in rows.itertuples()]))


def ranking_table(page, key: str, measure: str) -> Table:
    """Every town's figure of one indicator and measure, largest first, in the town's own wording: the
    item as its report names it, the figure as written and, when held, the report's clause. A 名次 column
    only where a ranking means something (MIN_BODIES_RANKED towns, not sizes, not all equal); values
    within one unit share a place. Beyond MAX_BARS towns only the top and bottom TOP_BOTTOM."""
    rows = _rows(page, key, measure)
    ind = page.dataset.catalogue[key]
    reason = _no_ranking_reason(rows["value"], ind.kind, measure)
    ranks = places(list(rows["value"])) if not reason else []
    with_statement = bool((rows["statement"] != "").any())
    columns = [*(["名次"] if ranks else []), "镇街", "报告中的事项", "原文写法",
               *(["原文句子"] if with_statement else []), f"数值（{measure}）"]
    body = []
    for n, r in enumerate(rows.itertuples()):
        body.append([*([say("overview.comparison.place", place=ranks[n])] if ranks else []), r.town, r.label,
                     r.expr or "", *([r.statement or "—"] if with_statement else []), fmt_number(r.value)])
    name = ind.name_zh
    title = say("overview.comparison.ranked_caption" if ranks else "overview.comparison.listed_caption",
                year=page.year, name=name, measure=measure)
    if len(body) > MAX_BARS:
        body = _top_and_bottom(body, list(rows["value"]), measure, bool(ranks))
        title = say("overview.comparison.top_bottom_caption", year=page.year, name=name, top_bottom=TOP_BOTTOM,
                    n=len(rows))
    # the general rules (qualifiers, places within one unit, sizes) are said once, in the page's heading
    return Table(title, columns, body, {len(columns) - 1}, note=wordings_note(rows))


def _top_and_bottom(body: list[list[str]], values: list[float], measure: str, ranked: bool) -> list[list[str]]:
    """The first and last TOP_BOTTOM rows, a row saying how many are left out between them; many towns
    tied at either end are one row (five of 90 at 0起 would single them out at random)."""
    n_top, n_bottom = (max(TOP_BOTTOM, values.count(v)) for v in (values[0], values[-1]))
    top = _tied_end(body[:TOP_BOTTOM], values.count(values[0]), values[0], measure, ranked)
    bottom = _tied_end(body[-TOP_BOTTOM:], values.count(values[-1]), values[-1], measure, ranked)
    middle = len(body) - n_top - n_bottom
    gap = [""] * len(body[0])
    gap[0], gap[1] = "……", say("overview.comparison.middle_left_out", n=middle)
    return [*top, *([gap] if middle > 0 else []), *bottom]


def _tied_end(rows: list[list[str]], n_tied: int, value: float, measure: str, ranked: bool) -> list[list[str]]:
    if n_tied <= TOP_BOTTOM:
        return rows
    row = [""] * len(rows[0])
    first = 1 if ranked else 0  # the 名次 column
    row[0] = rows[0][0]
    row[first] = say("overview.comparison.tied_towns", n=n_tied)
    row[first + 2] = say("overview.comparison.all_at", value=with_measure(value, measure))
    row[-1] = fmt_number(value)
    return [row]


def flags_table(page) -> Table:
    """Figures to check with the reason, and in the note which checks could run: a check that could not
    run (too few towns, no previous year) is said so, never reported as finding nothing."""
    cat = page.dataset.catalogue
    flags = page.flags()
    rows = [[page.town(fl.body.district, fl.body.name), cat[fl.indicator].name_zh,
             fl.expr or fmt_number(fl.value), fl.reason_zh] for fl in flags]
    return Table(say("overview.flags.caption", year=page.year), ["镇街", "指标", "原文写法", "为什么要核实"], rows,
                 note=flags_note(page, bool(rows)))


def flags_note(page, found: bool) -> str:
    n_groups, n_pairs = page.flag_checks()
    peer = (say("overview.flags.peer_ran", n=n_groups, min_bodies=MIN_VALUES_FOR_OUTLIERS) if n_groups
            else say("overview.flags.peer_not_run", min_bodies=MIN_VALUES_FOR_OUTLIERS))
    jump = (say("overview.flags.jump_ran", n=n_pairs, factor=f"{JUMP_FACTOR:g}") if n_pairs
            else say("overview.flags.jump_not_run"))
    if found:
        result = ""
    elif n_groups or n_pairs:
        result = say("overview.flags.none_found")
    else:
        result = say("overview.flags.nothing_checked")
    return result + peer + jump + say("overview.flags.listed_is_not_wrong")


def trends(page) -> HtmlBlock:
    """The group's medians year by year; for a handful of bodies also each body's own years."""
    n_years = page.comparable_history.groupby(["district", "body"])["year"].nunique()
    with_years = [b for b in page.bodies if n_years.get((b.district, b.name), 0) >= 2]
    if not with_years:
        return narrative.render("overview_no_trend", year=page.year)
    blocks = [summary_table(page)]
    if len(page.bodies) <= MAX_BODY_TRENDS:
        blocks += [trend(page, b) for b in with_years]
    return join(*blocks)


def summary_table(page) -> Table:
    """Per indicator and measure: the median (and number of bodies) of each year, and how many bodies
    went up or down against their own previous year."""
    summary = history_summary(page.comparable_history, page.compared_pairs(), page.year)
    years = sorted(int(y) for y in page.comparable_history["year"].unique())
    cat = page.dataset.catalogue
    rows = []
    for r in summary.to_dict("records"):
        cells = [f"{with_measure(r[y][1], r['measure'])}（{r[y][0]}）" if r[y][1] is not None else "—" for y in years]
        change = (say("overview.trends.change", up=r["up"], down=r["down"], flat=r["flat"])
                  if isinstance(r.get("up"), int) else "—")
        rows.append([cat[r["indicator"]].name_zh, *cells, change])
    columns = ["指标", *[f"{y}年" for y in years], say("overview.trends.change_column", year=page.year)]
    return Table(say("overview.trends.summary_caption"), columns, rows, set(range(1, len(years) + 2)),
                 note=say("overview.trends.summary_note"))


def trend(page, body: Body) -> HtmlBlock:
    history = page.comparable_history
    rows = history[(history["district"] == body.district) & (history["body"] == body.name)]
    years = sorted(int(y) for y in rows["year"].unique())
    wide = rows.pivot_table(index=["indicator", "measure"], columns="year", values="value", aggfunc="first")
    cat = page.dataset.catalogue
    keys = [(k, m) for k, m in wide.index]
    keys.sort(key=lambda km: list(cat).index(km[0]))
    town = page.town(body.district, body.name)
    table = Table(say("overview.trends.town_caption", town=town), ["指标", "计量", *[f"{y}年" for y in years]],
                  [[cat[k].name_zh, m, *[fmt_number(_or_none(wide.at[(k, m), y])) for y in years]] for k, m in keys],
                  set(range(2, 2 + len(years))))
    if len(years) < 2:
        return join(table)
    previous, latest = years[-2], years[-1]
    both = [(k, m) for k, m in keys if cat[k].kind == "count" and not is_size(cat[k].kind, m)
            and not math.isnan(_nan(wide.at[(k, m), previous])) and not math.isnan(_nan(wide.at[(k, m), latest]))]
    chart = None
    if both:
        chart = overview_charts.shrink(charts.comparison_chart(
            [cat[k].name_zh for k, _ in both], [float(wide.at[km, latest]) for km in both],
            [float(wide.at[km, previous]) for km in both], latest, previous, [m for _, m in both],
            say("overview.trends.town_chart_caption", town=town, previous=previous, latest=latest)))
    return join(table, chart)


def _as_written(row) -> str:
    """The expression beside a bar when a qualifier bounds the number (300余人次 is not exactly 300)."""
    return say("overview.comparison.as_written", expr=row.expr) if row.qualifier in QUALIFIERS and row.expr else ""


def _nan(value) -> float:
    return float("nan") if pd.isna(value) else float(value)


def _or_none(value) -> float | None:
    return None if pd.isna(value) else float(value)
