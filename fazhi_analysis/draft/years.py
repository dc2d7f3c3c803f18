"""What last year's words say about time, when they are carried into this year's draft.

Year words move on with the report: 2023年 → 2024年 in the title, the part headings (四、2024年推进… →
2025年) and the sentences. What does not move: a date (2023年11月10日), the end of a span (2021—2025年), a
document number (〔2023〕7号), and anything inside quotation or title marks (《…2023年…》, “…”), which names
something as it was. Sentences about one dated or named event (与区法院联合举办“重阳送法进村社”活动), a document
revised or issued once (修订《…议事规则》) or a campaign of one period (…主题教育) may not have happened again:
they are found here, for the draft to mark 【请核实本年度是否开展】.
"""

import re

_YEAR = re.compile(r"(?<![\d—–\-~至到])(\d{4})(?=年)(?!年\d{1,2}月)")
_PROTECTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"|〔[^〕]*〕|〖[^〗]*〗")
_DATE = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月份")
_ONE_OFF = re.compile(r"(?:联合举办|举办|承办|开展|组织|召开)[^，。；]{0,12}?[“\"][^”\"]{2,30}[”\"][^，。；]{0,8}?"
                      r"(?:活动|比赛|竞赛|会议|仪式|展览|演出|培训班)")
_ONGOING = re.compile(r"继续|持续|常态化|定期|每月|每年|每季度|长期")
# a document revised or issued once (修订《…议事规则》), a campaign of one period (…主题教育)
_ONCE = re.compile(r"(?:修订|修改|制定|出台|印发|起草|编制)《|主题教育|党史学习教育|党纪学习教育|专项行动")
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


def year_edits(text: str, years: dict[int, int]) -> list[tuple[int, int, str]]:
    """(start, end, new year) for each year word of `text` that moves (`years` maps old → new)."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    edits = []
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if year in years and not any(s <= match.start() < e for s, e in protected):
            edits.append((match.start(), match.end(), str(years[year])))
    return edits


def move_years(text: str, years: dict[int, int]) -> str:
    out, at = [], 0
    for start, end, new in year_edits(text, years):
        out += [text[at:start], new]
        at = end
    return "".join(out) + text[at:]


def sentence_ends(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, its closing mark included."""
    return [m.span() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def is_one_off(sentence: str) -> bool:
    """A sentence about one dated or named event rather than standing work."""
    if _DATE.search(sentence) or _ONCE.search(sentence):
        return True
    match = _ONE_OFF.search(sentence)
    return bool(match) and not _ONGOING.search(sentence[:match.start() + 4])
