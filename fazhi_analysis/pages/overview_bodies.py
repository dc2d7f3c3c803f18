"""Blocks of a page that compares bodies (a district's page, or a list of bodies), designed for N:
up to MAX_BARS bodies one bar per body, sorted; beyond, the top and bottom TOP_BOTTOM bodies in a table
and every body as a dot on one line, and a grid of who reports what instead of lists of names. A page
stays a few dozen A4 pages however many bodies the district has."""

import math

import pandas as pd

from ..analysis.peers import is_size, median_of
from ..data.bodies import Body
from ..data.formatting import fmt_number, with_measure
from ..data.qualifiers import QUALIFIERS
from ..data.structure import SECTION_BY_KEY, SECTIONS
from . import charts, narrative, overview_charts
from .html_block import HtmlBlock, join
from .overview_compare import JUMP_FACTOR, MIN_BODIES_COMPARED, MIN_VALUES_FOR_OUTLIERS, history_summary
from .overview_compare import no_ranking_reason as _no_ranking_reason
from .tables import Table

MAX_BARS = 15  # one bar per body up to here; a longer list of bars is not read
TOP_BOTTOM = 5
MAX_BODY_TRENDS = 5  # bodies whose year-by-year tables the page shows; beyond, the group's medians
QUALIFIED_NOTE = "带“余”“近”“超”等限定词的数字按所写数字排名，实际数可能略有出入。"


def heading(page) -> HtmlBlock:
    f = page._figures
    many = len(page.bodies) > MAX_BARS
    return narrative.render(
        "overview_heading", title=page.title, year=page.year, group_label=page.group_label,
        bodies=[] if many else [page.label(b.district, b.name) for b in page.bodies], n_bodies=len(page.bodies),
        n_figures=page.n_stated(), n_linked=len(f), n_indicators=f["indicator"].nunique(),
        n_sources=f["source"].nunique(),
        n_compared=len(page.compared_pairs()), min_bodies=MIN_BODIES_COMPARED, provinces=page.provinces,
        n_districts=len(page.districts), max_bars=MAX_BARS, top_bottom=TOP_BOTTOM)


def coverage(page) -> HtmlBlock:
    """Up to MAX_BARS bodies: per section and per indicator with the bodies' names; beyond: the number
    of bodies per indicator and a grid of bodies × indicators grouped by district."""
    if len(page.bodies) <= MAX_BARS:
        return join(coverage_by_section(page), coverage_matrix(page))
    matrix = coverage_frame(page)
    cat = page.dataset.catalogue
    counts = Table(f"表：{page.year}年各指标报告的镇街数（共{len(page.bodies)}个镇街）",
                   ["方面", "指标", "计量", "报告的镇街数"],
                   [[SECTION_BY_KEY[cat[k].section].title_zh, cat[k].name_zh, cat[k].measure, str(int(r.sum()))]
                    for k, r in matrix.iterrows()], {3}, note="各镇街报告了哪些指标，见下图。")
    order = sorted(page.bodies, key=lambda b: page.districts.index((b.province, b.district)))
    labels = [page.label(b.district, b.name) for b in order]
    grid = overview_charts.coverage_grid(
        [(b.district, b.name) for b in order], [cat[k].name_zh for k in matrix.index],
        [[bool(matrix.at[k, label]) for k in matrix.index] for label in labels],
        f"图：{page.year}年各镇街报告的指标（深色为已报告，浅色为未报告）")
    return join(counts, *grid)


def coverage_by_section(page) -> Table:
    """Bodies × report sections: how many indicators each body states in each section."""
    counts = page._figures.groupby(["label", "section"])["indicator"].nunique()
    rows = []
    for body in page.bodies:
        label = page.label(body.district, body.name)
        per = [int(counts.get((label, s.key), 0)) for s in SECTIONS]
        rows.append([label, *[str(n) if n else "—" for n in per], str(sum(per))])
    columns = ["镇街", *[s.title_zh for s in SECTIONS], "指标数"]
    return Table(f"表：{page.year}年各镇街在各方面报告的指标数", columns, rows, set(range(1, len(columns))),
                 note="“—”表示该镇街本年度在这一方面没有报告数字。")


