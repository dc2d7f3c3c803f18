"""Executed notebook → one self-contained HTML page (nbconvert, our small 'fazhi_report' template).

The stock lab/classic templates always emit <script src> for require.js and MathJax from CDNs, which
an office PC without internet cannot load; ours extends 'basic', drops every script block and adds a
stylesheet. Two variants of the same page:
- "leadership" (default): outputs and headings only, no code, no prompts;
- "analyst": the same page with each cell's code kept, collapsed in <details>, for review.
After export the page gets a table of contents built from its h2/h3 headings. That step parses the
page with BeautifulSoup (already an nbconvert dependency) rather than regular expressions, because
headings come both from markdown cells and from HTML outputs, with nested markup inside.
"""

from functools import cache
from typing import Literal

from nbconvert import HTMLExporter

from ..data.vocabulary import OWN_NUMBER, heading2_number
from ..paths import TEMPLATES_DIR

TEMPLATE_NAME = "fazhi_report"
Variant = Literal["leadership", "analyst"]
VARIANTS: tuple[Variant, ...] = ("leadership", "analyst")
TOC_TITLE = "目录"


@cache
def _exporter() -> HTMLExporter:
    """One exporter for both variants, so the templates are loaded and compiled once."""
    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR / "nbconvert")],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def prewarm() -> None:
    """Load and compile the templates ahead of the first report (e.g. while a kernel starts)."""
    import nbformat

    notebook_to_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 预热")]), "预热")


@cache
def _code_css() -> str:
    """Syntax colours for the analyst variant's code (pygments, which nbconvert already uses to highlight)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


def notebook_to_html(nb, title: str, variant: Variant = "leadership") -> str:
    """The report page for one executed notebook; `variant="analyst"` keeps the code, collapsed."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown HTML variant {variant!r}; expected one of {VARIANTS}")
    resources = {"metadata": {"name": title}, "fazhi_variant": variant,
                 "fazhi_code_css": _code_css() if variant == "analyst" else ""}
    exporter = _exporter()
    exporter.exclude_input = variant == "leadership"
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return add_contents(html)


def add_contents(html: str) -> str:
    """Give every h2/h3 a stable id, number the topics (（一）（二）… restarting at each part, as official
    reports do) unless a heading carries its report's own number (（三）强化制约监督…), and insert a linked
    table of contents after the cover (or at the top of the page)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup.body
    if main is None:
        return html
    for anchor in main.select("a.anchor-link"):
        anchor.decompose()
    entries: list[tuple[int, str, str]] = []  # (level, id, text)
    headings = [h for h in main.find_all(["h2", "h3"]) if not h.find_parent(class_="toc")]
    # a part whose report numbered its own sub-headings （三）（四）… gets no second numbering
    own_numbers, part = set(), 0
    for heading in headings:
        part += heading.name == "h2"
        if heading.name == "h3" and OWN_NUMBER.match(heading.get_text("", strip=True)):
            own_numbers.add(part)
    part_count = topic_count = aside_count = 0
    for heading in headings:
        if heading.name == "h2":
            part_count, topic_count = part_count + 1, 0
            heading["id"] = f"part-{part_count}"
        elif "unnumbered" in (heading.get("class") or []):  # the page's own aside, not one of the report's topics
            aside_count += 1
            heading["id"] = f"part-{part_count}-aside-{aside_count}"
        else:
            topic_count += 1
            heading["id"] = f"part-{part_count}-topic-{topic_count}"
            if part_count and part_count not in own_numbers:
                number = soup.new_tag("span", attrs={"class": "topic-number"})
                number.string = heading2_number(topic_count)
                heading.insert(0, number)
        shown = contents_text(heading.get_text("", strip=True))
        entries.append((2 if heading.name == "h2" else 3, heading["id"], shown))
    if not entries:
        return str(soup)
    nav = _contents_nav(soup, entries)
    cover = main.find(class_="report-cover")
    if cover is not None:
        cover.insert_after(nav)
    else:
        main.insert(0, nav)
    return str(soup)


def contents_text(heading: str) -> str:
    """A heading as the contents list names it: up to its first comma (（三）强化制约监督; 二、2023年党政主要
    负责人履行推进法治建设第一责任人职责), in the report's own words."""
    return heading.split("，", 1)[0]  # the report's own words, never a short name of ours (a reviewer)


def _contents_nav(soup, entries: list[tuple[int, str, str]]):
    """<nav class="toc"> with parts as the outer list and their topics nested beneath them."""
    nav = soup.new_tag("nav", attrs={"class": "toc", "aria-label": TOC_TITLE})
    title = soup.new_tag("p", attrs={"class": "toc-title"})
    title.string = TOC_TITLE
    nav.append(title)
    outer = soup.new_tag("ol", attrs={"class": "toc-parts"})
    nav.append(outer)
    inner = None
    for level, target, text in entries:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{target}")
        number = OWN_NUMBER.match(text) if level == 2 else None
        if number:  # a part's number shown by CSS (attr): the entry's text is not the heading's sentence again
            link.append(soup.new_tag("span", attrs={"class": "toc-number", "data-number": number.group(0).strip()}))
            text = text[number.end():]
        link.append(text)
        item.append(link)
        if level == 2 or not outer.contents:
            outer.append(item)
            inner = None
            continue
        if inner is None:
            inner = soup.new_tag("ol", attrs={"class": "toc-topics"})
            outer.contents[-1].append(inner)
        inner.append(item)
    return nav
