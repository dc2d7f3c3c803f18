"""The report as a reader sees it, proven in the real Chromium (Debian `chromium`, driven by playwright;
no browser is ever downloaded): offline, no console errors, images decoded, the five parts and key
figures on screen, nothing wider than a 1280 px or 375 px window, and an A4 print whose text
pdftotext can read. Screenshots land in test-artifacts/ for a human to look at.

The test machine has no CJK system font (office PCs do: YaHei, PingFang, Noto CJK on UOS/Kylin), so
the browser is pointed by fontconfig at the Noto Sans CJK shipped with the noto-cjk-sans-otc package,
one of the families in the page's font stack.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, require

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
VARIANTS = ["leadership", "analyst"]
WIDTHS_PX = [1280, 375]
PART_HEADINGS = ["一、推进法治政府建设的主要举措和成效",
                 "二、党政主要负责人履行推进法治建设第一责任人职责情况", "三、存在的不足和原因",
                 "四、下一年度推进法治政府建设的主要安排", "五、其他需要报告的情况"]
KEY_FIGURES = ["242", "238", "98.35%", "54", "51", "15000余"]
TITLE = "重庆市南岸区峡口镇2023年法治政府建设情况数据分析"
MAX_HTML_BYTES = 1_000_000
A4_MM = (210, 297)
PT_PER_MM = 72 / 25.4

OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      if (a === document.body || a === document.documentElement) return false;
      if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || clipped(el)) continue;
    if (r.right > width + 0.5 || r.left < -0.5)
      bad.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  const scroll_px = document.documentElement.scrollWidth;
  if (scroll_px > width) bad.push(`page scrollWidth ${scroll_px}`);
  return bad;
}"""


def _fontconfig_file(directory: Path) -> Path:
    from noto_cjk_sans_otc import FONT_PATH

    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{Path(FONT_PATH).parent}</dir>\n"
        f"  <cachedir>{directory / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return conf


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "Python playwright is not installed")
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig_file(tmp_path_factory.mktemp("fonts")))}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def report_pages(tmp_path_factory) -> dict[str, Path]:
    """`fazhi report` into a temporary output root, once per session, in its own process as a user runs
    it (its kernel's sockets then never mix with this process's): {variant: html path}."""
    out = tmp_path_factory.mktemp("outputs")
    run = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "report", "--output-root", str(out)],
                         capture_output=True, text=True, cwd=REPO)
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
    assert len(images) == charts_in_file >= 2  # 峡口镇 2023: the dispute funnel and the 普法 issues
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
        assert any(re.sub(r"第\d+页", "", p).startswith(heading) for p in pages), f"{heading} starts mid-page"
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
