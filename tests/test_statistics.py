"""Golden numbers: the product holds every figure the 峡口镇 2023 report states and checks every rate it
claims (DESIGN.md §1), computes derived figures, and compares years only when an earlier year exists."""

import pytest

from fazhi_analysis.analysis.year_statistics import compute_year_statistics
from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.pages.annual import AnnualPage

# (indicator, value, qualifier, expression as written) — DESIGN.md §1, figures the seed states
SEED_FIGURES = [
    ("admin_penalty_decisions_count", 54, "", "54次"),
    ("unlicensed_buildings_demolished_m3", 27000, "约", "全部约2.7万方"),
    ("major_accidents_count", 0, "", "未发生"),
    ("gov_info_disclosed_count", 51, "", "51条"),
    ("mediation_committees_count", 8, "", "8个"),
    ("mediators_count", 49, "", "49名"),
    ("mediation_rooms_count", 8, "", "8个"),
    ("disputes_received_count", 242, "", "242件"),
    ("disputes_mediated_count", 242, "", "242件"),
    ("disputes_resolved_count", 238, "", "238件"),
    ("mediation_rate_pct", 100, "达", "达100%"),
    ("mediation_success_rate_pct", 98, "以上", "达98%以上"),
    ("yard_meetings_count", 3, "", "3次"),
    ("law_lectures_count", 4, "", "4期"),
    ("legal_columns_count", 22, "", "22期"),
    ("legal_bulletins_count", 10, "", "10期"),
    ("legal_campaigns_count", 12, "", "12次"),
    ("legal_materials_copies", 15000, "余", "15000余份"),
    ("leadership_law_meetings_count", 10, "余", "10余次"),
    ("law_exam_pass_rate_pct", 100, "", "100%"),
]


@pytest.fixture(scope="module")
def seed_stats():
    dataset = load_dataset()
    body = dataset.find_body("峡口镇")
    return dataset, compute_year_statistics(dataset, body, 2023)


def test_every_seed_figure_is_held(seed_stats):
    dataset, _ = seed_stats
    rows = dataset.rows_of(dataset.find_body("南岸区峡口镇"), 2023)
    held = {r.indicator: (r.value, r.qualifier, r.expr) for r in rows.itertuples()}
    for key, value, qualifier, expr in SEED_FIGURES:
        assert held[key] == (value, qualifier, expr), key
    assert len(held) == len(SEED_FIGURES)


def test_stated_rates_are_checked_against_counts(seed_stats):
    _, stats = seed_stats
    claims = {c.indicator: c for c in stats.claims}
    assert claims["mediation_rate_pct"].status == "consistent"
    assert claims["mediation_rate_pct"].computed == pytest.approx(100.0)
    assert claims["mediation_success_rate_pct"].status == "consistent"
    assert claims["mediation_success_rate_pct"].computed == pytest.approx(98.3471, abs=1e-3)
    # the report gives no denominator for the exam: never recomputed
    assert claims["law_exam_pass_rate_pct"].status == "unverifiable"
    assert claims["law_exam_pass_rate_pct"].computed is None


def test_derived_figures(seed_stats):
    _, stats = seed_stats
    derived = {d.key: d.value for d in stats.derived}
    assert derived["caseload_per_mediator"] == pytest.approx(242 / 49)
    assert derived["mediation_success_rate_pct_computed"] == pytest.approx(100 * 238 / 242)
    assert stats.value("legal_education_events_count") == 3 + 4 + 12  # 院坝会 + 讲座 + 集中宣传
    assert stats.value("legal_education_issues_count") == 22 + 10  # 专栏 + 简报


def test_no_previous_year_is_said_plainly(seed_stats):
    dataset, stats = seed_stats
    assert stats.previous_year is None
    assert stats.figures["change"].isna().all()
    report = AnnualPage(dataset, stats)
    assert "无上年数据" in report.summary().html
    assert "无上年数据，不作同比" in report.section_table("disputes").note


def test_year_over_year_when_previous_year_exists(data_copy):
    rows = [
        "重庆市,南岸区,峡口镇,2022,disputes_received_count,230,,230件,test",
        "重庆市,南岸区,峡口镇,2022,yard_meetings_count,5,,5次,test",
    ]
    with (data_copy / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    dataset = load_dataset(data_copy)
    stats = compute_year_statistics(dataset, dataset.find_body("峡口镇"), 2023)
    assert stats.previous_year == 2022
    figures = stats.figures.set_index("indicator")
    assert figures.loc["disputes_received_count", "change"] == 12
    assert figures.loc["disputes_received_count", "change_pct"] == pytest.approx(100 * 12 / 230)
    assert figures.loc["yard_meetings_count", "change"] == -2
    report = AnnualPage(dataset, stats)
    html = report.section("disputes").html
    assert "与2022年相比" in html and "增加12件" in html
    assert "普法院坝会较2022年减少2次" in report.shortcomings().html


def test_an_inconsistent_stated_rate_is_reported(data_copy):
    path = data_copy / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("disputes_resolved_count,238,,238件",
                                                             "disputes_resolved_count,200,,200件"), encoding="utf-8")
    dataset = load_dataset(data_copy)
    stats = compute_year_statistics(dataset, dataset.find_body("峡口镇"), 2023)
    claim = next(c for c in stats.claims if c.indicator == "mediation_success_rate_pct")
    assert claim.status == "inconsistent"
    assert claim.computed == pytest.approx(100 * 200 / 242)
    assert "不一致" in AnnualPage(dataset, stats).shortcomings().html
