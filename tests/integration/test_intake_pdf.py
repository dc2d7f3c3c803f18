"""Intake from PDFs LibreOffice makes of Word reports (as offices publish them): the same figures as the .docx
and the portal page, quotation marks where they stand, a signature page not joined to the text; and a PDF
whose font pdfminer misreads, read through poppler's pdftotext."""

import shutil

import docx
import pytest
from conftest import REPO, require
from yunling_report import REPORT, REPORTER, TITLE

from fazhi_analysis.data.dataset import load_catalogue
from fazhi_analysis.intake.extract import extract
from fazhi_analysis.intake.normalise import normalise
from fazhi_analysis.intake.reading import read_document


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_case3_through_a_pdf_and_a_web_page(tmp_path, catalogue):
    """The same report as .docx, as a LibreOffice PDF and as a portal page: the same figures."""
    from office import convert_to_pdf

    source = tmp_path / "report.docx"
    document = docx.Document()
    for line in REPORT.splitlines():
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.first_line_indent = docx.shared.Pt(24)
    document.save(source)
    pdf = convert_to_pdf(source, tmp_path)
    page = tmp_path / "report.html"
    body = "".join(f"<p>{line}</p>" for line in REPORT.splitlines()[1:] if line)
    page.write_text(f"<html><head><meta charset='utf-8'><title>{TITLE}_法治政府建设_云岭区人民政府</title></head>"
                    "<body><div class='nav'><a href='/'>首页</a> <a>政务公开</a> <a>办事服务 12件事</a></div>"
                    f"<div class='article'><h1>{TITLE}</h1>{body}</div>"
                    "<div class='footer'>主办：云岭区人民政府办公室 网站标识码 5301000001 联系电话 0871-12345678</div>"
                    "</body></html>", encoding="utf-8")
    found = {}
    for path in (source, pdf, page):
        text = read_document(str(path)).text
        found[path.suffix] = [(r["label"], r["expr"], r["kind"]) for r in extract(text, catalogue, REPORTER, "t")]
    assert found[".pdf"] == found[".docx"] == found[".html"]
    assert ("各类矛盾纠纷调解成功率", "达97%以上", "result") not in found[".pdf"]  # 全镇 stays out, 矛盾纠纷 in
    assert any(label.endswith("调解成功率") and expr == "达97%以上" for label, expr, _ in found[".pdf"])
    assert ("宣传资料", "1.2万余份", "result") in found[".pdf"]
    assert read_document(str(page)).title == TITLE


def test_pdf_quotation_marks_stay_where_they_stand(tmp_path, catalogue):
    """pypdf moved the quotation marks a LibreOffice PDF draws in another font (“法律进乡村”活动 came out as
    法律进乡村活动“”), so the PDF's label and figures differed from the .docx's. The signature on a page of
    its own, all indented, must not be joined to the last paragraph; a paragraph split inside a sentence
    is one paragraph again."""
    from docx.enum.text import WD_BREAK
    from office import convert_to_pdf

    lines = ["云岭镇人民政府关于2024年法治政府建设情况的报告", "一、主要举措和成效",
             "开展“法律进乡村”活动 36 场，培育“法律明白人”152名，以“八五”普法为主线，深入村组、企业、学校开展"
             "宪法、民法典和反电信网络诈骗法宣传，群众法治意识明显增强。严格落实“三重一大”集体决策制度，",
             "审查合同 96 件，合法性审查率达 100%，镇政府法律顾问全程参与重大决策、重要合同的合法性审查，提出"
             "法律意见，防范了法律风险，保障了决策依法作出。", "五、其他需要报告的情况", "无。"]
    document = docx.Document()
    for i, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if i:
            paragraph.paragraph_format.first_line_indent = docx.shared.Pt(24)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    for line in ("云岭镇人民政府", "2025年1月15日"):
        document.add_paragraph(line).paragraph_format.first_line_indent = docx.shared.Pt(200)
    word = tmp_path / "r.docx"
    document.save(word)
    pdf = convert_to_pdf(word, tmp_path)
    text = read_document(str(pdf)).text
    assert text == read_document(str(word)).text.replace("\n\n", "\n")
    assert "集体决策制度，审查合同96件" in text.splitlines()[2] and text.splitlines()[-3] == "无。"
    rows = extract(text, catalogue, REPORTER, "t")
    assert [(r["label"], r["expr"]) for r in rows[:2]] == [("“法律进乡村”活动", "36场"), ("“法律明白人”", "152名")]


def test_a_pdf_whose_font_pdfminer_misreads_is_read_through_poppler(catalogue):
    """The real case: benchmarks/corpus/01 as a .txt printed to PDF by LibreOffice with the machine's own
    fonts (its CJK glyphs in a LiberationMono subset). pdfminer read every Chinese character as 青, and the
    extraction gave 9 figures labelled 青青青…; through poppler's pdftotext the PDF gives the text's 43."""
    from fazhi_analysis.intake.reading import _garbled

    require(shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    pdf = REPO / "tests" / "bad_inputs" / "files" / "garbled_font_青溪镇_2024.pdf"
    import pdfplumber

    with pdfplumber.open(str(pdf)) as opened:
        assert _garbled(opened.pages[0].extract_text())  # the fault is still in the fixture
    text = read_document(str(pdf)).text
    assert not _garbled(text) and "青川区青溪镇人民政府关于2024年法治政府建设情况的报告" in text
    plain = (REPO / "benchmarks" / "corpus" / "01_青溪镇_2024.txt").read_text(encoding="utf-8")
    from_pdf = [r["value"] for r in extract(normalise(text), catalogue, REPORTER, "t")]
    assert from_pdf == [r["value"] for r in extract(normalise(plain), catalogue, REPORTER, "t")]
