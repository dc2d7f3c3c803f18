"""Find the figures a report states in running Chinese text, and nothing that only looks like one.

A figure is a numeral followed by a measure word (54次, 15000余份, 约2.7万方, 达98%以上, 十余项), a
percentage written out (百分之九十八), or a figure in words (未发生 → 0, 零败诉 → 0, 全覆盖 → no
number). The qualifier is recorded, never applied: 5000余份 gives value 5000 and qualifier 余.

What is *not* a figure is decided by the grammar, not by a blacklist alone: a numeral with no measure
word after it is never a figure, which already rules out years (2023年), dates (11月10日, 12·4), plan
spans (2021—2025年), document numbers (厅字〔2019〕28号, garbled or not), hotlines (12345, 8890),
index numbers (1. / 2.1.3) and slogans like 八五普法 or 二十大. What remains — ordinals (第一), set
phrases whose numeral does take a measure word (三项制度, 两个维护), a lone 一 inside ordinary words
(统一部署, 一起) and placeholders (X名, *次, which have no digit) — is handled by the rules below.

Numeral conversion: `cn2an` converts Chinese numerals (两万 → 20000, 一百零五 → 105). Three things
it does not do are done here: bare 千/万/百 (千余人) get their implied 一 first, since cn2an rejects
them; traditional forms (萬, 餘, 場, 個) are folded before matching, since cn2an and the measure
words only know simplified ones; and Arabic digits with 万/亿 (2.7万, 36.39万) are multiplied with
Decimal, exact where cn2an's smart mode goes through float.
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

import cn2an

from ..data.vocabulary import CN_DIGITS, CN_UNITS, MEASURE_KINDS, MEASURE_SPELLINGS
from ..errors import DataError, Problem

# One character in, one character out, so offsets found in the folded text hold in the original.
_FOLD = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
    **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "％": "%", "．": ".", "＋": "+", "＊": "*", "\u3000": " ", "\xa0": " ",
    "萬": "万", "億": "亿", "兩": "两", "餘": "余", "場": "场", "個": "个", "項": "项", "條": "条",
    "處": "处", "冊": "册", "張": "张", "類": "类", "戶": "户", "約": "约", "達": "达", "為": "为",
    "於": "于", "學": "学", "時": "时", "臺": "台", "輛": "辆", "幾": "几", "發": "发",
    "蓋": "盖", "員": "员", "參": "参", "訴": "诉", "無": "无", "計": "计", "總": "总", "縣": "县",
})

_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}

# Measure words after a numeral (`data.vocabulary`), longest first so 人次 wins over 人. 方 counts only after
# 万 (2.7万方), because 三方 is a party, not a volume; 万元 is 万 (a multiplier) then 元.
MEASURES: tuple[str, ...] = tuple(sorted(
    (set(MEASURE_KINDS) - {"万元"}) | set(MEASURE_SPELLINGS), key=len, reverse=True))
_MEASURE_NAME = MEASURE_SPELLINGS

# Qualifier words before a numeral, longest first; None marks scope words (共, 累计) that may sit in
# the chain but bound nothing. Mapped synonyms keep the observation schema's qualifier vocabulary.
_PREFIX_WORDS: dict[str, str | None] = dict(sorted({
    "全部": "全部", "均为": "均为", "均达": "达", "达到": "达", "多达": "达", "达": "达",
    "大约": "约", "约占": "约", "约": "约", "占": None, "将近": "近", "近": "近", "超过": "超", "超": "超", "逾": "超",
    "不少于": "不少于", "不低于": "不少于", "至少": "不少于",
    "共计": None, "共": None, "累计": None, "合计": None, "总计": None, "为": None, "是": None,
}.items(), key=lambda kv: len(kv[0]), reverse=True))
_SUFFIX_WORDS = {"以上": "以上", "左右": "约"}
# When a figure carries several, the one that bounds it most is kept: 全部约2.7万方 → 约, 达98%以上 → 以上.
QUALIFIER_PRIORITY = ("余", "超", "以上", "不少于", "约", "近", "达", "均为", "全部")

# Set phrases whose numeral is followed by a measure word, so the grammar alone would take them.
SET_PHRASES = (
    "三项制度", "两个维护", "两个确立", "四个意识", "四个自信", "四个全面", "三个代表", "两个责任",
    "一次性", "一件事", "一条龙", "一部分", "一家人", "五个一", "一个中心", "三个务必",
)
# A lone 一 is a figure only after a verb that counts (召开一次会议, 发生一起事故): elsewhere it is part
# of an ordinary word (统一部署, 一起参加, 进一步).
_COUNTING_VERBS = (
    "开展", "召开", "举办", "举行", "组织", "进行", "开设", "印发", "制定", "出台", "修订", "建立", "设立",
    "组建", "成立", "发生", "办理", "受理", "完成", "签订", "聘请", "培育", "建成", "配备", "共", "计", "了",
)
_NEGATED = ("未发生", "没有发生", "无")
_NORM_MARK = re.compile(r"每(?:年|月|季度|季|半年|周|日|天|人|次|个)|不少于|不低于|至少")
_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?：:\n]")

# ASCII digits only (full-width ones are folded to them first): `\d` would also take ٥ or ५, and
# superscript / circled digits (⁵⁴, ⑤④) are never a figure.
_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_NUMERAL = re.compile(
    rf"百分之(?P<pct>{_ARABIC}|[{CN_DIGITS}{CN_UNITS}]+)"
    rf"|(?<![0-9.A-Za-z])(?P<arabic>{_ARABIC})(?![0-9])"
    rf"|(?<![0-9.])(?P<chinese>[{CN_DIGITS}{CN_UNITS}]+)"
)
_ONE_NUMERAL = re.compile(rf"(?P<arabic>{_ARABIC})(?P<mult>[万亿])?|(?P<chinese>[{CN_DIGITS}{CN_UNITS}]+)")
_RATE_LIST = re.compile(
    r"(?P<names>[\u4e00-\u9fff]{1,10}?率(?:[、和及与][\u4e00-\u9fff]{1,10}?率)+)"
    r"(?:均为|均达|均|都|持续保持|保持|分别为|达到|达|为|是|\s)*$"
)
_IN_WORDS_ZERO = re.compile(
    rf"未发生|(?<![{CN_DIGITS}{CN_UNITS}\d])零(?:败诉|投诉|事故|上访|信访|差错|违规|违纪|发案|伤亡|纠错|被诉|发生)"
)
_NO_NUMBER = re.compile(r"全覆盖|全员(?:优秀)?(?:通过|合格|参考|参加|参训|持证|达标|覆盖)")
_ALL_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}?全部")
# Extraction stays linear in the text: clause and sentence ends are indexed once per text (`Breaks`),
# and what is looked at around a figure is bounded. A clause longer than this on either side of a
# figure (300 KB of text without a comma) is cut here, so alias search never scans the whole text.
CLAUSE_MAX_CHARS = 200
_LOOK_CHARS = 64  # before / after a numeral: qualifier chains, set phrases, counting verbs are short


class NumberFormatError(DataError):
    """A text that was expected to be one number is not."""


@dataclass(frozen=True)
class Figure:
    """One stated figure. `start`/`end` index the text given to `find_figures`; `expr` is that slice.

    flags: in_words (未发生 → 0), no_number (全覆盖: value None), norm (每年…不少于: a rule, not a
    result). `subject` is set when one phrase states several figures (参考率、合格率均为100%).
    """

    value: float | None
    qualifier: str | None
    measure: str | None
    expr: str
    start: int
    end: int
    flags: tuple[str, ...] = ()
    subject: str | None = None


def fold(text: str) -> str:
    """Full-width digits and traditional numerals/measures to their plain forms, length preserved."""
    return text.translate(_FOLD)


def numeral_value(text: str) -> float:
    """One numeral as written: '15,000' / '２.７万' / '两万' / '千' / '百分之九十八' → its value.

    Raises NumberFormatError (a user-facing DataError) when the text is not exactly one numeral.
    """
    folded = fold(text.strip()).removeprefix("百分之")
    match = _ONE_NUMERAL.fullmatch(folded)
    value = None
    if match and match["arabic"]:
        value = _arabic_value(match["arabic"], match["mult"])
    elif match:
        value = _chinese_value(match["chinese"])
    if value is None:
        raise NumberFormatError(f"不是一个数字: {text!r}", [
            Problem("(text)", None, None, text, "numeral_readable",
                    "应为阿拉伯数字或中文数字，如 242、2.7万、两万")])
    return value


def _arabic_value(digits: str, multiplier: str | None) -> float:
    number = Decimal(digits.replace(",", ""))
    return float(number * _MULTIPLIER[multiplier]) if multiplier else float(number)


def _chinese_value(numeral: str) -> float | None:
    """cn2an for the conversion; an implied leading 一 (千余 → 一千) added first."""
    if numeral[0] in "百千万亿":
        numeral = "一" + numeral
    try:
        return float(cn2an.cn2an(numeral.replace("〇", "零"), "normal"))
    except (ValueError, KeyError, IndexError):
        return None


class Breaks:
    """Where a pattern (clause or sentence ends) breaks a text, found in one pass; the bounds around
    any span are then two bisections, not a rescan from the start of the text for every figure."""

    def __init__(self, text: str, pattern: re.Pattern = _CLAUSE_BREAK, window: int = CLAUSE_MAX_CHARS):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for match in pattern.finditer(text):
            self.starts.append(match.start())
            self.ends.append(match.end())
        self.length = len(text)
        self.window = window

    def around(self, start: int, end: int, include_end: bool = False) -> tuple[int, int]:
        """(after the last break ending at or before `start`, the next break starting at or after `end`),
        each at most `window` characters from the span; `include_end` keeps the closing mark."""
        i = bisect_right(self.ends, start) - 1
        j = bisect_left(self.starts, end)
        lo = self.ends[i] if i >= 0 else 0
        hi = (self.ends[j] if include_end else self.starts[j]) if j < len(self.starts) else self.length
        return max(lo, start - self.window), min(hi, end + self.window)


def find_figures(text: str) -> list[Figure]:
    """Every figure stated in `text`, in order. Never raises: text that is not a figure is skipped."""
    folded = fold(text)
    clauses = Breaks(folded)
    figures = [f for m in _NUMERAL.finditer(folded) for f in _numeric_figures(text, folded, m, clauses)]
    for match in _IN_WORDS_ZERO.finditer(folded):
        figures.append(_worded(text, folded, match, 0.0, "in_words", clauses))
    for match in _NO_NUMBER.finditer(folded):
        figures.append(_worded(text, folded, match, None, "no_number", clauses))
    return sorted(figures, key=lambda f: f.start)


def clause_bounds(folded: str, start: int, end: int, clauses: Breaks | None = None) -> tuple[int, int]:
    """The clause around [start, end): between the nearest ，；。：or line break on either side, and at
    most CLAUSE_MAX_CHARS from the span. Pass the text's `Breaks` when asking for many spans."""
    if clauses is not None:
        return clauses.around(start, end)
    lo = max(0, start - CLAUSE_MAX_CHARS)
    local = Breaks(folded[lo:end + CLAUSE_MAX_CHARS])
    clause_start, clause_end = local.around(start - lo, end - lo)
    return clause_start + lo, clause_end + lo


