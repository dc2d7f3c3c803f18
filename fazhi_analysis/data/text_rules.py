"""Text a spreadsheet would execute: the CSV / formula-injection rule (OWASP "CSV Injection").

Excel, WPS and LibreOffice run a cell that starts with = + - @ (or a tab / CR before one) as a formula
when a CSV is opened, and openpyxl writes such a string as a live formula. fazhi's text cells (names,
expr, source) never legitimately start with one of these: an expression as written starts with a
numeral or a qualifier (54次, 约2.7万方, 达98%以上), and a negative figure is already refused in `value`
(value_not_negative). So fazhi *rejects* such text where it enters (validate, import, extract --merge)
instead of storing it with a leading apostrophe: the data then never holds altered text, and nothing
fazhi writes (observations.csv, drafts, workbooks) can carry a formula. Workbooks fazhi writes set
every text cell's type to string as a second guard. The one column exempt is `value`, which is a
number and has its own rules.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_problem(text: str) -> tuple[str, str] | None:
    """(rule, message) when a text cell would run as a spreadsheet formula, else None."""
    if not text.startswith(FORMULA_STARTS):
        return None
    why = f"以 {text[0]!r} 开头的文字会被 Excel / WPS 当作公式执行；请去掉开头的 = + - @ 符号"
    if text[0] == "-":
        why += "（负数不是本表的数值；减少请写作“减少3次”“下降3个百分点”）"
    return "text_not_formula", why


def neutralised(text: str) -> str:
    """Text for a display-only CSV cell (an extraction draft's sentence): a leading apostrophe, as
    OWASP recommends, when it would otherwise run as a formula. Never used for data columns."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
