"""The district overview: group selection, comparisons only where several bodies report, rankings only
where values differ, implausible values flagged with reasons, trends, escaping, and the notebook
through papermill + the offline HTML export."""

import re

import pandas as pd
import pytest
from conftest import require

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
    assert int(matrix.to_numpy().sum()) == len(figures)
    assert matrix.loc["collective_law_study_count", "峰灵镇（巫溪县）"]
    table = overview_2025.coverage_matrix().to_frame()
    row = table[table["指标"] == "干部职工集体学法"].iloc[0]
    # 5 of 13 bodies: named; 吴家镇's 理论学习 80余次 is its own item, not this indicator (data/README.md)
    assert row["镇街数"] == "5" and row["报告的镇街"].startswith("仅") and "吴家镇" not in row["报告的镇街"]
    by_section = overview_2025.coverage_by_section().to_frame()
    assert len(by_section) == len(overview_2025.bodies)
    assert by_section["指标数"].astype(int).sum() == len(figures)


def test_comparisons_need_three_bodies_and_rank_only_differing_values(overview_2025):
    compared = overview_2025.compared_indicators()
    counts = overview_2025.figures()["indicator"].value_counts()
    assert compared and all(counts[k] >= 3 for k in compared)
    assert "law_exam_pass_rate_pct" in compared  # five bodies, all at 100 %
    flat = str(overview_2025.comparison("law_exam_pass_rate_pct"))
    assert "均为100%，不作排名" in flat and "排名" not in flat.replace("不作排名", "") and "<img" not in flat
    ranked = overview_2025.ranking_table("collective_law_study_count").to_frame()
    assert list(ranked["名次"]) == ["第1", "第2", "第3", "第3", "第5"]  # 双山镇 and 峰灵镇 both 6: shared
    assert ranked["数值（次）"].iloc[0] == "12"
    chart = str(overview_2025.comparison("collective_law_study_count"))
    assert chart.index("杜城街道（西安市雁塔区）12次") < chart.index("大河乡（巫溪县）5次")  # sorted, alt text


def test_no_ranking_reason():
    assert no_ranking_reason(pd.Series([100.0, 100.0, 100.0]), "rate") == "各主体均为100%，不作排名"
    assert no_ranking_reason(pd.Series([3.0, 5.0, 5.0]), "count") == ""


def test_far_scores_find_a_planted_outlier_and_stay_quiet_without_spread():
    z = far_scores(pd.Series([5.0, 6, 6, 7, 8, 5, 400]), "count")
    assert abs(z.iloc[-1]) > 3.5 and all(abs(v) < 3.5 for v in z.iloc[:-1])
    assert far_scores(pd.Series([100.0] * 6), "rate").isna().all()


def test_implausible_values_are_flagged_with_the_reason(data_copy):
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    assert "法治集中学习,collective_law_study_count,6,次,,6次" in text
    path.write_text(text.replace("法治集中学习,collective_law_study_count,6,次,,6次",
                                 "法治集中学习,collective_law_study_count,6000,次,,6000次"), encoding="utf-8")
    page = OverviewPage.load(2025, "all", str(data_copy))
    flagged = [f for f in page.flags() if f.indicator == "collective_law_study_count"]
    assert flagged[0].body.name == "峰灵镇"
    n_reporting = (page.figures()["indicator"] == "collective_law_study_count").sum()  # this year only
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
    _append(data_copy, "重庆市,<b>区</b>,<script>alert(1)</script>镇,2025,first_responsible,,study,<i>学法</i>,"
                       "collective_law_study_count,3,次,,3次,x",
            "重庆市,<b>区</b>,<script>alert(1)</script>镇,2025,measures,,legal_education,集中普法宣传,"
            "legal_campaigns_count,3,次,,<img src=x>,x")
    overview = OverviewPage.load(2025, "all", str(data_copy))
    html = "".join(str(b._repr_html_()) for b in (overview.heading(), overview.coverage_matrix(),
                                                     overview.comparisons(), overview.flags_table()))
    assert "<script>" not in html and "<img src=x>" not in html and "&lt;script&gt;" in html


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return "python3" in KernelSpecManager().find_kernel_specs()


def test_notebook_runs_through_papermill_and_exports_offline_html(tmp_path):
    require(_kernel_available(), "no python3 Jupyter kernelspec")
    import nbformat
    import papermill

    from fazhi_analysis.render.export import notebook_to_html

    nb = papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "o.ipynb"), parameters={"year": 2025},
                                    kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    html = notebook_to_html(nbformat.from_dict(nb), "2025年法治政府建设情况区域概览")
    assert "干部职工集体学法排名" in html and "各指标由哪些镇街报告" in html and "需要核实的数字" in html
    assert not re.search(r"<script[^>]+src=", html) and "import " not in html
    assert html.count("data:image/png;base64") >= 3  # charts only where 3+ bodies share an item and values differ


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
