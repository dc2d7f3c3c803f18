"""The report as a reader sees it, proven in the real Chromium (Debian `chromium`, driven by playwright;
no browser is ever downloaded): offline, no console errors, images decoded, the five parts and key
figures on screen, nothing wider than a 1280 px or 375 px window, and an A4 print whose text
pdftotext can read. Screenshots land in test-artifacts/ for a human to look at.

The browser and its fonts: tests/chromium.py.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from chromium import OVERFLOWING_JS, chromium
from conftest import REPO, require, with_synthetic_2022

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"
VARIANTS = ["leadership", "analyst"]
WIDTHS_PX = [1280, 375]
# the seed report's own part headings, as the page quotes them
PART_HEADINGS = ["一、2023年推进法治政府建设的主要举措和成效",
                 "二、2023年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
                 "三、2023年推进法治政府建设存在的不足和原因", "四、2024年推进法治政府建设的工作思路目标举措",
                 "五、其他需要报告的情况"]
KEY_FIGURES = ["242", "238", "98.35%", "54", "51", "15000余"]
TITLE = "重庆市南岸区峡口镇2023年法治政府建设情况数据分析"
MAX_HTML_BYTES = 1_000_000
A4_MM = (210, 297)
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module")  # closed with this module: the next module's sync playwright needs no loop running
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("fonts")) as launched:
        yield launched


@pytest.fixture(scope="session")
def report_pages(tmp_path_factory) -> dict[str, Path]:
    """`fazhi report` into a temporary output root, once per session, in its own process as a user runs
    it (its kernel's sockets then never mix with this process's): {variant: html path}. The data is the
    shipped data with a synthetic 2022 year for 峡口镇 (tests/conftest.py)."""
    out = tmp_path_factory.mktemp("outputs")
    data = tmp_path_factory.mktemp("with_2022") / "data"
    shutil.copytree(REPO / "data", data)
    with_synthetic_2022(data)  # last year's same items, so the page has charts whose images must decode
    run = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "report", "--output-root", str(out),
                          "--data-dir", str(data)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    pages = {}
    for path in out.glob("南岸区-峡口镇/2023/*.html"):
        pages["analyst" if path.stem.endswith("-analyst") else "leadership"] = path
    assert set(pages) == set(VARIANTS), sorted(out.rglob("*"))
    return pages


def _open(browser, path: Path, width_px: int):
    """A page with every non-file request blocked and recorded, console errors recorded."""
    page = browser.new_page(viewport={"width": width_px, "height": 900})
    attempted, errors = [], []

    def block(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri(), wait_until="load")
    return page, attempted, errors


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


@pytest.mark.parametrize("variant", VARIANTS)
def test_page_is_one_small_offline_file(report_pages, variant):
    html = report_pages[variant].read_text(encoding="utf-8")
    assert report_pages[variant].stat().st_size < MAX_HTML_BYTES
    assert "<script" not in html
    assert "Content-Security-Policy" in html


@pytest.mark.parametrize("variant", VARIANTS)
def test_page_renders_offline_with_its_figures(browser, report_pages, variant):
    page, attempted, errors = _open(browser, report_pages[variant], 1280)
    try:
        text = page.evaluate("document.body.innerText")
        images = page.evaluate("Array.from(document.images, i => [i.complete, i.naturalWidth, i.alt])")
        all_text = page.evaluate("document.body.textContent")
        details = page.evaluate("Array.from(document.querySelectorAll('details'), d => d.open)")
        toc_targets = page.evaluate("Array.from(document.querySelectorAll('nav.toc a'),"
                                    " a => !!document.getElementById(a.hash.slice(1)))")
    finally:
        page.close()
    assert attempted == []
    assert errors == []
    charts_in_file = report_pages[variant].read_text(encoding="utf-8").count('<figure class="chart">')
    assert len(images) == charts_in_file >= 2  # 峡口镇 2023 beside (synthetic) 2022: 纠纷化解 and 普法
    assert all(complete and width > 0 and alt for complete, width, alt in images), images
    for expected in [TITLE, "目录", *PART_HEADINGS, *KEY_FIGURES]:
        assert expected in text, expected
    assert len(toc_targets) >= len(PART_HEADINGS) and all(toc_targets)
    assert not re.search(r"In\s*\[\d*\]|Out\[\d*\]", text), "a Jupyter prompt is shown"
    assert "page.part(" not in text, "code is visible"
    if variant == "leadership":
        assert details == [] and "page.part(" not in all_text
    else:
        assert details and not any(details), "the analyst's code is there but collapsed"
        assert "page.part(" in all_text


@pytest.mark.parametrize("width_px", WIDTHS_PX)
@pytest.mark.parametrize("variant", VARIANTS)
def test_nothing_overflows_the_window(browser, report_pages, variant, width_px):
    page, _, _ = _open(browser, report_pages[variant], width_px)
    try:
        page.screenshot(path=str(_artifact(f"{variant}-screen-{width_px}.png")), full_page=True)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # code too
        overflowing = page.evaluate(OVERFLOWING_JS)
    finally:
        page.close()
    assert overflowing == []


def _pdftotext_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("variant", VARIANTS)
def test_prints_on_a4_with_readable_chinese(browser, report_pages, variant, tmp_path):
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        require(shutil.which(tool) is not None, f"{tool} not found (apt-get install poppler-utils)")
    page, _, errors = _open(browser, report_pages[variant], 1280)
    try:
        tables = page.evaluate("""Array.from(document.querySelectorAll('table'), t => [
            t.caption ? t.caption.innerText : '', t.rows[t.rows.length - 1].cells[0].innerText])""")
        pdf = tmp_path / f"{variant}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        page.close()
    assert errors == []
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width_pts, height_pts = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width_pts / PT_PER_MM - A4_MM[0]) < 1 and abs(height_pts / PT_PER_MM - A4_MM[1]) < 1, info
    pages = _pdftotext_pages(pdf)
    assert len(pages) == int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 3 <= len(pages) <= 20
    assert "目录" in pages[0] and TITLE in pages[0]
    whole = "".join(pages)
    for heading in PART_HEADINGS:
        assert heading in whole, heading
    for heading in PART_HEADINGS[:3]:
        assert any(re.sub(r"第\d+页", "", p).startswith(heading) for p in pages), f"{heading} starts mid-page"
    # 四 and 五 (the town's short text; 五 is 无。) follow 三 on its page, not a page each (a reviewer)
    (three,) = [p for p in pages if re.sub(r"第\d+页", "", p).startswith(PART_HEADINGS[2])]
    assert PART_HEADINGS[3] in three and PART_HEADINGS[4] in three
    assert "第2页" in pages[1], "page numbers are printed at the foot"
    for caption, last_row in tables:  # a table is never split across pages
        caption, last_row = re.sub(r"\s+", "", caption), re.sub(r"\s+", "", last_row)
        (on_page,) = [p for p in pages if caption in p]
        assert last_row in on_page, f"{caption} split across pages"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(_artifact(f"{variant}-print-page1").with_suffix(""))], check=True)
    shutil.copyfile(pdf, _artifact(f"{variant}.pdf"))


def test_chinese_is_drawn_with_a_cjk_font_from_the_stack(browser, report_pages):
    """Real CJK glyphs, not tofu boxes: ask the browser which platform font drew the title."""
    page, _, _ = _open(browser, report_pages["leadership"], 1280)
    try:
        family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1 .title-line"})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        page.close()
    for office_font in ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"):  # Windows, macOS, Linux
        assert office_font in family
    cjk_glyphs = sum(f["glyphCount"] for f in used if "CJK" in f["familyName"])
    assert cjk_glyphs >= len("重庆市南岸区峡口镇年"), used


def test_the_analyst_variant_is_the_same_report_plus_code(report_pages):
    executed = report_pages["leadership"].with_suffix(".ipynb")
    nb = nbformat.read(executed, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    analyst = report_pages["analyst"].read_text(encoding="utf-8")
    assert code_cells
    assert analyst.count('<details class="code">') == len(code_cells)


def test_contents_keep_heading_text_escaped():
    from fazhi_analysis.render.export import add_contents

    page = ("<html><body><main><header class='report-cover'></header>"
            "<h2>一、&lt;script&gt;alert(1)&lt;/script&gt;</h2><h3>依法决策</h3></main></body></html>")
    html = add_contents(page)
    assert "<script>" not in html and html.count("&lt;script&gt;") == 2  # the heading and its TOC entry
    assert '<a href="#part-1-topic-1">（一）依法决策</a>' in html
    assert html.index('class="toc"') > html.index("report-cover")


def test_contents_never_number_a_heading_twice():
    """The seed's part 一 keeps its own （三）（四）（五）; a heading added beside them (the peers) gets no
    （四） of its own, which would clash with the report's."""
    from fazhi_analysis.render.export import add_contents

    page = ("<html><body><main><h2>一、主要举措和成效</h2><h3>（三）强化制约监督</h3><h3>（四）加强纠纷化解</h3>"
            "<h3>在南岸区镇街中的位置</h3><h2>二、第一责任人</h2><h3>学法考法</h3></main></body></html>")
    html = add_contents(page)
    assert '>在南岸区镇街中的位置</a>' in html and "（三）（三）" not in html
    assert html.count("（四）") == 2  # the heading and its contents entry, nothing more
    assert '<a href="#part-2-topic-1">（一）学法考法</a>' in html  # a part without own numbers is numbered


