"""Golden numbers: the product holds every figure the 峡口镇 2023 report states and checks every rate it
claims (the seed report's own expressions), computes derived figures, and compares years only when an
earlier year exists."""

import pandas as pd
import pytest

from fazhi_analysis.analysis.year_statistics import compute_year_statistics
from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.pages.annual import AnnualPage

# (label, value, measure, qualifier, expression as written, sub-heading), as the seed report states them
H3 = "（三）强化制约监督，促进权力规范运行"
H4 = "（四）加强纠纷化解，维护社会和谐稳定"
H5 = "（五）推进法治宣传，提升群众守法意识"
SEED_FIGURES = [
    ("行政处罚处理决定", 54, "次", "", "54次", H3),
    ("依法拆除辖区工矿企业无证厂房", 27000, "方", "约", "全部约2.7万方", H3),
    ("安全生产、环境保护等重点领域重大事故", 0, "", "", "未发生", H3),
    ("对外公开政府相关信息", 51, "条", "", "51条", H3),
    ("人民调解委员会", 8, "个", "", "8个", H4),
    ("人民调解员", 49, "名", "", "49名", H4),
    ("调解室", 8, "个", "", "8个", H4),
    ("排查受理矛盾纠纷", 242, "件", "", "242件", H4),
    ("调解", 242, "件", "", "242件", H4),
    ("调解成功", 238, "件", "", "238件", H4),
    ("调解率", 100, "%", "达", "达100%", H4),
    ("调解成功率", 98, "%", "以上", "达98%以上", H4),
    ("院坝会", 3, "次", "", "3次", H5),
    ("法治讲座", 4, "期", "", "4期", H5),
    ("普法专栏", 22, "期", "", "22期", H5),
    ("普法工作简报", 10, "期", "", "10期", H5),
    ("集中普法宣传", 12, "次", "", "12次", H5),
    ("法律法规宣传资料", 15000, "份", "余", "15000余份", H5),
    ("党委会、党政联席会、法治政府建设专题会议等", 10, "次", "余", "10余次", ""),
    ("法治理论知识考试通过率", 100, "%", "", "100%", ""),
]


@pytest.fixture(scope="module")
def seed_stats():
    dataset = load_dataset()
    body = dataset.find_body("峡口镇")
    return dataset, compute_year_statistics(dataset, body, 2023)


def test_every_seed_figure_is_held_with_its_words_measure_and_place(seed_stats):
    dataset, _ = seed_stats
    rows = dataset.rows_of(dataset.find_body("南岸区峡口镇"), 2023)
    held = [(r.label, r.value, r.measure, r.qualifier, r.expr, r.heading) for r in rows.itertuples()]
    assert held == SEED_FIGURES
    parts = dict(zip(rows["label"], rows["part"], strict=True))
    assert parts["法治理论知识考试通过率"] == parts["党委会、党政联席会、法治政府建设专题会议等"] == "first_responsible"
    assert {parts[label] for label, *_ in SEED_FIGURES[:18]} == {"measures"}


def test_stated_rates_are_checked_against_counts(seed_stats):
    _, stats = seed_stats
    claims = {c.indicator: c for c in stats.claims}
    assert claims["mediation_rate_pct"].status == "consistent"
    assert claims["mediation_rate_pct"].computed == pytest.approx(100.0)
    assert claims["mediation_success_rate_pct"].status == "consistent"
    assert claims["mediation_success_rate_pct"].computed == pytest.approx(98.3471, abs=1e-3)
    assert claims["mediation_success_rate_pct"].explanation_zh == "调解成功率238÷242＝98.35%，与“达98%以上”相符"
    # the report gives no denominator for the exam: never recomputed, and said in plain words
    assert claims["law_exam_pass_rate_pct"].status == "unverifiable"
    assert claims["law_exam_pass_rate_pct"].computed is None
    assert claims["law_exam_pass_rate_pct"].explanation_zh == (
        "报告未同时列出计算法治理论知识考试通过率所需的数字，未作核对")


def test_derived_figures_are_named_plainly_and_rounded(seed_stats):
    _, stats = seed_stats
    derived = {d.key: d for d in stats.derived}
    assert derived["caseload_per_mediator"].value == pytest.approx(242 / 49)
    assert derived["caseload_per_mediator"].sentence_zh == "每名调解员年均受理矛盾纠纷约5件"
    assert set(derived) == {"caseload_per_mediator"}  # no 6.12名/个, no 19次 or 32期 totals


def test_no_previous_year_is_said_once(seed_stats):
    dataset, stats = seed_stats
    assert stats.previous_year is None
    assert stats.figures["change"].isna().all()
    page = AnnualPage(dataset, stats)
    assert "本页未收录峡口镇2022年或更早的报告，不作同比" in page.summary().html  # not 数据中 (a reviewer)
    assert "同比" not in page.part("measures").html + page.part("first_responsible").html


def _append(data_copy, *rows: str) -> None:
    """Observation rows given without their last column (statement), which stays empty."""
    with (data_copy / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("".join(row + ",\n" for row in rows))


def test_year_over_year_compares_the_same_item_only(data_copy):
    src = "data/raw/重庆市南岸区峡口镇_2023.txt"
    _append(data_copy,
            f"重庆市,南岸区,峡口镇,2022,measures,{H4},disputes,排查受理矛盾纠纷,disputes_received_count,230,件,,230件,{src}",
            f"重庆市,南岸区,峡口镇,2022,measures,{H5},legal_education,院坝会,yard_meetings_count,5,次,,5次,{src}",
            f"重庆市,南岸区,峡口镇,2022,measures,{H5},legal_education,法律讲座,,6,场,,6场,{src}")
    dataset = load_dataset(data_copy)
    stats = compute_year_statistics(dataset, dataset.find_body("峡口镇"), 2023)
    assert stats.previous_year == 2022
    figures = stats.figures.set_index("label")
    assert figures.loc["排查受理矛盾纠纷", "change"] == 12
    assert figures.loc["排查受理矛盾纠纷", "change_pct"] == pytest.approx(100 * 12 / 230)
    assert figures.loc["院坝会", "change"] == -2
    assert pd.isna(figures.loc["法治讲座", "change"])  # 法律讲座 6场 (2022) is not 法治讲座 4期
    page = AnnualPage(dataset, stats)
    html = page.part("measures").html
    assert "（2023年与2022年）" in html and "+12件" in html  # in the comparison table, never a sentence of ours
    assert "增加12件" not in html and "与2022年相比" not in html
    assert "院坝会：2022年5次，2023年3次" in page.notes().html  # to explain in part 三; said in 说明
    assert "院坝会：2022年5次" not in page.shortcomings().html  # part 三 is the town's own words


def test_an_inconsistent_stated_rate_is_reported(data_copy):
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8").replace("disputes_resolved_count,238,件,,238件",
                                                    "disputes_resolved_count,200,件,,200件")
    path.write_text(text.replace("调解成功238件", "调解成功200件"), encoding="utf-8")  # the clause says it too
    dataset = load_dataset(data_copy)
    stats = compute_year_statistics(dataset, dataset.find_body("峡口镇"), 2023)
    claim = next(c for c in stats.claims if c.indicator == "mediation_success_rate_pct")
    assert claim.status == "inconsistent"
    assert claim.computed == pytest.approx(100 * 200 / 242)
    page = AnnualPage(dataset, stats)
    assert "调解成功率200÷242＝82.64%，与“达98%以上”不符" in page.notes().html  # the check, once, in 说明
    assert "1项与报告所列件数不符" in page.summary().html  # and a pointer to it where the page starts
