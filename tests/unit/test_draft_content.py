"""`fazhi draft` for a year whose own report is held (the seed, 2023): the draft is that report, every sentence
verbatim, in 公文 layout; a figure the data holds otherwise is noted where it stands. With no text at all, the
draft holds the town's figures only in marked paragraphs, never in sentences of the tool's (issues 18, 19).
LibreOffice opening the seed's draft is tests/integration/test_draft_content_libreoffice.py."""


import corpus
import pytest
from conftest import REPO

from fazhi_analysis.analysis import suggestions
from fazhi_analysis.analysis.report_year import build_report_year
from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.draft.content import draft_for
from fazhi_analysis.draft.document import Heading1, Heading2, Noted, Paragraph, Placeholder, Suggestion, run_text
from fazhi_analysis.draft.gongwen_docx import docx_bytes

SEED_TEXT = (REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt").read_text(encoding="utf-8")
SEED_LINES = [line.strip() for line in SEED_TEXT.replace("[bookmark: _GoBack]", "").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def seed_draft(dataset):
    return draft_for(dataset, dataset.find_body("峡口镇"), 2023)


def _text(block) -> str:
    return block.text if isinstance(block, Heading1 | Heading2) else "".join(run_text(r) for r in block.runs)


def test_the_seeds_draft_is_the_seed_report_verbatim(seed_draft):
    assert seed_draft.title_lines == SEED_LINES[:2]
    assert [_text(b) for b in seed_draft.blocks] == SEED_LINES[2:]  # every line, in order, nothing added
    kinds = [type(b).__name__ for b in seed_draft.blocks]
    assert kinds.count("Heading1") == 5 and kinds.count("Heading2") == 5
    assert not any(getattr(b, "notes", ()) for b in seed_draft.blocks)  # the data agrees with the text
    assert not any(isinstance(r, Noted | Placeholder | Suggestion) for b in seed_draft.blocks
                   if isinstance(b, Paragraph) for r in b.runs)
    assert seed_draft.closing.date is None  # the 落款's date is left to the office


def test_a_figure_the_data_holds_otherwise_is_noted_where_it_stands(data_copy):
    observations = data_copy / "observations.csv"
    text = observations.read_text(encoding="utf-8").replace("disputes_resolved_count,238,件,,238件",
                                                            "disputes_resolved_count,230,件,,230件")
    observations.write_text(text.replace("调解成功238件", "调解成功230件"), encoding="utf-8")
    dataset = load_dataset(data_copy)
    draft = draft_for(dataset, dataset.find_body("峡口镇"), 2023)
    noted = [r for b in draft.blocks if isinstance(b, Paragraph) for r in b.runs if isinstance(r, Noted)]
    assert len(noted) == 1
    assert "调解成功238件" in noted[0].text and "数据中为“调解成功230件”" in noted[0].note
    lines = [_text(b) for b in draft.blocks]
    assert lines == SEED_LINES[2:]  # the report's own words stay as written


def test_with_no_text_at_all_figures_stand_only_in_marked_paragraphs(dataset):
    body = dataset.find_body("峰灵镇")
    draft = draft_for(dataset, body, 2025)
    report = build_report_year(dataset, body, 2025)
    exprs = list(report.stats.figures["expr"])
    for block in draft.blocks:
        if isinstance(block, Paragraph):
            plain = "".join(r for r in block.runs if isinstance(r, str))
            assert not any(expr in plain for expr in exprs), plain  # no sentence of the tool's around a figure
    written = "".join(_text(b) for b in draft.blocks)
    assert "【待补充：据填报数据，请改写为正文：重大决策合法性审查（12项）" in written
    assert "学习覆盖人次（300余人次）" in written and "学习覆盖人次300余人次" not in written
    assert [b.text for b in draft.blocks if isinstance(b, Heading2)] == ["（一）依法决策"]


def test_data_only_draft_suggestions_are_the_pages(dataset):
    body = dataset.find_body("峰灵镇")
    report = build_report_year(dataset, body, 2025)
    draft = draft_for(dataset, body, 2025)
    marked = [r.wording for b in draft.blocks if isinstance(b, Paragraph) for r in b.runs
              if isinstance(r, Suggestion)]
    assert marked == [p.with_basis + "。" for p in suggestions.shortcomings(report) + suggestions.targets(dataset,
                                                                                                          report)]


def test_the_same_draft_gives_the_same_bytes(seed_draft):
    assert docx_bytes(seed_draft) == docx_bytes(seed_draft)


def test_draft_check_lists_what_to_collect(tmp_path):
    done = corpus.fazhi_main("draft", "--check", "--output-root", str(tmp_path))
    assert done.returncode == 1
    assert "【待补充：成文日期】" in done.stdout
    assert "行政复议、行政诉讼和负责人出庭应诉" in done.stdout and "规范性文件备案审查" in done.stdout