def coverage_frame(page) -> pd.DataFrame:
    """The coverage matrix itself, indicators × bodies, True where reported: for analysts to filter."""
    f = page._figures
    labels = [page.label(b.district, b.name) for b in page.bodies]
    matrix = pd.crosstab(f["indicator"], f["label"]).reindex(columns=labels, fill_value=0) > 0
    return matrix.reindex([k for k in page.report_order() if k in matrix.index])


def coverage_matrix(page) -> Table:
    """Which body reports which indicator, one row an indicator, its bodies named (small groups only)."""
    matrix = coverage_frame(page)
    cat = page.dataset.catalogue
    rows = [[SECTION_BY_KEY[cat[key].section].title_zh, cat[key].name_zh, str(int(reported.sum())), _who(reported)]
            for key, reported in matrix.iterrows()]
    return Table(f"表：{page.year}年各指标由哪些镇街报告", ["方面", "指标", "镇街数", "报告的镇街"], rows, {2})


def _who(reported: pd.Series) -> str:
    """The shorter list: '仅甲、乙报告', '除丙外均报告' or '均报告'."""
    yes = [label for label, flag in reported.items() if flag]
    no = [label for label, flag in reported.items() if not flag]
    if not no:
        return "均报告"
    return f"仅{'、'.join(yes)}报告" if len(yes) <= len(no) else f"除{'、'.join(no)}外均报告"


def comparisons(page) -> HtmlBlock:
    blocks = [comparison(page, key, measure) for key, measure in page.compared_pairs()]
    if not blocks:
        return narrative.render("overview_no_comparison", year=page.year, min_bodies=MIN_BODIES_COMPARED)
    return join(*blocks)


def _rows(page, key: str, measure: str) -> pd.DataFrame:
    f = page._figures
    rows = f[(f["indicator"] == key) & (f["measure"] == measure)]
    return rows.sort_values(["value", "label"], ascending=[False, True])


def comparison(page, key: str, measure: str) -> HtmlBlock:
    """One indicator in one measure: a sentence, a chart, and a ranking where ranking means something."""
    rows = _rows(page, key, measure)
    ind = page.dataset.catalogue[key]
    size = is_size(ind.kind, measure)
    reason = _no_ranking_reason(rows["value"], ind.kind, measure)
    many = len(rows) > MAX_BARS
    text = narrative.render("overview_comparison", name_zh=ind.name_zh, section_zh=SECTION_BY_KEY[ind.section].title_zh,
                            n_bodies=len(rows), median=with_measure(median_of(rows["value"], measure), measure),
                            low=with_measure(rows["value"].min(), measure),
                            high=with_measure(rows["value"].max(), measure), no_ranking_reason=reason)
    if rows["value"].nunique() == 1:  # identical bars say nothing the sentence does not
        return text
    if many:
        chart = overview_charts.strip_chart(
            list(rows["value"]), measure, f"图：{page.year}年{ind.name_zh}（{measure}），每个点为一个镇街",
            f"{len(rows)}个镇街的{ind.name_zh}，最低{fmt_number(rows['value'].min())}{measure}，"
            f"最高{fmt_number(rows['value'].max())}{measure}")
    else:
        shown = rows.sort_values("label") if size else rows  # sizes in name order: context, not a ranking
        order = "按名称排列" if size else "按数值从高到低"
        caption = f"图：{page.year}年{ind.name_zh}（{measure}），{order}"
        chart = overview_charts.shrink(charts.bar_chart(list(shown["label"]), list(shown["value"]), measure, caption,
                                                        [_as_written(r) for r in shown.itertuples()]))
    return join(text, chart, None if reason else ranking_table(page, key, measure))


