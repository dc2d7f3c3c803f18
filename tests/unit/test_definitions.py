"""An indicator's definition (口径) decides which figures are the same thing, on the real data/: the cases
a district reader found wrong on the 2025 overview, every link in data/ against its definition, extraction,
`fazhi validate`, and the import script, which reads the same definition."""

import corpus
import pytest

from fazhi_analysis.data.dataset import load_catalogue, load_dataset
from fazhi_analysis.data.definitions import Definition
from fazhi_analysis.intake.extract import Reporter, extract
from fazhi_analysis.pages.overview import OverviewPage


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def _row(dataset, body: str, label: str):
    obs = dataset.observations
    (row,) = obs[(obs["body"] == body) & (obs["label"] == label)].itertuples()
    return row


def test_a_definition_reads_its_words_and_says_why_a_wording_misses_it():
    central = Definition.from_cells("中心组专题学法", "中心组+学法|中心组+法治", "")
    assert central.met_by("中心组专题学法") and central.met_by("理论学习中心组法治专题学习")
    assert central.problem("理论学习中心组集中学习") == "未写明“中心组”和“学法”或“中心组”和“法治”"
    staff = Definition.from_cells("", "集体学法", "领导班子|中心组")
    assert staff.problem("领导班子集体学法") == "含“领导班子”，口径不同"
    assert Definition.from_cells("", "", "").met_by("任何写法")  # a catalogue without definitions links as before
    assert Definition.from_cells("", "村（社区）", "").met_by("村(社区)法律顾问")  # full and half width alike


@pytest.mark.parametrize(("body", "label", "value"), [
    ("中梁山街道", "理论学习中心组集中学习", 13),  # all central-group study, not its law sessions
    ("歇马街道", "理论学习中心组学习", 12),
    ("关坝镇", "法治专题学习", 11),  # law study, not said to be the central group's
])
def test_central_group_study_is_not_its_law_sessions(dataset, body, label, value):
    row = _row(dataset, body, label)
    assert row.value == value and row.indicator == ""
    assert _row(dataset, "桂阳街道", "中心组专题学法").indicator == "central_group_study_count"


@pytest.mark.parametrize(("body", "label"), [
    ("双山镇", "机关学法"), ("峰灵镇", "法治集中学习"), ("大河乡", "学法次数"), ("杜城街道", "领导班子集体学法")])
def test_other_study_is_not_staff_collective_study(dataset, body, label):
    assert _row(dataset, body, label).indicator == ""


def test_a_law_meeting_is_not_the_three_meetings_together(dataset):
    """义和镇's 法治建设专题会议4次 was listed as 党委会、党政联席会、法治政府建设专题会议."""
    yihe = _row(dataset, "义和镇", "法治建设专题会议")
    assert yihe.value == 4 and yihe.indicator == "law_work_meetings_count"
    assert _row(dataset, "大河乡", "法治专题会议").indicator == "law_work_meetings_count"
    three = dataset.observations[dataset.observations["indicator"] == "leadership_law_meetings_count"]
    assert list(three["body"]) == ["峡口镇"]


def test_every_link_in_data_meets_its_indicators_definition(dataset):
    cat = dataset.catalogue
    linked = dataset.observations[dataset.observations["indicator"] != ""]
    assert len(linked) > 60
    misses = [(r.body, r.label, r.indicator) for r in linked.itertuples()
              if not cat[r.indicator].definition.met_by(r.label)]
    assert misses == []


def test_every_indicator_has_a_definition_its_own_name_meets():
    """So that a template row named by the catalogue (fazhi template) links, and a reader can read 口径."""
    for ind in load_catalogue().values():
        assert ind.definition.counts_zh and ind.definition.requires, ind.key
        assert ind.definition.met_by(ind.name_zh), (ind.key, ind.definition.problem(ind.name_zh))


def test_the_indicators_a_judicial_bureau_asks_about_are_in_the_catalogue():
    names = {i.name_zh for i in load_catalogue().values()}
    for words in ("行政复议案件", "行政复议办结", "行政复议纠错", "行政诉讼案件", "行政诉讼败诉",
                  "负责人出庭应诉率", "制定行政规范性文件", "规范性文件备案审查", "重大行政决策合法性审查",
                  "合同合法性审查", "文件合法性审查", "持证执法人员", "镇（街道）法律顾问",
                  "村（社区）法律顾问覆盖率", "公共法律服务工作站", "公共法律服务室"):
        assert any(words in name for name in names), words


def test_no_ranking_of_the_2025_overview_puts_different_wordings_of_central_group_study_together():
    page = OverviewPage.load(2025, "重庆市")
    table = page.ranking_table("central_group_study_count").to_frame()
    assert list(table["镇街"]) == ["桂阳街道（垫江县）"] and list(table["报告中的事项"]) == ["中心组专题学法"]
    for indicator in page.compared_indicators():  # every comparison table carries the towns' wording
        frame = page.ranking_table(indicator).to_frame()
        assert {"镇街", "报告中的事项", "原文写法"} <= set(frame.columns)


def test_extraction_links_only_wording_that_meets_the_definition():
    text = ("二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
            "全年召开理论学习中心组集中学习13次。开展中心组专题学法6次。")
    rows = extract(text, load_catalogue(), Reporter("重庆市", "测试区", "测试镇", 2025), "t")
    links = {r["label"]: r["indicator"] for r in rows}
    assert links == {"理论学习中心组集中学习": "", "中心组专题学法": "central_group_study_count"}


def test_validate_names_a_link_whose_wording_misses_the_definition(data_copy):
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    old = "理论学习中心组集中学习,,13,次"
    assert old in text
    path.write_text(text.replace(old, "理论学习中心组集中学习,central_group_study_count,13,次"), encoding="utf-8")
    run = corpus.fazhi_main("validate", str(data_copy))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    line = next(ln for ln in run.stdout.splitlines() if "wording_meets_definition" in ln)
    assert "label" in line and "理论学习中心组集中学习" in line and "理论学习中心组专题学法" in line
