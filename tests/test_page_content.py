"""What the seed's page says, read beside the seed (issue 11): each figure where the report put it, under
its own words and measure word; nothing the report does not support; Chinese a careful writer signs."""

import re

import pytest
from page_reader import problems, visible_text

from fazhi_analysis.pages.annual import AnnualPage


@pytest.fixture(scope="module")
def seed_page():
    return AnnualPage.load(2023, "峡口镇")


def _page_html(page: AnnualPage) -> str:
    blocks = [page.cover(), page.summary(), page.part("measures"), page.part("first_responsible"),
              page.shortcomings(), page.next_year(), page.other(), page.notes()]
    return "\n".join(str(b) for b in blocks)


def test_figures_stand_under_the_sub_heading_the_report_gave_them(seed_page):
    text = visible_text(str(seed_page.part("measures")))
    supervision = text[text.index("（三）强化制约监督"):text.index("（四）加强纠纷化解")]
    for written in ("行政处罚处理决定54次", "全部约2.7万方", "未发生重大事故", "51条"):
        assert written in supervision
    assert "制约监督方面的数字" not in text  # the report has figures there; never say it has none
    assert ("本年度报告未列出重大行政决策合法性审查、规范性文件备案审查、行政执法案卷评查、"
            "行政复议、行政诉讼和负责人出庭应诉、公共法律服务方面的数字") in text


def test_no_unit_sum_or_ratio_the_report_never_stated(seed_page):
    text = visible_text(_page_html(seed_page))
    assert "立方米" not in text and "27000" not in text  # 约2.7万方 stays 方, as written
    assert "19次" not in text and "32期" not in text  # 院坝会 (次) + 讲座 (期) is not a number of anything
    assert "6.12" not in text and "4.94" not in text and "人均" not in text
    assert "每名调解员年均受理矛盾纠纷约5件" in text


def test_rate_checks_are_worded_for_a_reader(seed_page):
    text = visible_text(_page_html(seed_page))
    assert "调解成功率238÷242＝98.35%，与“达98%以上”相符" in text
    assert "法治理论知识考试通过率100%（报告未列参考人数，未作核对）" in text
    assert "无法核对" not in text and "一致" not in text


def test_part_five_says_what_the_report_says_and_the_source_is_its_title(seed_page):
    assert visible_text(str(seed_page.other())).strip() == "无。"
    cover = visible_text(str(seed_page.cover()))
    assert "《重庆市南岸区峡口镇人民政府关于2023年法治政府建设情况的报告》" in cover
    assert "data/raw" not in _page_html(seed_page) and ".txt" not in _page_html(seed_page)


def test_every_figure_is_on_the_page_and_the_overview_table_lists_all(seed_page):
    rows = seed_page.stats.figures
    table = seed_page.key_figures_table()
    assert len(table.rows) == len(rows) == 20 and "共20项" in table.caption
    assert "共20项" in visible_text(str(seed_page.cover()))


def test_the_seed_page_passes_the_careful_reader(seed_page):
    html = _page_html(seed_page)
    assert problems(html, list(seed_page.stats.figures["expr"])) == []
    assert len(re.findall("不作同比", visible_text(html))) == 1  # said once, not under every table


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>执法人员持证上岗率持证上岗率达100%</p>", "phrase repeated back to back"),
    ("<p>由 fazhi 依据 data/raw/x.txt 生成</p>", "Latin word"),
    ("<p>报告所述比率中，0项与其数字一致</p>", "0项"),
    ("<p>普法活动合计19次</p>", "a sum the report did not state"),
    ("<p>稳健 z 分数</p>", "jargon"),
])
def test_the_reader_catches_each_defect_it_was_built_for(html, expected):
    assert any(expected in p for p in problems(html))


def test_the_reader_misses_no_figure():
    assert problems("<p>调解242件</p>", ["242件", "238件"]) == [
        "a figure of the report missing from the page: '238件'"]