def ranking_table(page, key: str, measure: str) -> Table:
    """Ranks with ties shared (two bodies at 12 are both 第2), qualifiers kept beside the number; beyond
    MAX_BARS bodies only the top and bottom TOP_BOTTOM."""
    rows = _rows(page, key, measure)
    ranks = rows["value"].rank(method="min", ascending=False).astype(int)
    ind = page.dataset.catalogue[key]
    body = [[f"第{rank}", r.label, fmt_number(r.value), r.expr or ""]
            for rank, r in zip(ranks, rows.itertuples(), strict=True)]
    title = f"表：{page.year}年{ind.name_zh}排名"
    if len(body) > MAX_BARS:
        values = list(rows["value"])
        n_top, n_bottom = (max(TOP_BOTTOM, values.count(v)) for v in (values[0], values[-1]))
        top = _tied_end(body[:TOP_BOTTOM], values.count(values[0]), values[0], measure)
        bottom = _tied_end(body[-TOP_BOTTOM:], values.count(values[-1]), values[-1], measure)
        middle = len(body) - n_top - n_bottom
        body = [*top, *([["……", f"中间{middle}个镇街从略", "", ""]] if middle > 0 else []), *bottom]
        title = f"表：{page.year}年{ind.name_zh}前{TOP_BOTTOM}位和后{TOP_BOTTOM}位（共{len(rows)}个镇街）"
    return Table(title, ["名次", "镇街", f"数值（{measure}）", "原文表述"], body, {2}, note=QUALIFIED_NOTE)


def _tied_end(rows: list[list[str]], n_tied: int, value: float, measure: str) -> list[list[str]]:
    """Five of 90 bodies tied at 0起 would single them out at random: say how many share the value."""
    if n_tied <= TOP_BOTTOM:
        return rows
    return [[rows[0][0], f"{n_tied}个镇街并列", fmt_number(value), f"均为{with_measure(value, measure)}"]]


def flags_table(page) -> Table:
    cat = page.dataset.catalogue
    rows = [[page.label(fl.body.district, fl.body.name), cat[fl.indicator].name_zh,
             fl.expr or fmt_number(fl.value), fl.reason_zh] for fl in page.flags()]
    return Table(f"表：{page.year}年需要核实的数字", ["镇街", "指标", "原文表述", "为什么要核实"], rows,
                 note=("" if rows else "没有发现明显异常的数字。") + FLAGS_NOTE)


FLAGS_NOTE = (f"同一年、同一指标、同一计量单位，至少{MIN_VALUES_FOR_OUTLIERS}个镇街报告时，"
              f"与同区其他镇街相比明显偏高或偏低的数字列出；与本镇街上一年相比相差{JUMP_FACTOR:g}倍以上的也列出。被列出不等于错误，请对照原文核实。")


def trends(page) -> HtmlBlock:
    """The group's medians year by year; for a handful of bodies also each body's own years."""
    n_years = page._history.groupby(["district", "body"])["year"].nunique()
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
    summary = history_summary(page._history, page.compared_pairs(), page.year)
    years = sorted(int(y) for y in page._history["year"].unique())
    cat = page.dataset.catalogue
    rows = []
    for r in summary.to_dict("records"):
        cells = [f"{with_measure(r[y][1], r['measure'])}（{r[y][0]}）" if r[y][1] is not None else "—" for y in years]
        change = (f"增{r['up']} 减{r['down']} 平{r['flat']}" if isinstance(r.get("up"), int) else "—")
        rows.append([cat[r["indicator"]].name_zh, *cells, change])
    columns = ["指标", *[f"{y}年" for y in years], f"{page.year}年较上年（镇街数）"]
    return Table("表：各年度中位数（括号内为报告的镇街数）", columns,
                 rows, set(range(1, len(years) + 2)),
                 note="较上年：与各镇街自身上一个有数据的年度相比，增加、减少、持平的镇街数。")


def trend(page, body: Body) -> HtmlBlock:
    history = page._history
    rows = history[(history["district"] == body.district) & (history["body"] == body.name)]
    years = sorted(int(y) for y in rows["year"].unique())
    wide = rows.pivot_table(index=["indicator", "measure"], columns="year", values="value", aggfunc="first")
    cat = page.dataset.catalogue
    keys = [(k, m) for k, m in wide.index]
    keys.sort(key=lambda km: list(cat).index(km[0]))
    label = page.label(body.district, body.name)
    table = Table(f"表：{label}各年度数字", ["指标", "计量", *[f"{y}年" for y in years]],
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
            f"图：{label}主要数字，{previous}年与{latest}年"))
    return join(table, chart)


def _as_written(row) -> str:
    """The expression beside a bar when a qualifier bounds the number (300余人次 is not exactly 300)."""
    return f"原文{row.expr}" if row.qualifier in QUALIFIERS and row.expr else ""


def _nan(value) -> float:
    return float("nan") if pd.isna(value) else float(value)


def _or_none(value) -> float | None:
    return None if pd.isna(value) else float(value)
