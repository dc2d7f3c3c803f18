"""`fazhi draft` writes the seed's report itself as a Word draft (issue 12): the five parts, every figure
as the report wrote it, gaps marked 【待补充】, suggestions marked and the same as the HTML page's, and no
number the report does not state outside the marked runs."""

import re
import subprocess
import sys

import pytest
from docx import Document
from office import convert_to_pdf, pdf_pages, pdf_text

from fazhi_analysis.analysis import suggestions
from fazhi_analysis.draft.content import build_draft
from fazhi_analysis.draft.document import Paragraph, Placeholder, Suggestion
from fazhi_analysis.pages.annual import AnnualPage

SEED_AS_WRITTEN = ("54次", "约2.7万方", "242件", "238件", "达98%以上", "15000余份", "10余次", "51条", "49名")
PART_STARTS = ("一、2023年推进法治政府建设的主要举措和成效", "二、2023年党政主要负责人履行推进法治建设第一责任人职责",
               "三、2023年推进法治政府建设存在的不足和原因", "四、2024年推进法治政府建设的主要安排",
               "五、其他需要报告的情况")


@pytest.fixture(scope="module")
def seed_page():
    return AnnualPage.load(2023, "峡口镇")


@pytest.fixture(scope="module")
def seed_draft(seed_page):
    return build_draft(seed_page.dataset, seed_page.stats)


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft")
    done = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "draft", "--year", "2023", "--unit",
                           "峡口镇", "--output-root", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    path = out / "南岸区-峡口镇" / "2023" / "南岸区-峡口镇-2023-法治政府建设年度报告（草稿）.docx"
    assert done.stdout.strip() == str(path) and path.is_file()
    return path


def test_the_draft_has_the_five_parts_and_the_seed_figures_as_written(docx_file):
    doc = Document(str(docx_file))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h[:len(s)] for h, s in zip(headings, PART_STARTS, strict=True)] == list(PART_STARTS)
    text = "\n".join(p.text for p in doc.paragraphs)
    for written in SEED_AS_WRITTEN:
        assert written in text, written
    assert "（一）强化制约监督，促进权力规范运行" in text  # the report's sub-heading, renumbered
    assert text.count("【待补充：") >= 5 and "【待补充：成文日期】" in text
    assert "五、其他需要报告的情况\n无。" in text


def test_no_number_the_report_does_not_state_outside_marked_runs(seed_draft, seed_page):
    stated = set(seed_page.stats.figures["expr"]) | {"2023", "2024"}
    stated_numbers = {n for expr in stated for n in re.findall(r"\d+(?:\.\d+)?", expr)}
    for block in seed_draft.blocks:
        if not isinstance(block, Paragraph):
            continue
        for run in block.runs:
            if isinstance(run, Placeholder | Suggestion):
                continue
            assert set(re.findall(r"\d+(?:\.\d+)?", run)) <= stated_numbers, run


def test_parts_three_and_four_carry_the_same_marked_suggestions_as_the_html(seed_draft, seed_page):
    marked = [run.text for block in seed_draft.blocks if isinstance(block, Paragraph)
              for run in block.runs if isinstance(run, Suggestion)]
    html = str(seed_page.shortcomings()) + str(seed_page.next_year())
    expected = [p.wording for p in suggestions.shortcomings(seed_page.dataset, seed_page.stats)
                + suggestions.targets(seed_page.dataset, seed_page.stats)]
    assert [m.rsplit("。", 1)[0] for m in marked] == expected
    for proposal in expected:
        assert proposal in html
    assert "院坝会由2023年的3次增至不少于12次（每月1次）" in html
    assert not any("重大事故" in p or "拆除" in p or "调解委员会" in p for p in expected)  # never a target
    assert any("年轻干部参加行政执法人员考试的比例达到100%" in p for p in expected)  # the report's own commitment


def test_draft_check_lists_what_to_collect():
    done = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "draft", "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "行政复议、行政诉讼和负责人出庭应诉" in done.stdout and "规范性文件备案审查" in done.stdout


@pytest.mark.libreoffice
def test_libreoffice_opens_the_draft_as_an_office_pc_would(docx_file, tmp_path):
    pdf = convert_to_pdf(docx_file, tmp_path)
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert 3 <= pdf_pages(pdf) <= 5
    for written in SEED_AS_WRITTEN:
        assert written in text, written
    assert "关于2023年法治政府建设情况的报告" in text and "【建议目标】" in text
