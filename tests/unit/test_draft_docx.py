"""The Word draft in 公文 layout (GB/T 9704-2012): the .docx as Word and WPS read it (page, grid, fonts
named on every run and in the styles, heading levels, marked gaps, page numbers), and the same file laid
out for real by LibreOffice headless, whose PDF must give back the Chinese text on a plausible number of
22-line pages. The draft is a small part of the real 2023 report of 重庆市南岸区峡口镇, in its words.

This machine has no CJK system font (office PCs do); LibreOffice is pointed by fontconfig at the Noto
Sans CJK of the noto-cjk-sans-otc package, and at Serif / Kai faces when the system has them, so the
screenshot in test-artifacts/ looks like the page an office prints. The checks do not depend on which.
"""

import datetime
import math
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, require
from docx import Document
from docx.oxml.ns import qn
from office import convert_to_pdf

from fazhi_analysis.draft import (
    Closing,
    Draft,
    Heading1,
    Heading2,
    Paragraph,
    Placeholder,
    Suggestion,
    SuggestionKind,
    docx_bytes,
    write_docx,
)

ARTIFACTS = REPO / "test-artifacts"
OFFICE = "重庆市南岸区峡口镇人民政府"
TITLE = f"{OFFICE}\n关于2023年法治政府建设情况的报告"
PT_PER_MM = 72 / 25.4
BODY_SIZE_PT = 16
HANGING_PUNCTUATION = "，。、；：！？”’）》】"


def sample_draft() -> Draft:
    """A realistic small draft: the seed's wording, two gaps to fill and two suggestions to check."""
    return Draft(
        title=TITLE,
        blocks=[
            Paragraph(["2023年，峡口镇在区委、区政府的领导下，坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻"
                       "党的二十大精神和习近平法治思想，紧紧围绕“全面推进依法治镇，加快建设法治峡口”的主线，扎实推进法治"
                       "政府建设。现将2023年度法治政府建设工作情况报告如下："]),
            Heading1("一、2023年推进法治政府建设的主要举措和成效"),
            Heading2("（一）健全决策机制，保障决策科学合法"),
            Paragraph(["一是完善行政决策制度。修订《中共重庆市南岸区峡口镇委员会议事规则》《重庆市南岸区峡口镇党政联席会"
                       "议事规则》，明确了议事原则、议事范围、会议主持、参会人员范围、议事程序、议事纪律等。全年提交党政联席"
                       "会审议的重大事项",
                       Placeholder("审议件数"), "件，均经合法性审查。"]),
            Heading2("（二）强化制约监督，促进权力规范运行"),
            Paragraph(["一是推进依法行政。持续开展环境保护、安全生产等重点领域行政执法，2023年共计作出行政处罚处理决定54次，"
                       "依法拆除辖区全部约2.7万方工矿企业无证厂房，安全生产、环境保护等重点领域全年未发生重大事故。"]),
            Paragraph(["二是加强政务公开。2023年对外公开政府工作报告、财政预决算、涉农资金、民生工程等涉及群众切身利益的"
                       "政府相关信息51条，更好地满足群众的信息需求。"]),
            Heading2("（三）加强纠纷化解，维护社会和谐稳定"),
            Paragraph(["组建人民调解委员会8个，发展人民调解员49名，建设调解室8个。2023年排查受理薪资纠纷、安置房纠纷、"
                       "征地拆迁纠纷、工程爆破纠纷等矛盾纠纷242件，调解242件，调解成功238件，",
                       Suggestion("调解成功率为98.35%"), "。"]),
            Heading2("（四）推进法治宣传，提升群众守法意识"),
            Paragraph(["2023年举办召开院坝会3次，举办法治讲座4期，制作普法专栏22期，制发普法工作简报10期，开展集中普法"
                       "宣传12次，印发法律法规宣传资料15000余份。"]),
            Heading1("二、2023年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"),
            Paragraph(["2023年，镇党委、政府召开党委会、党政联席会、法治政府建设专题会议等共10余次，研究部署法治政府"
                       "建设工作。组织镇政府工作人员参加重庆市南岸区法治理论知识考试，通过率100%。"]),
            Heading1("三、2023年推进法治政府建设存在的不足和原因"),
            Paragraph(["一是领导干部运用法治思维和法治方式开展工作的能力有待提升。二是法治宣传形式有待创新。",
                       Placeholder("原因分析")]),
            Heading1("四、2024年推进法治政府建设的工作思路目标举措"),
            Paragraph(["创新法治宣传方式，拓展线上法治宣传，",
                       Suggestion("全年开展集中普法宣传不少于12次", SuggestionKind.TARGET), "。"]),
            Heading1("五、其他需要报告的情况"),
            Paragraph(["无。"]),
        ],
        closing=Closing(OFFICE, datetime.date(2024, 1, 15)),
    )


