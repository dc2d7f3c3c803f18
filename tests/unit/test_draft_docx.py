"""The Word draft in 公文 layout (GB/T 9704-2012): the .docx as Word and WPS read it (page, grid, fonts
named on every run and in the styles, heading levels, marked gaps, page numbers). The draft is a small part
of the real 2023 report of 重庆市南岸区峡口镇, in its words (tests/sample_draft.py). The same file laid out by
LibreOffice is tests/integration/test_draft_docx_libreoffice.py."""

import datetime
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sample_draft import OFFICE, PT_PER_MM, TITLE, sample_draft

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
