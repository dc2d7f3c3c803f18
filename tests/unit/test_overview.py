"""The district overview: group selection, comparisons only where several bodies report, rankings only
where values differ, implausible values flagged with reasons, trends, escaping, and the notebook
through papermill + the offline HTML export."""

import re

import pandas as pd
import pytest

from fazhi_analysis.errors import ParameterError
from fazhi_analysis.pages.overview import OverviewPage, no_ranking_reason, select_group
from fazhi_analysis.pages.overview_compare import far_scores
from fazhi_analysis.paths import OVERVIEW_NOTEBOOK as NOTEBOOK


def _append(data_dir, *lines: str) -> None:
    """Observation rows given without their last column (statement), which stays empty."""
    with (data_dir / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("".join(line + ",\n" for line in lines))


@pytest.fixture(scope="module")
def overview_2025():
    return OverviewPage.load(2025)


def test_group_is_all_a_district_or_a_list(overview_2025):
    dataset = overview_2025.dataset
    assert select_group(dataset, "all")[1] == dataset.bodies
    label, bodies = select_group(dataset, "巫溪县")
    assert label == "巫溪县" and {b.name for b in bodies} == {"峰灵镇", "大河乡"}
    label, bodies = select_group(dataset, "峰灵镇，杜城街道")
    assert [b.name for b in bodies] == ["峰灵镇", "杜城街道"] and label == "峰灵镇、杜城街道"
    with pytest.raises(ParameterError, match="没有主体"):
        select_group(dataset, "不存在镇")


def test_a_year_the_group_has_no_data_for_names_the_years():
    with pytest.raises(ParameterError, match="2025"):
        OverviewPage.load(2019, "巫溪县")


def test_coverage_lists_every_reported_indicator_with_its_bodies(overview_2025):
    matrix = overview_2025.coverage_frame()
    figures = overview_2025.figures()
    assert int(matrix.to_numpy().sum()) == int(figures["comparable"].sum())
    assert matrix.loc["collective_law_study_count", "徐家湾街道（西安市未央区）"]
    assert not matrix.loc["collective_law_study_count", "峰灵镇（巫溪县）"]  # 法治集中学习 is not 集体学法
    table = overview_2025.coverage_matrix().to_frame()
    row = table[table["指标"] == "干部职工集体学法"].iloc[0]
    assert row["镇街数"] == 1 and row["报告的镇街"] == "仅徐家湾街道"  # names alone: unique on the page
    by_section = overview_2025.coverage_by_section().to_frame()
    assert len(by_section) == len(overview_2025.bodies)
    assert by_section["报告的数字"].sum() == len(figures)  # every figure, the towns' own items too


def test_a_town_that_reported_figures_never_shows_zero(overview_2025):
    """吴家镇 reported five figures, none comparable: its row said 0 in "各镇街在各方面报告的指标数"."""
    by_section = overview_2025.coverage_by_section().to_frame().set_index("镇街")
    wujia = by_section.loc["吴家镇（荣昌区）"]
    assert wujia["报告的数字"] == 5 and wujia["可与其他镇街比较"] == "没有可比的数字"
    assert wujia["政务服务"] == 3 and not (by_section == 0).any().any() and not (by_section == "0").any().any()


def test_only_a_minority_is_introduced_with_only():
    from fazhi_analysis.pages.overview_bodies import who

    five_of_ten = pd.Series([True] * 5 + [False] * 5, index=[f"镇{i}" for i in range(10)])
    assert who(five_of_ten) == "镇0、镇1、镇2、镇3、镇4"  # half is not a minority
    assert who(pd.Series([True, False, False], index=["甲", "乙", "丙"])) == "仅甲"
    assert who(pd.Series([True, True, False], index=["甲", "乙", "丙"])) == "除丙外均有"


def test_comparisons_need_three_bodies_and_rank_only_differing_values(overview_2025):
    compared = overview_2025.compared_indicators()
    figures = overview_2025.figures()
    counts = figures[figures["comparable"]]["indicator"].value_counts()
    assert compared and all(counts[k] >= 3 for k in compared)
    assert "law_exam_pass_rate_pct" in compared  # five bodies, all at 100 %
    flat = str(overview_2025.comparison("law_exam_pass_rate_pct"))
    assert "均为100%，不作排名" in flat and "排名</caption>" not in flat and "<img" not in flat
    assert "<th>名次</th>" not in flat and "口径：" in flat
    assert "写法不完全相同（5种" in flat  # 合格率 and 通过率 under one indicator: said, with the wordings


def _town(name: str, label: str, key: str, value: int, measure: str = "次", district: str = "测试区",
          statement: str = "") -> str:
    return (f"重庆市,{district},{name},2025,first_responsible,,study,{label},{key},{value},{measure},,"
            f"{value}{measure},test,{statement}")


def _add(data_dir, *lines: str) -> None:
    with (data_dir / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def test_a_ranking_needs_five_towns_and_one_unit_is_not_a_place(data_copy):
    towns = [("甲镇", 12), ("乙镇", 12), ("丙镇", 8), ("丁镇", 6), ("戊镇", 5)]
    _add(data_copy, *[_town(n, "干部职工集体学法", "collective_law_study_count", v) for n, v in towns])
    page = OverviewPage.load(2025, "测试区", str(data_copy))
    ranked = page.ranking_table("collective_law_study_count").to_frame()
    assert list(ranked["名次"]) == ["第1", "第1", "第3", "第4", "第4"]  # 6次 and 5次 share a place
    assert list(ranked["报告中的事项"]) == ["干部职工集体学法"] * 5 and list(ranked["数值（次）"]) == [12, 12, 8, 6, 5]
    four = OverviewPage.load(2025, "甲镇,乙镇,丙镇,丁镇", str(data_copy))
    listed = four.ranking_table("collective_law_study_count").to_frame()
    assert "名次" not in listed.columns and len(listed) == 4
    assert "只有4个镇街报告，不足5个" in str(four.comparison("collective_law_study_count"))


def test_rankings_show_each_towns_own_wording_and_clause(data_copy):
    towns = [("甲镇", "干部职工集体学法", 13), ("乙镇", "集体学法", 9), ("丙镇", "干部职工学法", 6),
             ("丁镇", "集体学法", 3), ("戊镇", "集体学法", 1)]
    _add(data_copy, *[_town(n, label, "collective_law_study_count", v, statement=f"全年组织{label}{v}次")
                      for n, label, v in towns])
    page = OverviewPage.load(2025, "测试区", str(data_copy))
    table = page.ranking_table("collective_law_study_count")
    frame = table.to_frame()
    assert list(frame.columns) == ["名次", "镇街", "报告中的事项", "原文写法", "原文句子", "数值（次）"]
    assert frame.iloc[0].tolist() == ["第1", "甲镇", "干部职工集体学法", "13次", "全年组织干部职工集体学法13次", 13]
    assert "写法不完全相同（3种" in table.note


def test_a_check_that_could_not_run_says_why(overview_2025, data_copy):
    note = overview_2025.flags_table().note
    assert "没有镇街有上一年度的同项数字，未能检查" in note  # 2025: every town has one year
    _add(data_copy, _town("甲镇", "集体学法", "collective_law_study_count", 3))
    alone = OverviewPage.load(2025, "测试区", str(data_copy)).flags_table().note
    assert "没有发现" not in alone and "无法检查" in alone and "未能检查" in alone


def test_implausible_values_are_flagged_with_the_reason(data_copy):
    towns = [("甲镇", 6), ("乙镇", 7), ("丙镇", 5), ("丁镇", 8), ("戊镇", 6), ("己镇", 6000)]
    _add(data_copy, *[_town(n, "集体学法", "collective_law_study_count", v) for n, v in towns])
    page = OverviewPage.load(2025, "测试区", str(data_copy))
    flagged = [f for f in page.flags() if f.indicator == "collective_law_study_count"]
    assert flagged[0].body.name == "己镇"
    figures = page.figures()
    n_reporting = (figures["indicator"] == "collective_law_study_count").sum()  # this year only
    assert f"其他{n_reporting - 1}个镇街" in flagged[0].reason_zh  # agrees with the page's own count
    assert flagged[0].reason_zh.startswith("明显高于其他") and "中位数" in flagged[0].reason_zh
    assert not any(word in flagged[0].reason_zh for word in ("稳健", "z", "绝对中位差", "对数"))


def _xiakou_2024(data_copy) -> None:
    _append(data_copy, "重庆市,南岸区,峡口镇,2024,measures,,disputes,排查受理矛盾纠纷,disputes_received_count,260,件,,"
                       "260件,test",
            "重庆市,南岸区,峡口镇,2024,measures,,legal_education,法律法规宣传资料,legal_materials_copies,180000,份,余,"
            "18万余份,test")


def test_trends_and_tenfold_jumps_for_a_body_with_two_years(data_copy):
    _xiakou_2024(data_copy)
    overview = OverviewPage.load(2024, "南岸区", str(data_copy))
    trends = str(overview.trends())
    assert "2023年" in trends and "2024年" in trends and "<img" in trends
    jump = [f for f in overview.flags() if f.indicator == "legal_materials_copies"]
    assert jump and "2023年为15000" in jump[0].reason_zh and "12倍" in jump[0].reason_zh
    assert "只有一个年度" in str(OverviewPage.load(2025, "巫溪县").trends())


def test_text_from_data_is_escaped(data_copy):
    _append(data_copy, "重庆市,<b>区</b>,<script>alert(1)</script>镇,2025,first_responsible,,study,<i>集体学法</i>,"
                       "collective_law_study_count,3,次,,3次,x",
            "重庆市,<b>区</b>,<script>alert(1)</script>镇,2025,measures,,legal_education,集中普法宣传,"
            "legal_campaigns_count,3,次,,<img src=x>,x")
    overview = OverviewPage.load(2025, "all", str(data_copy))
    html = "".join(str(b._repr_html_()) for b in (overview.heading(), overview.coverage_matrix(),
                                                     overview.comparisons(), overview.flags_table()))
    assert "<script>" not in html and "<img src=x>" not in html and "&lt;script&gt;" in html


def test_notebook_is_thin_with_one_parameters_cell():
    import json

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1 and "group = " in "".join(tagged[0]["source"])
    for cell in nb["cells"]:
        assert not cell.get("outputs") and cell.get("execution_count") is None
        if cell["cell_type"] == "code" and cell is not tagged[0]:
            source = "".join(cell["source"])
            assert not re.search(r"20\d\d", source) and sum(bool(ln.strip()) for ln in source.splitlines()) <= 3


def test_places_share_a_place_within_one_unit():
    from fazhi_analysis.analysis.peers import places

    assert places([13, 12, 11, 6]) == [1, 1, 1, 4]  # the 2025 case: 13, 12 and 11 are not three places
    assert places([6, 12, 5, 12, 8]) == [4, 1, 4, 1, 3]  # in the order given
    assert places([100.0, 98.5, 90.0]) == [1, 2, 3]


def test_no_ranking_reason():
    assert no_ranking_reason(pd.Series([100.0, 100.0, 100.0]), "rate", "%") == "各镇街均为100%，不作排名"
    assert "不足5个" in no_ranking_reason(pd.Series([3.0, 5.0, 5.0]), "count", "次")
    one_apart = pd.Series([3.0, 4.0, 4.0, 5.0, 5.0])
    assert no_ranking_reason(one_apart, "count", "次") == "各镇街的数字相差都不超过1，不排名次"
    assert no_ranking_reason(pd.Series([3.0, 9.0, 4.0, 5.0, 5.0]), "count", "次") == ""


def test_far_scores_find_a_planted_outlier_and_stay_quiet_without_spread():
    z = far_scores(pd.Series([5.0, 6, 6, 7, 8, 5, 400]), "count")
    assert abs(z.iloc[-1]) > 3.5 and all(abs(v) < 3.5 for v in z.iloc[:-1])
    assert far_scores(pd.Series([100.0] * 6), "rate").isna().all()


@pytest.mark.parametrize(("year", "group"), [(2025, "all"), (2025, "重庆市"), (2024, "all"), (2023, "重庆市")])
def test_the_overview_reads_as_a_careful_writer_would(year, group):
    """A rule said once, not under every table (the qualifier note, sizes, wordings both above and in a
    table); a list of towns repeated from row to row is 同上, and names alone where they are unique."""
    from page_reader import problems

    page = OverviewPage.load(year, group)
    html = "".join(b._repr_html_() for b in (page.heading(), page.coverage(), page.comparisons(),
                                            page.flags_table(), page.trends()))
    assert problems(html) == []


def test_the_title_says_how_many_towns_it_holds():
    """The 重庆 2025 overview holds 10 towns (of the city's ~1,000 镇街): its title says so instead of claiming
    重庆市 (a reviewer: 「2025年重庆市法治政府建设情况概览」 overclaims); and not 已录入报告的10个镇街, since
    新田镇's report was read too and gave no figure (a reviewer, next round)."""
    page = OverviewPage.load(2025, "重庆市")
    assert page.title == "2025年重庆市法治政府建设情况概览（本页收录10个镇街，各镇街比较）"
    assert len(page.bodies) == 10
    # the data holds what was entered from each report, not all it reported (a reviewer: 「共报告58个数字」)
    heading = str(page.heading())
    assert "从10个镇街（峰灵镇（巫溪县）" in heading and "的报告中录入数字58个。" in heading and "共报告" not in heading
