"""`fazhi draft` (a real process) for the seed year, opened by LibreOffice as an office PC would: five parts,
4–7 pages, and every line of the seed report in the PDF's text."""

import re
import subprocess
import sys

import pytest
from conftest import REPO
from docx import Document
from office import convert_to_pdf, pdf_pages, pdf_text

SEED_TEXT = (REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt").read_text(encoding="utf-8")
SEED_LINES = [line.strip() for line in SEED_TEXT.replace("[bookmark: _GoBack]", "").splitlines() if line.strip()]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_seed_draft_as_an_office_pc_would(tmp_path):
    done = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "draft", "--year", "2023", "--unit",
                           "峡口镇", "--output-root", str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "南岸区-峡口镇" / "2023" / "南岸区-峡口镇-2023-法治政府建设年度报告（草稿）.docx"
    assert done.stdout.strip() == str(path)
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    pdf = convert_to_pdf(path, tmp_path)
    # page numbers come between two pages, and punctuation hanging at a line's end is not always in
    # pdftotext's text: the words are compared
    text = re.sub(r"—\d+—|[，、。；：]", "", re.sub(r"\s+", "", pdf_text(pdf)))
    assert 4 <= pdf_pages(pdf) <= 7
    for line in SEED_LINES:
        assert re.sub(r"\s+|[，、。；：]", "", line) in text, line[:30]
