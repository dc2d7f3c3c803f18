"""The words of a 法治政府建设年度报告 that fazhi reads and writes, each named once: measure words with the
kind of thing they count, and numerals and ordinals (（十一）, 十一是). Every module that groups, charts,
suggests or extracts asks this one (qualifiers have their own home, `qualifiers`). Light: no pandas.

Measure-word kinds decide what may be compared or charted together and what a suggestion may aim at:
- event: something done, counted (54次, 4期, 242件): the work of the year;
- size: people, copies, households (49名, 15000余份, 300人次): a town's size, context, never a rank;
- amount: money or area (650余万元, 2.7万方): never summed with counts;
- rate: a percentage (98%), checked against its counts when the report gives them.
"""

import re
from typing import Literal

import cn2an

MeasureKind = Literal["event", "size", "amount", "rate"]

MEASURE_KINDS: dict[str, MeasureKind] = {
    **dict.fromkeys(("次", "场", "场次", "期", "件", "起", "宗", "个", "项", "条", "类", "部", "篇", "处", "家",
                     "所", "座", "支", "批次", "轮次", "件次", "家次"), "event"),
    **dict.fromkeys(("名", "人", "人次", "份", "册", "户", "户次", "幅", "张", "块", "学时", "课时"), "size"),
    **dict.fromkeys(("元", "万元", "方", "立方米", "平方米", "平方公里", "公里", "亩"), "amount"),
    **dict.fromkeys(("%", "个百分点"), "rate"),
}
# Written forms that mean one measure word (场(次) is 场次).
MEASURE_SPELLINGS = {"场(次)": "场次", "场（次）": "场次"}
# What a figure measured in these words is, for a suggestion or a chart: an activity held (次, 场, 期), as
# against a count of cases received (件), which more of is not better.
ACTIVITY_MEASURES = frozenset({"次", "场", "场次", "期"})


def measure_kind(measure: str) -> MeasureKind | None:
    """The kind of a measure word as written, or None for an empty or unknown one (未发生 has none)."""
    return MEASURE_KINDS.get(MEASURE_SPELLINGS.get(measure, measure))


def is_size(measure: str) -> bool:
    return measure_kind(measure) in ("size", "amount")


# ---- numerals and ordinals ------------------------------------------------------------------------

CN_DIGITS = "零〇一二两三四五六七八九"
CN_UNITS = "十百千万亿"
NUMERAL = f"[0-9０-９{CN_DIGITS}{CN_UNITS}]"  # a character that writes a number (未发生 has none)


def chinese_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十: as a heading or a list item numbers itself (（十一）, 十一是)."""
    if n < 1:
        raise ValueError(f"an ordinal starts at 1, not {n}")
    return cn2an.an2cn(n, "low")


def heading2_number(n: int) -> str:
    """（一）, （十一）: a second-level heading's own number (full-width brackets, as offices type them)."""
    return f"（{chinese_numeral(n)}）"


def list_item(n: int) -> str:
    """一是, 十一是: how a 公文 numbers the items of a paragraph."""
    return f"{chinese_numeral(n)}是"


# A heading's own number at its start: 一、 / （一） / (一) / 1. / 第一部分 — what a report numbered itself.
_CN = f"[{CN_DIGITS}{CN_UNITS}]+"
OWN_NUMBER = re.compile(rf"^\s*(?:[（(]{_CN}[）)]|{_CN}、|第{_CN}部分[、，,：:\s]?)\s*")


def without_own_number(heading: str) -> str:
    """（三）强化制约监督… → 强化制约监督…"""
    return OWN_NUMBER.sub("", heading, count=1)


def same_place(district: str) -> str:
    """How a page says "of the same district" for this one: 同县 for a 县 (彭水苗族土家族自治县), 同市 for a
    county-level 市, 同旗, else 同区."""
    for suffix in ("县", "市", "旗"):
        if district.endswith(suffix):
            return f"同{suffix}"
    return "同区"


# ---- what kind of figure a number is ---------------------------------------------------------------
# A result is what the year achieved; a target is what the report commits to (the page and the next
# year's draft read part 四's commitments with these words); a change compares with another year.
# before a number in its clause: 力争矛盾纠纷调解成功率保持在95%以上, 确保…100%, 计划开展…20场
TARGET_CUES = ("力争", "确保", "计划", "目标", "争取", "预计", "力求", "努力实现", "拟于", "将于")
# a comparison with another year anywhere before the number in its clause: 同比下降12%, 较上年减少25件
CHANGE_COMPARISONS = ("同比", "环比", "较上年", "较去年", "比上年", "比去年", "较上一年", "较前一年",
                      "与上年相比", "与去年相比", "比2", "较2")
# a direction right before the number (增长18%): a change unless a level follows (提高到98%, 增加至5个)
CHANGE_DIRECTIONS = ("增长", "下降", "增加", "减少", "上升", "降低", "提高", "提升", "增幅", "降幅", "减幅",
                     "增长了", "下降了", "增加了", "减少了", "提高了", "提升了")