def test_contents_name_a_part_in_the_reports_own_words():
    """The contents said 四、下一年度安排 for the town's 四、2024年推进法治政府建设的工作思路目标举措 (a reviewer: the
    paraphrase the page's headings had dropped, back on page 1): a heading up to its first comma, as written."""
    from fazhi_analysis.render.export import add_contents

    page = ("<html><body><main>"
            "<h2>二、2023年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况</h2><h2>四、2024年推进法治政府建设的工作思路目标举措</h2></main></body></html>")
    html = add_contents(page)
    assert 'data-number="二、"></span>2023年党政主要负责人履行推进法治建设第一责任人职责</a>' in html
    assert 'data-number="四、"></span>2024年推进法治政府建设的工作思路目标举措</a>' in html
    assert "下一年度安排" not in html
    # the entry's text is not the heading's sentence again (a careful reader counts repeated sentences)
    from bs4 import BeautifulSoup

    nav = BeautifulSoup(html, "html.parser").select_one("nav.toc").get_text("\n")
    assert "四、2024年推进法治政府建设的工作思路目标举措" not in nav


def test_the_index_fits_a_phone(browser, tmp_path):
    """outputs/index.html of every body × year in data/ (and a failure with a long error) at 375 px: nothing
    sticks out and no table needs to scroll sideways."""
    from fazhi_analysis.batch.index_page import render_index
    from fazhi_analysis.batch.plan import ItemResult, Selection, plan_batch
    from fazhi_analysis.paths import DATA_DIR

    out = tmp_path / "out"
    everything, _ = plan_batch(DATA_DIR, out, Selection())
    for item in everything:  # as if every page were built
        item.job.html_path.parent.mkdir(parents=True, exist_ok=True)
        item.job.html_path.write_text("<html></html>", encoding="utf-8")
    results = [ItemResult(i, "built", 1.0) for i in everything]
    results[0] = ItemResult(everything[0], "failed", 1.0, "PapermillExecutionError: " + "很长的错误信息" * 20)
    index = out / "index.html"
    index.write_text(render_index(everything, results, out), encoding="utf-8")
    page, attempted, errors = _open(browser, index, 375)
    try:
        page.screenshot(path=str(_artifact("index-screen-375.png")), full_page=True)
        overflowing = page.evaluate(OVERFLOWING_JS)
        scrolling = page.evaluate("Array.from(document.querySelectorAll('.table-wrap'), w => w.scrollWidth - "
                                  "w.clientWidth).filter(d => d > 1)")
    finally:
        page.close()
    assert overflowing == [] and scrolling == [] and attempted == [] and errors == []
