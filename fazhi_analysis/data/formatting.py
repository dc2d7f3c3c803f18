"""How numbers read in a Chinese government report: stated figures as written, computed ones tidy."""

import math
import re

from .qualifiers import written


def fmt_number(value: float | None, decimals: int = 2) -> str:
    """242.0 → '242'; 98.3471 → '98.35'; 27000 → '27000'; None/NaN → '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def fmt_change(change: float | None, measure: str) -> str:
    """Year-over-year change of a count: '+12件', '-3次', '持平'."""
    if change is None or math.isnan(change):
        return "—"
    if change == 0:
        return "持平"
    unit = "个百分点" if measure == "%" else measure
    return f"{'+' if change > 0 else '-'}{fmt_number(abs(change))}{unit}"


def fmt_change_pct(change_pct: float | None) -> str:
    if change_pct is None or math.isnan(change_pct):
        return "—"
    return f"{'+' if change_pct > 0 else ''}{change_pct:.1f}%"


def with_measure(value: float | None, measure: str, qualifier: str | None = None) -> str:
    """A figure in the report's own style, its qualifier in its place: '15000余份', '约2.7万方', '98.35%'."""
    number = fmt_number(value)
    return number if number == "—" else written(number, qualifier, measure)


def format_value(value: float | None) -> str:
    """A value as data/observations.csv stores it: 27000.0 → '27000', 99.14 → '99.14', None → ''."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


# Where the figure itself starts in an expression: its qualifier words, then a numeral.
_FIGURE_START = re.compile(
    r"(?:均为|均达|持续保持|保持|达到|全部|累计|共计|共|超过|不少于|近|约|超|达|为|\s)*[\d０-９]")
_SHARED = {"均为": "为", "均达": "达"}


def as_written(label: str, expr: str) -> str:
    """A figure as a sentence states it, its label never doubled: 调解成功238件, 调解成功率达98%以上,
    未发生重大事故, 执法人员持证上岗率达 100% (expr 持证上岗率达 100%), 法治考试参考率为100% (expr
    参考率和通过率均为100%: one subject of a shared statement)."""
    if not expr:
        return label
    if label and label in expr:
        return expr
    if not any(c.isdigit() for c in expr):  # in words: 未发生, 全覆盖
        return f"{expr}{label}"
    match = _FIGURE_START.search(expr)
    head, tail = (expr[:match.start()], expr[match.start():]) if match else (expr, "")
    if head and ("率" in head or label.endswith(head)):
        for shared, single in _SHARED.items():
            tail = tail.replace(shared, single, 1) if tail.startswith(shared) else tail
        return f"{label}{tail}"
    return f"{label}{expr}"


def written_like(earlier_expr: str, value: float, measure: str, qualifier: str | None, expr: str) -> str:
    """A new figure written as the clerk gave it, in the form an earlier report used: the entered expression
    as it is, unless it is only the generated one (value, qualifier, measure) and the earlier report wrote
    its figure with 万 (约2.7万方): then 万 again (约2.8万方). The qualifier is only the one entered."""
    if expr != with_measure(value, measure, qualifier) or "万" not in earlier_expr or value < 10_000:
        return expr
    return written(f"{fmt_number(value / 10_000, 4)}万", qualifier, measure)


def change_words(change: float, measure: str) -> str:
    """A change against last year in words: 增加6次, 减少3件, 增加2个百分点, 持平."""
    if change == 0:
        return "持平"
    unit = "个百分点" if measure == "%" else measure
    return f"{'增加' if change > 0 else '减少'}{fmt_number(abs(change))}{unit}"


def labelled(label: str, expr: str) -> str:
    """An entered item for the clerk to write up: 接访下访（36次）. The expression stays whole beside its label,
    so a label that ends in the measure word never reads doubled (学习覆盖人次300余人次)."""
    return expr if label in expr else f"{label}（{expr}）"
