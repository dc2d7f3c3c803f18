"""The Word draft in 公文 layout (GB/T 9704-2012) laid out for real by LibreOffice headless, whose PDF must
give back the Chinese text on a plausible number of 22-line pages. The draft is a small part of the real
2023 report of 重庆市南岸区峡口镇, in its words (tests/sample_draft.py).

This machine has no CJK system font (office PCs do); LibreOffice is pointed by fontconfig at the Noto
Sans CJK of the noto-cjk-sans-otc package, and at Serif / Kai faces when the system has them, so the
screenshot in test-artifacts/ looks like the page an office prints. The checks do not depend on which.
"""

import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, require
from office import convert_to_pdf
from sample_draft import BODY_SIZE_PT, OFFICE, PT_PER_MM, sample_draft

from fazhi_analysis.draft import Draft, Heading1, Heading2, write_docx

ARTIFACTS = REPO / "test-artifacts"
HANGING_PUNCTUATION = "，。、；：！？”’）》】"


@pytest.fixture(scope="module")
def draft() -> Draft:
    return sample_draft()


@pytest.fixture(scope="module")
def docx_path(draft, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("draft") / "draft.docx"
    write_docx(draft, path)
    return path


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
