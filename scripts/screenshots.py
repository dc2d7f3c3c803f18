"""Make the README's pictures again from the shipped data: the seed's leadership page (Chromium) and a page of
峡口镇's 2024 draft with its comments beside it, as Word shows them in its margin (LibreOffice lays the page
out; the comments are the PDF's own annotations, drawn at the height of the text they are anchored on).

The 2024 figures are SYNTHETIC, written into a temporary copy of data/ only (the same ones as
benchmarks/draft_next_year.py).

    .venv/bin/python scripts/screenshots.py     # writes docs/screenshot-report.png, docs/screenshot-draft-2024.png
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from draft_next_year import _data_with_2024  # noqa: E402
from office import convert_to_pdf  # noqa: E402

from fazhi_analysis.cli.main import main  # noqa: E402

PAGE_DPI = 80
MARGIN_PX = 330
DRAFT_PAGE = 3  # the page of （四）: replaced figures, left-out rates, a new item


def report_screenshot(out: Path, work: Path) -> None:
    """Part 一 of the seed's page: the town's own clauses with their figures marked."""
    import os

    from office import fontconfig_file
    from PIL import Image
    from playwright.sync_api import sync_playwright

    assert main(["report", "--output-root", str(work)]) == 0
    page_path = next(p for p in work.rglob("*.html") if not p.stem.endswith("-analyst"))
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(work))}  # this machine has no CJK system font
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], env=env)
        page = browser.new_page(viewport={"width": 900, "height": 1200}, device_scale_factor=1)
        page.goto(page_path.as_uri())
        top = page.locator("h2").first.bounding_box()["y"]
        page.screenshot(path=str(work / "full.png"), full_page=True)
        browser.close()
    image = Image.open(work / "full.png")
    image.crop((0, int(top) - 20, image.width, int(top) + 1080)).save(out)


def draft_screenshot(out: Path, work: Path) -> None:
    import pypdf
    from noto_cjk_sans_otc import FONT_PATH
    from PIL import Image, ImageDraw, ImageFont

    data = _data_with_2024(work)
    assert main(["draft", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "--output-root",
                 str(work / "out")]) == 0
    docx = next((work / "out").rglob("*.docx"))
    pdf = convert_to_pdf(docx, work, export_comments=True)
    page = str(DRAFT_PAGE)
    subprocess.run(["pdftoppm", "-hide-annotations", "-r", str(PAGE_DPI), "-f", page, "-l", page, "-png", str(pdf),
                    str(work / "page")], check=True)
    page_image = Image.open(next(work.glob("page*.png"))).convert("RGB")
    scale = PAGE_DPI / 72
    pdf_page = pypdf.PdfReader(pdf).pages[DRAFT_PAGE - 1]
    height_pt = float(pdf_page.mediabox.height)
    notes = [(height_pt - float(a.get_object()["/Rect"][3]), str(a.get_object()["/Contents"]))
             for a in (pdf_page.get("/Annots") or []) if a.get_object().get("/Subtype") == "/Text"]
    canvas = Image.new("RGB", (page_image.width + MARGIN_PX, page_image.height), "#f3f3f3")
    canvas.paste(page_image, (0, 0))
    draw, font = ImageDraw.Draw(canvas), ImageFont.truetype(FONT_PATH, 12, index=2)
    next_free = 0
    for top_pt, text in sorted(notes):
        y = max(int(top_pt * scale), next_free)
        lines = [text[i:i + 24] for i in range(0, len(text), 24)]
        box = (page_image.width + 10, y, canvas.width - 10, y + 8 + 16 * len(lines))
        draw.rectangle(box, fill="#fff8d6", outline="#d9b44a")
        draw.line((page_image.width - 60, int(top_pt * scale) + 6, box[0], y + 8), fill="#d9b44a")
        for n, line in enumerate(lines):
            draw.text((box[0] + 6, y + 4 + 16 * n), line, fill="#333333", font=font)
        next_free = box[3] + 6
    canvas.save(out)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        report_screenshot(REPO / "docs" / "screenshot-report.png", Path(tmp) / "report")
        work = Path(tmp) / "draft"
        work.mkdir()
        draft_screenshot(REPO / "docs" / "screenshot-draft-2024.png", work)
    shutil.rmtree(REPO / "outputs" / ".tmp", ignore_errors=True)
    print("docs/screenshot-report.png, docs/screenshot-draft-2024.png")
