"""An overview page's figures and tables in one Excel workbook (`fazhi export`, `OverviewPage.to_excel`):
the district's own summary is written in Excel, so the comparison tables go there as they stand on the
page. openpyxl writes it (already the project's Excel library, for the data-entry template).

Text and numbers only, never a formula: openpyxl stores a string that starts with "=" as a formula, so
every text cell is typed as text explicitly, and a number in a numeric column is a number (242, 98.35),
not "242". Sheet 说明 lists the sheets with each table's caption and note; 全部数字 holds every figure of
the year, the towns' own items included, with the columns of `figures()` under Chinese headings (parts
and topics in words); then one sheet per page table, headings in row 1. Written atomically: an existing
file is replaced only when the new one is complete.
"""

import io
import math
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..atomic import write_bytes_atomic
from ..data.structure import PART_BY_KEY, SECTION_BY_KEY
from ..wording import say

MAX_SHEET_TITLE_CHARS = 31  # Excel's limit
MAX_COLUMN_WIDTH = 60
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
FIGURE_HEADINGS = {
    "year": "年度", "province": "省（市）", "district": "区县", "body": "镇街", "town": "页面上的名称",
    "part": "报告部分", "heading": "小标题", "topic": "方面", "label": "事项（原文）", "statement": "原文句子",
    "expr": "原文写法", "value": "数值", "measure": "计量", "qualifier": "限定词", "indicator": "指标键",
    "indicator_zh": "指标", "comparable": "可与其他镇街比较", "source": "来源", "file_row": "数据文件行号",
}
FIGURES_SHEET = "全部数字"
CONTENTS_SHEET = "说明"


def sheet_title(caption: str, taken: set[str]) -> str:
    """'表：2025年法治理论知识考试通过率排名' → '法治理论知识考试通过率排名': unique, at most 31 characters."""
    text = _NOT_IN_SHEET_TITLE.sub("", re.sub(r"^(表|图)：(\d{4}年)?", "", caption)).strip() or "表"
    title, n = text[:MAX_SHEET_TITLE_CHARS], 1
    while title in taken:
        n += 1
        suffix = f"（{n}）"
        title = text[:MAX_SHEET_TITLE_CHARS - len(suffix)] + suffix
    taken.add(title)
    return title


def workbook_bytes(page) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    contents = book.active
    contents.title = CONTENTS_SHEET
    figures = page.figures()
    figures["part"] = [PART_BY_KEY[p].short_zh if p in PART_BY_KEY else p for p in figures["part"]]
    figures["topic"] = [SECTION_BY_KEY[t].title_zh if t in SECTION_BY_KEY else t for t in figures["topic"]]
    tables = page.tables()
    taken = {CONTENTS_SHEET, FIGURES_SHEET}
    _fill(book.create_sheet(FIGURES_SHEET), [FIGURE_HEADINGS[c] for c in figures.columns],
          figures.itertuples(index=False), Font(bold=True))
    index = [[FIGURES_SHEET, say("overview.workbook.figures_sheet", year=page.year, n=len(figures)), ""]]
    for caption, frame in tables.items():
        title = sheet_title(caption, taken)
        _fill(book.create_sheet(title), list(frame.columns), frame.itertuples(index=False), Font(bold=True))
        index.append([title, caption, frame.attrs.get("note", "")])
    contents.append([page.title])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([say("overview.workbook.about", year=page.year)])
    contents.append([])
    _fill(contents, ["工作表", "内容", "说明"], index, Font(bold=True), start_row=4)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(page, path: Path | str) -> Path:
    path = Path(path)
    write_bytes_atomic(path, workbook_bytes(page))
    return path


def _fill(sheet, headings: list[str], rows, bold, start_row: int = 1) -> None:
    widths = [_width(h) for h in headings]
    for column, heading in enumerate(headings, 1):
        cell = sheet.cell(row=start_row, column=column, value=heading)
        cell.font = bold
    for r, row in enumerate(rows, start_row + 1):
        for c, value in enumerate(row, 1):
            cell = sheet.cell(row=r, column=c)
            shown = _cell_value(value)
            cell.value = shown
            if isinstance(shown, str):
                cell.data_type = "s"  # text stays text: "=…" is never a formula
                widths[c - 1] = max(widths[c - 1], _width(shown))
    if start_row == 1:
        sheet.freeze_panes = "A2"
    from openpyxl.utils import get_column_letter

    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_COLUMN_WIDTH, width + 2)


def _cell_value(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else (int(value) if value.is_integer() else value)
    if hasattr(value, "item"):  # numpy scalars
        return _cell_value(value.item())
    return "" if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
