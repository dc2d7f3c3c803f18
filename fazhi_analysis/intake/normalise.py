"""A report's text as its office typed it, before any figure is read: what a PDF, a web page or a copy
adds is taken out, so that "办理行政处罚案件 27 件", "1.2 万余份" and "调解成\\n功率达97%以上" read as the
report wrote them. The kept copy in data/raw/ is this normalised text, so every statement (the clause
that states a figure) is a verbatim substring of it.

- Full-width digits, ％ and ． become ASCII (２７件 → 27件); nothing else is folded here.
- A run of spaces (also U+3000, U+00A0) next to a Chinese character or Chinese punctuation, or between a
  number and what belongs to it (. % 万 亿 余), is removed: Chinese never spaces words. Spaces between
  two Latin words or two separate numbers (12345 8890) stay. Thousands groups "15 000" are joined.
- A line break inside a sentence is removed (see `join_lines`): the previous line does not end a
  sentence and neither line is a heading; a PDF is read by its paragraph indents.
- Page-number lines of a PDF (— 1 —, - 2 -, 第1页 共3页) are dropped.
"""

import re

_FULL_WIDTH = {**{0xFF10 + i: str(i) for i in range(10)}, ord("％"): "%", ord("．"): "."}
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_CN_PUNCT = r"，。、；：！？“”‘’（）《》〔〕【】—…·"
_SPACES = r"[ \t\u3000\u00a0]+"
_SPACE_BY_HAN = re.compile(rf"(?<=[{_HAN}{_CN_PUNCT}]){_SPACES}|{_SPACES}(?=[{_HAN}{_CN_PUNCT}])")
_SPACE_IN_NUMBER = re.compile(rf"(?<=[0-9]){_SPACES}(?=[.%万亿余])|(?<=[0-9.]){_SPACES}(?=[0-9]*\.[0-9])"
                              rf"|(?<=\.){_SPACES}(?=[0-9])")
_THOUSANDS = re.compile(r"(?<![0-9.])([0-9]{1,3})((?: [0-9]{3})+)(?![0-9.])")
_PAGE_NUMBER = re.compile(r"^[\s\-－—–]*(?:第\s*[0-9]+\s*页(?:\s*共\s*[0-9]+\s*页)?|[0-9]{1,3})[\s\-－—–]*$")
# A line that ends a sentence or a title: the next line starts a new paragraph.
_ENDS_PARAGRAPH = re.compile(r"[。；;！!？?]\s*$|报告\s*$")
# A line that starts a heading or a numbered item of its own (一、 （一） 第一部分 1. ): never joined to the
# line before it, and (unless it is a long heading that wraps) never joined to the line after it.
HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十0-9]+[）)]"
                           r"|第[一二三四五六七八九十]+部分|[0-9]{1,2}[、．.](?![0-9]))")
# Without layout, a line shorter than this is a title or a signature line, not a line a copy broke.
MIN_BROKEN_LINE_COLUMNS = 20
_CJK_OR_FULL = re.compile(rf"[{_HAN}{_CN_PUNCT}\u3000-\u303f\uff00-\uffef]")


def normalise(text: str, pdf: bool = False) -> str:
    """The report's text as typed (see the module's rules). `pdf` adds the page-layout rules."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULL_WIDTH)
    raw = text.split("\n")
    if pdf:  # a PDF's blank lines are vertical spacing, not paragraph ends; its page numbers are not text
        raw = [line for line in raw if line.strip() and not _PAGE_NUMBER.match(line)]
    indented = [bool(line.strip()) and line[:1] in " \t\u3000" for line in raw]
    lines = [_unspaced(line) for line in raw]
    return "\n".join(join_lines(lines, indented if pdf else None)).strip("\n")


def _unspaced(line: str) -> str:
    line = _SPACE_BY_HAN.sub("", line.strip(" \t\u3000\u00a0"))
    line = _SPACE_IN_NUMBER.sub("", line)
    return _THOUSANDS.sub(lambda m: m[1] + m[2].replace(" ", ""), line)


def display_width(line: str) -> int:
    """Columns a line takes: a Chinese character or full-width mark 2, anything else 1."""
    return sum(2 if _CJK_OR_FULL.match(c) else 1 for c in line)


def join_lines(lines: list[str], indented: list[bool] | None = None) -> list[str]:
    """Lines with each break inside a sentence removed. A blank line always ends a paragraph.

    Text: a line of at least MIN_BROKEN_LINE_COLUMNS that does not end a sentence (。；！？ or a title's 报告)
    continues on the next line, unless one of them is a numbered heading. With a PDF's layout
    (`indented`: which lines start right of the left margin), where some lines are indented and most are
    not, a 公文 is read by its indents: it indents the first line of every paragraph, so a line that is not
    indented continues the one before it; an indented one starts a paragraph unless the paragraph before
    (not its last line, which a paragraph's end leaves short) broke a sentence as above: a Word paragraph
    split inside a sentence."""
    by_indent = indented is not None and 0.05 < sum(indented) / max(1, sum(map(bool, lines))) < 0.7
    out: list[str] = []
    physical = ""  # the last line as laid out, before joining
    for i, line in enumerate(lines):
        joined = bool(out and line and out[-1]) and not HEADING_START.match(line) and (
            (by_indent and not indented[i]) or _continues(out[-1], out[-1] if by_indent else physical, line))
        if joined:
            out[-1] += line
        else:
            out.append(line)
        physical = line
    return out


def _continues(previous: str, physical: str, line: str) -> bool:
    if _ENDS_PARAGRAPH.search(previous) or display_width(physical) < MIN_BROKEN_LINE_COLUMNS:
        return False
    if HEADING_START.match(previous) and "。" not in previous:  # a heading wraps only onto a short tail of itself
        return "。" not in line and display_width(line) < 30
    return True