@pytest.fixture(scope="module")
def draft() -> Draft:
    return sample_draft()


@pytest.fixture(scope="module")
def docx_path(draft, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("draft") / "draft.docx"
    write_docx(draft, path)
    return path


@pytest.fixture(scope="module")
def doc(docx_path):
    return Document(str(docx_path))


def _style_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _all_run_elements(doc):
    section = doc.sections[0]
    parts = [doc.element.body, section.footer._element, section.even_page_footer._element]
    return [r for part in parts for r in part.iter(qn("w:r"))]


# ---- the content model --------------------------------------------------------------------------------


def test_model_catches_wrong_heading_levels_and_empty_blocks():
    with pytest.raises(ValueError, match="first-level"):
        Heading1("（一）健全决策机制")
    with pytest.raises(ValueError, match="second-level"):
        Heading2("一、主要举措和成效")
    with pytest.raises(ValueError, match="no runs"):
        Paragraph([])
    with pytest.raises(ValueError, match="line break"):
        Paragraph(["两段\n文字"])
    assert Placeholder("审议件数").text == "【待补充：审议件数】"
    assert Suggestion("不少于12次", SuggestionKind.TARGET).text == "不少于12次【建议目标】"
    assert Closing(OFFICE, datetime.date(2024, 1, 5)).date_text == "2024年1月5日"


# ---- the .docx as Word reads it -------------------------------------------------------------------------


def test_page_is_a4_with_gongwen_margins(doc):
    section = doc.sections[0]
    measured_mm = [round(x.mm, 1) for x in (section.page_width, section.page_height, section.top_margin,
                                             section.bottom_margin, section.left_margin, section.right_margin)]
    assert measured_mm == [210, 297, 37, 35, 28, 26]


def test_line_pitch_and_condensing_fit_exactly_22_lines_of_28_characters(doc):
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    line_pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    text_height_pt, text_width_pt = 225 * PT_PER_MM, 156 * PT_PER_MM
    assert 22 * line_pitch_pt <= text_height_pt < 23 * line_pitch_pt
    assert line_pitch_pt == pytest.approx(28.95, abs=0.05)
    for name in ("Normal", "Heading 1", "Heading 2"):
        style = doc.styles[name].element
        spacing = style.pPr.find(qn("w:spacing"))
        assert (spacing.get(qn("w:lineRule")), int(spacing.get(qn("w:line")))) == ("exact", int(line_pitch_pt * 20))
        char_pitch_pt = 16 + int(style.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
        assert 28 * char_pitch_pt <= text_width_pt < 29 * char_pitch_pt, name
        assert 2 * 16 + 26 * char_pitch_pt <= text_width_pt, "the indented first line holds 26 characters"


def test_styles_name_the_official_fonts_and_sizes(doc):
    expected = {"Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22), "Heading 1": ("黑体", 16),
                "Heading 2": ("楷体_GB2312", 16), "Footer": ("宋体", 14)}
    for name, (font, size_pt) in expected.items():
        style = doc.styles[name]
        assert _style_font(style) == font, name
        assert style.font.size.pt == size_pt, name
        assert not style.font.bold and style.font.color.rgb is None, f"{name} keeps the template's bold or colour"
    for name, spacing_twips in (("Title", 0), ("Footer", 0), ("Normal", -5), ("Heading 1", -5), ("Heading 2", -5)):
        assert doc.styles[name].element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(spacing_twips), name
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not [a for a in fonts.attrib if a.endswith("Theme")], "a theme font would override the named one"
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    normal = doc.styles["Normal"].paragraph_format
    assert normal.alignment == 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
    assert doc.styles["Normal"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert doc.styles["Title"].paragraph_format.alignment == 1  # CENTER


def test_every_run_names_its_east_asian_font(doc):
    runs = _all_run_elements(doc)
    assert len(runs) > 30
    for r in runs:
        fonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and fonts.get(qn("w:eastAsia")), f"run without w:eastAsia: {r.xml[:200]}"
    by_style = {"Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体_GB2312", "Normal": "仿宋_GB2312"}
    for paragraph in doc.paragraphs:
        for r in paragraph.runs:
            assert r.element.rPr.rFonts.get(qn("w:eastAsia")) == by_style[paragraph.style.name], paragraph.text


def test_headings_keep_their_levels_and_order(doc, draft):
    levels = {"Heading 1": Heading1, "Heading 2": Heading2}
    found = [(levels[p.style.name], p.text) for p in doc.paragraphs if p.style.name in levels]
    assert found == [(type(b), b.text) for b in draft.blocks if isinstance(b, Heading1 | Heading2)]
    assert doc.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    assert doc.styles["Heading 2"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[0].text == TITLE  # python-docx reads the title's w:br as "\n"


def test_gaps_and_suggestions_are_highlighted_and_nothing_else(doc):
    marked = {}
    for paragraph in doc.paragraphs:
        for r in paragraph.runs:
            highlight = r.element.rPr.find(qn("w:highlight"))
            if highlight is not None:
                marked[r.text] = highlight.get(qn("w:val"))
            else:
                assert "【" not in r.text, f"unmarked marker: {r.text}"
    assert marked == {"【待补充：审议件数】": "yellow", "【待补充：原因分析】": "yellow",
                      "调解成功率为98.35%【建议，请核实】": "cyan",
                      "全年开展集中普法宣传不少于12次【建议目标】": "cyan"}


def test_page_numbers_are_a_page_field_between_dashes(doc):
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.text == "— 1 —"  # the field's last result stands between the dashes
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert xml.count('w:fldCharType="begin"') == xml.count('w:fldCharType="end"') == 1
        assert paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert paragraph._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}Chars")) == "100"  # 空一字
        assert paragraph.style.name == "Footer"


def test_closing_is_right_aligned_with_the_date_two_characters_in(doc):
    office, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (office.text, date.text) == (OFFICE, "2024年1月15日")
    indents = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) for p in (office, date)]
    width = [sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in p.text) for p in (office, date)]
    assert indents[0] == 200  # office two characters in
    assert (28 - indents[1] / 100 - width[1]) - (28 - indents[0] / 100 - width[0]) == 2  # date starts 2 further right
    assert all(p.paragraph_format.alignment == 2 for p in (office, date))  # RIGHT


