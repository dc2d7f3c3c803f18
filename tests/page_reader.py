"""Read a built leadership page as its reader would, and list what a careful 公文 writer would not sign.

Used on the seed page and on every leadership page a batch builds. Each check has the real case that
showed it (issue 11): 持证上岗率持证上岗率达100% (a label doubled), fazhi and data/raw/… on the cover (Latin),
报告所述比率中，0项与其数字一致 (a count of nothing), 普法活动合计19次 (a sum across 次 and 期), figures
of the report missing from its page.
"""

import re

from bs4 import BeautifulSoup

_REPEATED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_ZERO_COUNT = re.compile(r"(?<![\d.])0项")
_SUM = re.compile(r"(?:合计|总计)[^\d\n]{0,4}\d")  # a total in prose (普法活动合计19次), not a table's column
JARGON = ("稳健", "绝对中位差", "取对数", "z分数", "标准差")


def visible_text(html: str) -> str:
    """The text a reader sees: no styles, no code, no addresses (a URL may name a source)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script", "title", "head"]):
        tag.decompose()
    for tag in soup.select(".url, details.code"):
        tag.decompose()
    return soup.get_text("\n")


def problems(html: str, figures_as_written: list[str] = ()) -> list[str]:
    """What is wrong with a leadership page; `figures_as_written` are expressions that must all be on it."""
    text = visible_text(html)
    found = []
    for match in _REPEATED.finditer(text):
        found.append(f"phrase repeated back to back: {match.group(0)!r}")
    for match in _LATIN.finditer(text):
        found.append(f"Latin word on a leadership page: {match.group(0)!r}")
    if _ZERO_COUNT.search(text):
        found.append("a count of nothing (0项)")
    for word in JARGON:
        if word in text:
            found.append(f"statistics jargon: {word}")
    for match in _SUM.finditer(text):
        context = text[max(0, match.start() - 20):match.end() + 20].replace("\n", " ")
        if not any(match.group(0)[:2] in expr for expr in figures_as_written):
            found.append(f"a sum the report did not state: …{context}…")
    for expr in figures_as_written:
        if expr not in text:
            found.append(f"a figure of the report missing from the page: {expr!r}")
    return found