def _worded(text: str, folded: str, match: re.Match, value: float | None, flag: str, clauses: Breaks) -> Figure:
    clause_start, _ = clause_bounds(folded, match.start(), match.end(), clauses)
    flags = (flag, "norm") if _NORM_MARK.search(folded, clause_start, match.start()) else (flag,)
    return Figure(value, None, None, text[match.start():match.end()], match.start(), match.end(), flags)


def _numeric_figures(text: str, folded: str, match: re.Match, clauses: Breaks) -> list[Figure]:
    """The figure(s) a numeral starts, or none when the numeral is not a quantity."""
    start, pos = match.start(), match.end()
    if match["pct"]:
        value = _numeral_or_none(match["pct"])
        measure, more = "%", None
    else:
        digits = match["arabic"] or match["chinese"]
        multiplier = None
        if match["arabic"] and folded[pos:pos + 1] in _MULTIPLIER:
            multiplier, pos = folded[pos], pos + 1
        more = folded[pos] if folded[pos:pos + 1] in ("余", "多") else None
        pos += bool(more)
        if not multiplier and folded[pos:pos + 1] in _MULTIPLIER and match["arabic"]:
            multiplier, pos = folded[pos], pos + 1  # 650余万元
        measure = next((m for m in MEASURES if folded.startswith(m, pos)), None)
        if measure is None or not _is_quantity(folded, start, match, measure, more, multiplier):
            return []
        pos += len(measure)
        value = (_arabic_value(digits, multiplier) if match["arabic"] else _chinese_value(digits))
    if value is None:
        return []
    suffix = next((w for w in _SUFFIX_WORDS if folded.startswith(w, pos)), None)
    end = pos + len(suffix or "")
    prefixes, chain_start, expr_start = _prefix_chain(folded, start)
    found = set(prefixes) | {"余" if more else None, _SUFFIX_WORDS.get(suffix or "")}
    clause_start, clause_end = clause_bounds(folded, start, end, clauses)
    if measure != "%" and _ALL_AFTER.match(folded, end, clause_end):
        found.add("全部")  # 3名执法人员全部取得行政执法证
    qualifier = next((q for q in QUALIFIER_PRIORITY if q in found), None)
    flags = ("norm",) if _NORM_MARK.search(folded, clause_start, start) else ()
    figure = Figure(value, qualifier, _MEASURE_NAME.get(measure, measure), text[expr_start:end],
                    expr_start, end, flags)
    rate_list = _RATE_LIST.search(folded, clause_start, chain_start) if measure == "%" else None
    if rate_list:
        names = re.split(r"[、和及与]", rate_list["names"])
        return [Figure(**{**figure.__dict__, "subject": name}) for name in names]
    return [figure]


