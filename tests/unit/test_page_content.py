"""What the seed's page says, read beside the seed: every figure in the town's own clause, where the report
put it; the town's own 不足, 安排 and 其他; nothing the report does not support, said once (issues 11, 18)."""

import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from page_reader import problems, repeated_sentences, visible_text

from fazhi_analysis.data.statements import STATEMENT_BREAK
from fazhi_analysis.pages.annual import AnnualPage

SEED_TEXT = (REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt").read_text(encoding="utf-8")
# the clauses a reviewer circled: a scoped claim, and 依法 (issue 18)
SCOPED = "安全生产、环境保护等重点领域全年未发生重大事故"
LAWFUL = "依法拆除辖区全部约2.7万方工矿企业无证厂房"
SEED_SHORTCOMINGS = ("一是领导干部运用法治思维和法治方式开展工作的能力有待提升", "二是法治宣传形式有待创新",
                     "三是群众的法治思维有待提高")


@pytest.fixture(scope="module")
def seed_page():
    return AnnualPage.load(2023, "峡口镇")


def _page_html(page: AnnualPage) -> str:
    blocks = [page.cover(), page.summary(), page.part("measures"), page.part("first_responsible"),
              page.shortcomings(), page.next_year(), page.other(), page.notes()]
    return "\n".join(str(b) for b in blocks)


def _flat(html: str) -> str:
    """The page's text with the figure marks dissolved, to read clauses whole."""
    return BeautifulSoup(html, "html.parser").get_text("")


def _clauses(text: str) -> set[str]:
    return {c.strip() for c in STATEMENT_BREAK.split(text) if c.strip()}


def test_every_figure_stands_in_the_towns_own_clause_verbatim(seed_page):
    flat = _flat(str(seed_page.part("measures")) + str(seed_page.part("first_responsible")))
    report_clauses = _clauses(SEED_TEXT)
    figures = seed_page.stats.figures
    assert len(figures) == 20
    for row in figures.itertuples():
        assert row.statement in report_clauses, row.label  # the data holds the report's clause
        assert row.statement in flat, row.label  # and the page quotes it whole
        assert row.expr in row.statement
    assert SCOPED in flat and LAWFUL in flat
    assert "未发生重大事故" not in flat.replace(SCOPED, "")  # never the broader claim on its own
    assert "拆除工矿企业无证厂房" not in flat  # never without 依法 and 辖区


def test_each_figure_is_marked_out_in_its_clause(seed_page):
    soup = BeautifulSoup(str(seed_page.part("measures")), "html.parser")
    marked = [s.get_text() for s in soup.select("blockquote.town-words strong.figure")]
    measures = seed_page.stats.in_part("measures")
    # each once, in the report's order; a work word is not bold (全部约2.7万方: 约2.7万方, a reviewer)
    assert marked == [e.removeprefix("全部") for e in measures["expr"]]
    bold_number = '依法拆除辖区全部<strong class="figure">约2.7万方</strong>工矿企业无证厂房'
    assert bold_number in str(seed_page.part("measures"))


def test_the_page_says_that_a_bold_未发生_is_bold_too(seed_page):
    """峡口镇 2023 states 全年未发生重大事故: the page bolds 未发生 in the clause, so the words that say what is
    bold name it (a reviewer read a bold 未发生 beside 数字加粗标出 and 未发生 is not a number)."""
    cover, notes = visible_text(str(seed_page.cover())), visible_text(str(seed_page.notes()))
    assert "数字及“未发生”加粗标出" in cover and "数字及“未发生”加粗标出" in notes
    assert "第三至第五部分照录原文全文" in cover and "各部分照录" not in cover


def test_the_reporting_body_is_the_government_that_signs(seed_page):
    """报告主体 is who the report's title names (重庆市南岸区峡口镇人民政府关于…), not the place (a reviewer)."""
    cover = visible_text(str(seed_page.cover()))
    assert "报告主体重庆市南岸区峡口镇人民政府" in cover.replace(" ", "").replace("\n", "")


def test_a_body_alone_in_its_district_gets_no_peer_section(seed_page):
    """峡口镇 is the only 南岸区 body in data/: nothing (a reviewer, twice: an empty section, then a filler line
    「本批数据中南岸区只有峡口镇的报告，暂无同区比较。」 closing the page)."""
    assert visible_text(str(seed_page.peers())).strip() == ""


def test_parts_four_and_five_run_on_in_print(seed_page):
    """Part 五 of 峡口镇 2023 is 无。: in print it follows part 四 instead of taking a page of its own."""
    for part in ("next_year", "other"):
        assert 'class="runs-on"' in str(seed_page.heading(part))
    assert "runs-on" not in str(seed_page.heading("shortcomings"))


def test_clauses_stand_under_the_sub_heading_the_report_gave_them(seed_page):
    flat = _flat(str(seed_page.part("measures")))
    supervision = flat[flat.index("（三）强化制约监督"):flat.index("（四）加强纠纷化解")]
    assert "作出行政处罚处理决定54次" in supervision and LAWFUL in supervision and SCOPED in supervision
    assert "政府相关信息51条" in supervision


def test_part_three_is_the_towns_own_shortcomings_and_no_data_note(seed_page):
    text = _flat(str(seed_page.shortcomings()))
    for shortcoming in SEED_SHORTCOMINGS:
        assert shortcoming in text
    assert "未列出" not in text and "数字" not in text  # what the data lacks is a note in 说明, not a 不足


def test_no_figure_the_report_did_not_state(seed_page):
    text = visible_text(_page_html(seed_page))
    assert "每名调解员" not in text and "人均" not in text and "年均" not in text
    assert "4.94" not in text and "约5件" not in text
    assert "立方米" not in text and "27000" not in text  # 约2.7万方 stays 方, as written
    assert "19次" not in text and "32期" not in text  # 院坝会 (次) + 讲座 (期) is not a number of anything
    assert "占受理" not in text  # the funnel chart's bars are the report's counts, without derived shares
    assert not seed_page.derived_ratios().empty  # the ratio stays available to an analyst, named as such


def test_rate_checks_and_missing_items_are_said_once_in_the_notes(seed_page):
    html = _page_html(seed_page)
    text = _flat(html)
    assert text.count("调解成功率238÷242＝98.35%，与“达98%以上”相符") == 1
    assert text.count("报告未同时列出计算法治理论知识考试通过率所需的数字，未作核对") == 1
    assert text.count("重大行政决策合法性审查") == 1
    notes = _flat(str(seed_page.notes()))
    assert "本报告没有写出下列方面的数字：重大行政决策合法性审查" in notes and "98.35%" in notes
    assert "督察常问" not in notes and "本年度数据中" not in notes  # a reviewer: no source for it, tool jargon
    assert "报送前" not in notes  # the 2023 report was sent long ago


def test_the_glossary_shows_this_reports_own_examples(seed_page):
    notes = _flat(str(seed_page.notes()))
    assert "“余”：实际数略多于所写数字（本报告：15000余份、10余次）" in notes
    assert "98%以上 ≥ 98%" not in notes


def test_part_four_quotes_the_plan_and_suggests_only_from_it(seed_page):
    text = _flat(str(seed_page.next_year()))
    assert "组织法治理论考试，并要求年轻干部全部参加行政执法人员考试。" in text  # the town's own plan, quoted
    # a 司法局 reviewer: tool advice inside the town's part 四 is not the town's; it stands in 说明
    assert "建议" not in text and "依据" not in text and "宜" not in text
    advice = _flat(str(seed_page.notes()))
    assert "编写2024年度报告时可参考以下几点（取自本报告第四部分的安排，均须研究核实后采用）" in advice
    assert "人数或件数" not in advice and "各项的次数" not in advice  # an exam has no 件数; 期 are not 次
    suggested = [p.marked for p in seed_page.proposals()]
    assert len(suggested) == 3
    assert all("（依据：本报告第四部分“" in p for p in suggested)
    assert "落实“要求年轻干部全部参加行政执法人员考试”" in suggested[0]
    assert "每月1" not in text and "不少于" not in text and "增至" not in text  # no formula target
    # a promise to raise a frequency names this year's counts it will be measured against, and sets no number
    assert "2023年报告所列为院坝会（3次）、法治讲座（4期）" in suggested[1] and "【建议，请核实】" in suggested[1]


def test_part_five_says_what_the_report_says_and_the_source_is_its_title(seed_page):
    assert visible_text(str(seed_page.other())).split() == ["五、其他需要报告的情况", "无。"]
    cover = visible_text(str(seed_page.cover()))
    assert "《重庆市南岸区峡口镇人民政府关于2023年法治政府建设情况的报告》" in cover
    assert "照录报告原文" in cover
    assert "data/raw" not in _page_html(seed_page) and ".txt" not in _page_html(seed_page)
    assert "[bookmark" not in _page_html(seed_page)


def test_every_figure_is_on_the_page_and_the_overview_table_lists_all(seed_page):
    table = seed_page.key_figures_table()
    # 19 numbers and 未发生: "数字20项" was false (a reviewer), so the count says which is which
    assert len(table.rows) == 20 and "数字19项，另有“未发生”的表述1处" in table.caption
    assert "数字19项，另有“未发生”的表述1处" in visible_text(str(seed_page.cover()))
    summary = visible_text(str(seed_page.summary()))
    # 其中 after 另有 read as part of the 1 (a reviewer): the split by part stands beside the 19
    # the report's own words for part 二, not a short name of the tool's (第一责任人履职, a reviewer)
    assert ("峡口镇2023年度报告共列出数字19项（主要举措和成效部分17项，第一责任人职责部分2项），"
            "另有“未发生”的表述1处。") in summary


def test_part_headings_are_the_reports_own(seed_page):
    """A reviewer: the subheadings were the town's, the part headings the regulation's template
    (四、下一年度…主要安排 for the town's 四、2024年推进法治政府建设的工作思路目标举措)."""
    own = [line for line in SEED_TEXT.splitlines() if re.match(r"^[一二三四五]、", line)]
    blocks = [seed_page.part("measures"), seed_page.part("first_responsible"), seed_page.shortcomings(),
              seed_page.next_year(), seed_page.other()]
    shown = [BeautifulSoup(str(b), "html.parser").h2.get_text() for b in blocks]
    assert shown == [line.strip() for line in own]
    assert shown[3] == "四、2024年推进法治政府建设的工作思路目标举措"


def test_a_quote_that_leaves_part_of_a_paragraph_out_says_so(seed_page):
    """二是发挥人民调解作用。组建人民调解委员会8个…… was quoted as two bare sentences, its lead-in and last
    sentence dropped without a mark (a reviewer): one quote, …… where the page leaves words out."""
    quotes = [p.get_text("") for p in BeautifulSoup(str(seed_page.part("measures")), "html.parser")
              .select("blockquote.town-words p")]
    mediation = next(q for q in quotes if "人民调解委员会8个" in q)
    assert mediation.startswith("……组建人民调解委员会8个") and mediation.endswith("调解成功率达98%以上。……")
    assert "建设调解室8个。2023年排查受理" in mediation  # the two sentences follow each other in the report
    paragraph = next(line.strip() for line in SEED_TEXT.splitlines() if "人民调解委员会8个" in line)
    assert all(piece in paragraph for piece in mediation.strip("…").split("……"))  # verbatim between the marks


def test_the_seed_page_passes_the_careful_reader(seed_page):
    html = _page_html(seed_page)
    assert problems(html, list(seed_page.stats.figures["expr"])) == []
    assert repeated_sentences(visible_text(html)) == []
    assert len(re.findall("不作同比", visible_text(html))) == 1  # said once, not under every table


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>执法人员持证上岗率持证上岗率达100%</p>", "phrase repeated back to back"),
    ("<p>由 fazhi 依据 data/raw/x.txt 生成</p>", "Latin word"),
    ("<p>报告所述比率中，0项与其数字一致</p>", "0项"),
    ("<p>普法活动合计19次</p>", "a sum the report did not state"),
    ("<p>稳健 z 分数</p>", "jargon"),
    ("<p>宣传覆盖社区25个社区</p>", "a label repeated around its number"),
    ("<p>持证执法人员3名执法人员全部取得行政执法证</p>", "a label repeated around its number"),
    ("<p>普法宣传保持不少于12余次</p>", "a target that is a formula"),
    ("<p>普法活动不少于累计100余场次</p>", "a target that is a formula"),
    ("<p>院坝会由3次增至不少于12次（每月1次）</p>", "a target that is a formula"),
    ("<p>法治理论考试人数121名，通过率100%（报告未列参考人数，未作核对）</p>", "denies what its own sentence gives"),
    ("<p>两句之间隔着一句话，这一句话有十八个字以上。</p><p>两句之间隔着一句话，这一句话有十八个字以上。</p>",
     "the same sentence more than once"),
])
def test_the_reader_catches_each_defect_it_was_built_for(html, expected):
    assert any(expected in p for p in problems(html))


def test_the_reader_catches_another_towns_glossary_example():
    html = "<li>“余”：实际数略多于所写数字（本报告：15000余份）。</li>"
    assert any("glossary example" in p for p in problems(html, ["300余人次"]))
    assert not any("glossary example" in p for p in problems(html, ["15000余份"]))


def test_the_reader_misses_no_figure():
    assert problems("<p>调解242件</p>", ["242件", "238件"]) == [
        "a figure of the report missing from the page: '238件'"]


def test_what_the_report_has_no_figure_for_is_said_without_advice(seed_page):
    """峡口镇 2023 writes no figure for 备案审查 and five other items: the page says so and stops; 可考虑补充统计
    was the tool's own advice, assumed the town did not count, and 备案审查 is the district's task (a reviewer)."""
    notes = visible_text(str(seed_page.notes()))
    assert "本报告没有写出下列方面的数字：重大行政决策合法性审查、规范性文件备案审查" in notes
    assert "补充统计" not in notes
