"""Next year's draft (tests/next_year_draft.py) as LibreOffice reads it: every comment kept, and no "2023年"
left outside marked or quoted text and last year's 不足 (kept as written under their mark)."""

import re

import pytest
from next_year_draft import comments, make_drafted
from office import convert_to_pdf, pdf_text


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    return make_drafted(tmp_path_factory.mktemp("next_year"))


@pytest.mark.libreoffice
def test_libreoffice_converts_it_with_its_comments_and_no_2023_left_unmarked(drafted, tmp_path):
    import pypdf

    _, path, _ = drafted
    pdf = convert_to_pdf(path, tmp_path, export_comments=True)
    annotations = [a.get_object().get("/Contents") for page in pypdf.PdfReader(pdf).pages
                   for a in (page.get("/Annots") or []) if a.get_object().get("/Subtype") == "/Text"]
    assert sorted(annotations) == sorted(comments(path))
    text = re.sub(r"\s+", "", pdf_text(pdf))
    outside = re.sub(r"【[^】]*】|“[^”]*”|《[^》]*》", "", text)  # marked or quoted text may name 2023
    # and so may last year's 不足, kept as written under their mark (三、 up to 四、)
    mark = "【以下为2023年报告所列的不足和原因，请按2024年的情况重写】"
    carried = text[text.index(mark):text.index("四、2025年")]
    assert carried.count("2023年") >= 2
    outside = re.sub(r"【[^】]*】|“[^”]*”|《[^》]*》", "", text.replace(carried, ""))
    assert "2023年" not in outside and "2023年" in text
