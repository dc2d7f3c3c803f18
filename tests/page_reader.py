"""Read a built leadership page as its reader would, and list what a careful 公文 writer would not sign.

Used on the seed page and on every leadership page a batch builds. Each check has the real case that
showed it: 持证上岗率持证上岗率达100% (a label doubled), fazhi and data/raw/… on the cover (Latin),
报告所述比率中，0项与其数字一致 (a count of nothing), 普法活动合计19次 (a sum across 次 and 期), figures
of the report missing from its page (issue 11); and from the second reading (issue 18): 宣传覆盖社区25个社区
and 持证执法人员3名执法人员 (a label around its own number), 保持不少于12余次 / 不少于累计100余场次 / 每月1次
(targets that are not Chinese or come from a formula), 15000余份 as the glossary's example on another town's
page, "法治理论考试人数121名……（报告未列参考人数，未作核对）" (a note denying what its sentence gives), and the
same 18-character sentence twice on one page.
"""

import re

from bs4 import BeautifulSoup

_REPEATED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_ZERO_COUNT = re.compile(r"(?<![\d.])0项")
_SUM = re.compile(r"(?:合计|总计)[^\d\n]{0,4}\d")  # a total in prose (普法活动合计19次), not a table's column
_LABEL_AROUND = re.compile(r"([\u4e00-\u9fff]{2,6})[\d.]+万?(?:余|多)?[\u4e00-\u9fff]{0,2}\1")
_FORMULA_TARGET = re.compile(r"不少于[\d.]+万?余|不少于累计|每月1[次场期]|不少于[^，。；\n]{0,8}余[次场期件份名]")
_GLOSSARY_EXAMPLE = re.compile(r"（本报告：([^）]*)）")
_DENIED = re.compile(r"未列(参考人数|人数|件数|参考人次)")
_COUNT_OF = {"参考人数": r"\d+(?:余)?[名人]", "人数": r"\d+(?:余)?[名人]", "件数": r"\d+(?:余)?件",
             "参考人次": r"\d+(?:余)?人次"}
JARGON = ("稳健", "绝对中位差", "取对数", "z分数", "标准差")
SENTENCE_MIN_CHARS = 18


def visible_text(html: str) -> str:
    """The text a reader sees: no styles, no code, no addresses (a URL may name a source)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script", "title", "head"]):
        tag.decompose()
    for tag in soup.select(".url, details.code"):
        tag.decompose()
    return soup.get_text("\n")


def repeated_sentences(text: str) -> list[str]:
    """Sentences of SENTENCE_MIN_CHARS or more that appear more than once (split at 。；, line breaks)."""
    sentences = [s.strip() for s in re.split(r"[。；\n]", text) if len(s.strip()) >= SENTENCE_MIN_CHARS]
    return sorted({s for s in sentences if sentences.count(s) > 1})


def problems(html: str, figures_as_written: list[str] = ()) -> list[str]:
    """What is wrong with a leadership page; `figures_as_written` are expressions that must all be on it
    (the body's own: a glossary example must be one of them)."""
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
    for match in _LABEL_AROUND.finditer(text):
        found.append(f"a label repeated around its number: {match.group(0)!r}")
    for match in _FORMULA_TARGET.finditer(text):
        found.append(f"a target that is a formula or not Chinese: {match.group(0)!r}")
    if figures_as_written:
        for match in _GLOSSARY_EXAMPLE.finditer(text):
            for example in match.group(1).split("、"):
                # the number as qualified may stand without its work words (约2.7万方 of 全部约2.7万方)
                if not any(expr == example or (expr.endswith(example) and example[:1] in "约近超达不" + "0123456789")
                           for expr in figures_as_written):
                    found.append(f"a glossary example that is not this report's: {example!r}")
    for sentence in re.split(r"[。；\n]", text):
        for match in _DENIED.finditer(sentence):
            if re.search(_COUNT_OF[match.group(1)], sentence[:match.start()]):
                found.append(f"a note that denies what its own sentence gives: {sentence.strip()!r}")
    for sentence in repeated_sentences(text):
        found.append(f"the same sentence more than once: {sentence!r}")
    for expr in figures_as_written:
        if expr not in text:
            found.append(f"a figure of the report missing from the page: {expr!r}")
    return found