def test_same_draft_gives_same_bytes_and_no_clock_in_properties(draft, docx_path):
    assert docx_bytes(draft) == docx_bytes(draft) == docx_path.read_bytes()
    props = Document(str(docx_path)).core_properties
    assert props.created == props.modified == datetime.datetime(2024, 1, 15, tzinfo=datetime.UTC)
    assert props.author == props.last_modified_by == OFFICE
    with zipfile.ZipFile(docx_path) as package:
        assert not {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"} & set(package.namelist())
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        fonts = package.read("word/fontTable.xml").decode("utf-8")
    for official, stand_in in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert re.search(rf'w:name="{official}"><w:altName w:val="{stand_in}"/><w:charset w:val="86"/>', fonts)


def test_write_replaces_the_file_whole(draft, tmp_path):
    target = tmp_path / "草稿.docx"
    target.write_bytes(b"old")
    write_docx(draft, target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["草稿.docx"]


# ---- the same file laid out by LibreOffice ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(docx_path, tmp_path_factory) -> Path:
    return convert_to_pdf(docx_path, tmp_path_factory.mktemp("soffice"))


@pytest.mark.libreoffice
def test_libreoffice_gives_back_the_chinese_text(pdf, draft):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    markers = ["【待补充：审议件数】", "【建议，请核实】", "【建议目标】"]
    for expected in [*draft.title_lines, "约2.7万方", "242件", *markers, OFFICE, "2024年1月15日"]:
        assert expected in flat, expected
    for block in draft.blocks:
        if isinstance(block, Heading1 | Heading2):
            assert re.sub(r"\s+", "", block.text) in flat, block.text


def _expected_lines(draft: Draft) -> int:
    """Lines the draft fills on a 28-character grid, counted the way a typist would."""
    def lines(text: str, indent_chars: int = 2) -> int:
        width = indent_chars + sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)
        return math.ceil(width / 28)

    title_lines = sum(math.ceil(len(line) / 20) for line in draft.title_lines) + 1  # 22 pt: 20 a line; a blank
    body_lines = sum(lines(block.text) for block in draft.blocks)
    return title_lines + body_lines + (3 if draft.closing else 0)


def _pdf_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, the text lines pdftotext finds: (left, top, right, bottom) in pt from the top left, text."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        lines = []
        for box, body in re.findall(r'<line (xMin="[^>]*)>(.*?)</line>', page, re.S):
            left, top, right, bottom = (float(v) for v in re.findall(r'"([\d.]+)"', box))
            lines.append((left, top, right, bottom, "".join(re.findall(r">([^<]+)</word>", body))))
        pages.append(lines)
    return pages


def _width_in_chars(text: str) -> float:
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


@pytest.mark.libreoffice
def test_libreoffice_sets_22_lines_of_28_characters_inside_the_margins(pdf, draft):
    pages = _pdf_lines(pdf)
    expected_pages = math.ceil(_expected_lines(draft) / 22)
    assert expected_pages >= 2, "the sample should run over a page, to show both page-number sides"
    assert len(pages) in (expected_pages, expected_pages + 1), f"{len(pages)} pages, expected ~{expected_pages}"
    top_pt, bottom_pt = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM
    left_pt, right_pt = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
    pitch_pt = 579 / 20
    widths = []
    for number, lines in enumerate(pages, start=1):
        text_lines = [ln for ln in lines if ln[3] <= bottom_pt]
        for left, _, right, _, text in text_lines:
            # CJK punctuation may hang past the right edge (Word's 允许标点溢出边界 and LibreOffice both do it)
            hanging_pt = BODY_SIZE_PT if text[-1] in HANGING_PUNCTUATION else 0
            assert left >= left_pt - 0.5 and right <= right_pt + hanging_pt + 0.5, f"page {number}: {text}"
        body = [ln for ln in text_lines if ln[3] - ln[1] < 25]  # 16 pt lines; the 22 pt title is taller
        rows = [(ln[1] - body[0][1]) / pitch_pt for ln in body]
        assert all(abs(r - round(r)) < 0.05 for r in rows), f"page {number}: lines off the 28.95 pt grid: {rows}"
        first_row = round((body[0][1] - top_pt) / pitch_pt - 0.25)
        assert first_row + round(rows[-1]) + 1 <= 22, f"page {number} has more than 22 lines"
        widths += [_width_in_chars(ln[4].rstrip(HANGING_PUNCTUATION)) for ln in body]
    assert max(widths) == 28, "a full line holds 28 characters"


@pytest.mark.libreoffice
def test_libreoffice_numbers_odd_pages_right_and_even_pages_left(pdf):
    text_bottom_pt, text_left_pt, text_right_pt = (297 - 35) * PT_PER_MM, 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
    one_char_pt = 14
    for number, lines in enumerate(_pdf_lines(pdf), start=1):
        footer = [ln for ln in lines if ln[1] > text_bottom_pt]
        assert [ln[4] for ln in footer] == [f"—{number}—"]
        left, top, right, _, _ = footer[0]
        assert 5 <= (top - text_bottom_pt) / PT_PER_MM <= 9, "about 7 mm under the text area"
        if number % 2:
            assert right == pytest.approx(text_right_pt - one_char_pt, abs=1.5), f"page {number}"
        else:
            assert left == pytest.approx(text_left_pt + one_char_pt, abs=1.5), f"page {number}"


@pytest.mark.libreoffice
def test_libreoffice_first_page_screenshot(pdf):
    require(shutil.which("pdftoppm") is not None, "pdftoppm is not installed (apt-get install poppler-utils)")
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / "draft-page1")], check=True, timeout=60)
    assert (ARTIFACTS / "draft-page1.png").stat().st_size > 10_000