def _numeral_or_none(numeral: str) -> float | None:
    try:
        return numeral_value(numeral)
    except NumberFormatError:
        return None


def _is_quantity(folded: str, start: int, match: re.Match, measure: str, more: str | None,
                 multiplier: str | None) -> bool:
    """The rules a numeral-plus-measure must pass to be a stated quantity."""
    before = folded[max(0, start - _LOOK_CHARS):start].rstrip()
    after = folded[start:start + _LOOK_CHARS]
    tail = folded[match.end():match.end() + _LOOK_CHARS].lstrip("余多万亿")[len(measure):]
    chinese = match["chinese"]
    if before.endswith("第") or any(after.startswith(p) for p in SET_PHRASES):
        return False
    if before.endswith(_NEGATED):  # 未发生一起事故: the in-words zero is the figure
        return False
    if measure == "方" and not multiplier:
        return False
    if tail[:1] and tail[0] in CN_DIGITS + "性":  # 一人一档, 一案一评, 一次性
        return False
    if measure == "个" and tail.startswith(("月", "工作日")):  # a duration, not a count
        return False
    if chinese:
        if not any(c in CN_DIGITS for c in chinese) and chinese != "十" and not more:
            return False  # 千方百计, 万家: a bare 千/万 is a number only with 余 (千余人)
        if chinese == "一" and not before.endswith(_COUNTING_VERBS):
            return False
    return True


def _prefix_chain(folded: str, start: int) -> tuple[list[str], int, int]:
    """Qualifier words right before a numeral (全部约, 均达, 共): (qualifiers, chain start, expr start).

    The expression as written starts at the first word that bounds the figure; scope words (共) and
    the copula (为) are part of the chain but not of the expression.
    """
    qualifiers: list[str] = []
    pos = expr_start = start
    for _ in range(4):
        window = max(0, pos - _LOOK_CHARS)
        trimmed = window + len(folded[window:pos].rstrip(" "))
        word = next((w for w in _PREFIX_WORDS if folded.endswith(w, 0, trimmed)), None)
        if word is None:
            break
        pos = trimmed - len(word)
        if _PREFIX_WORDS[word]:
            qualifiers.append(_PREFIX_WORDS[word])
            expr_start = pos
    return qualifiers, pos, expr_start
