"""A figure's statement: the clause of its report that states it, quoted verbatim wherever the figure is
shown, so that a page or a draft never puts the town's number into a sentence of its own.

"安全生产、环境保护等重点领域全年未发生重大事故" is a scoped claim and "未发生重大事故" a broader one; "依法拆除"
is not "拆除". So the unit of truth is the clause: the span between the nearest 。；！？ (or their ASCII forms)
or line break on either side, spaces at its ends trimmed and the closing mark left out. One clause may carry
several figures (举办召开院坝会3次，举办法治讲座4期，…). Light: no pandas.
"""

import re

STATEMENT_BREAK = re.compile(r"[。；;！!？?\n]")
BREAK_CHARS = frozenset("。；;！!？?\n")
MAX_STATEMENT_CHARS = 1200  # a clause longer than this is a paste of several paragraphs, not one clause
_LOOK_CHARS = MAX_STATEMENT_CHARS // 2  # how far either side of a figure its clause is looked for


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the clause of `text` that holds text[start:end], trimmed of spaces at both ends.

    Looks at most _LOOK_CHARS either side, so a text without sentence ends (300 KB of one
    paragraph) costs the same per figure as a real report."""
    floor = max(0, start - _LOOK_CHARS)
    lo = max([floor, *(text.rfind(mark, floor, start) + 1 for mark in BREAK_CHARS)])
    ceiling = min(len(text), end + _LOOK_CHARS)
    after = STATEMENT_BREAK.search(text, end, ceiling)
    hi = after.start() if after else max(end, ceiling)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def statement_of(text: str, start: int, end: int) -> str:
    """The clause of `text` that states the figure at text[start:end], verbatim."""
    lo, hi = clause_around(text, start, end)
    return text[lo:hi]


def figure_spans(statement: str, exprs: list[str]) -> list[tuple[int, int] | None]:
    """Where each figure's expression stands in the statement, for figures given in the report's order:
    each is looked for after the previous one (调解242件 after 受理矛盾纠纷242件), then anywhere not yet
    taken; None when it is not there."""
    spans: list[tuple[int, int] | None] = []
    taken: list[tuple[int, int]] = []
    position = 0
    for expr in exprs:
        found = _free(statement, expr, position, taken) if expr else None
        if found is None and expr:
            found = _free(statement, expr, 0, taken)
        spans.append(found)
        if found is not None:
            taken.append(found)
            position = found[1]
    return spans


def _free(statement: str, expr: str, position: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    at = statement.find(expr, position)
    while at >= 0:
        span = (at, at + len(expr))
        if not any(s < span[1] and span[0] < e for s, e in taken):
            return span
        at = statement.find(expr, at + 1)
    return None
