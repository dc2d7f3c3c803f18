"""The entry workbook `fazhi template` writes: last year's items as that report named them, the
catalogue's other indicators by topic, blank rows for new items, cell validation (openpyxl sets it;
pandas' Excel writer cannot), a sheet explaining the qualifiers and a guide. Its layout, and reading it
back, are `excel`'s."""

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ..atomic import write_output
from ..data.bodies import Body
from ..data.csv_input import xml_safe
from ..data.dataset import Dataset
from ..data.qualifiers import QUALIFIERS
from ..data.rules import RATE_MAX_PCT
from ..data.structure import PART_BY_KEY, PARTS, SECTIONS
from .excel import (
    COL,
    COLUMNS,
    ENTRY_SHEET,
    FIRST_DATA_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    META_LABELS,
    META_ROW,
    QUALIFIER_SHEET,
    REFERENCE_COLUMNS,
)

NEW_ITEM_ROWS = 10  # blank rows for figures the report states that the list does not hold
HEADER_FILL = PatternFill("solid", fgColor="F3EDE4")
REFERENCE_FONT = Font(color="7F7F7F")


def write_template(dataset: Dataset, body: Body, year: int, path: Path, force: bool = True) -> int:
    """Write the entry workbook atomically; returns how many items it lists. Rows: last year's items as
    that report named them (part, sub-heading, wording, measure word), then the catalogue's other
    indicators by topic, then blank rows for new items. Every field can be edited to the new report's
    wording; a catalogue key stays only while the item is the same thing (data/README.md)."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = ENTRY_SHEET
    previous_year = dataset.previous_year(body, year)
    last = dataset.rows_of(body, previous_year) if previous_year else dataset.rows_of(body, year).iloc[0:0]
    _put(sheet, 1, 1, f"{body.full_name}{year}年法治政府建设数据填报表").font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(zip(META_LABELS, (body.province, body.district, body.name, year),
                                           strict=True)):
        sheet.cell(META_ROW, 2 * i + 1, label).font = Font(bold=True)
        _put(sheet, META_ROW, 2 * i + 2, value)
    reference = f"{previous_year}年" if previous_year else "上年（无数据）"
    for name, col in COL.items():
        cell = sheet.cell(HEADER_ROW, col, name.replace("上年", reference) if "上年" in name else
                          name.replace("本年", f"{year}年"))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    validations = _validations(year)
    for validation in validations.values():
        sheet.add_data_validation(validation)
    rows = [{"报告部分": PART_BY_KEY[r.part].title_zh, "小标题": r.heading, "事项": r.label, "计量": r.measure,
             "上年数值（参考）": r.value, "上年写法（参考）": r.expr, "指标键": r.indicator,
             "上年原文表述（参考）": r.statement}
            for r in last.itertuples()]
    taken = set(last["indicator"]) - {""}
    for section in SECTIONS:
        rows += [{"报告部分": PART_BY_KEY[section.part].title_zh, "小标题": "", "事项": ind.name_zh,
                  "计量": ind.measure, "指标键": ind.key}
                 for ind in dataset.catalogue.in_section(section.key) if ind.kind != "total" and ind.key not in taken]
    row = FIRST_DATA_ROW
    for values in rows + [{}] * NEW_ITEM_ROWS:
        for name, value in values.items():
            _put(sheet, row, COL[name], value if value != "" else None)
        for name in REFERENCE_COLUMNS:
            sheet.cell(row, COL[name]).font = REFERENCE_FONT
        validations["part"].add(sheet.cell(row, COL["报告部分"]).coordinate)
        kind = "rate" if values.get("计量") == "%" else "count"
        validations[kind].add(sheet.cell(row, COL["本年数值"]).coordinate)
        validations["qualifier"].add(sheet.cell(row, COL["限定词"]).coordinate)
        row += 1
    for name, width in zip(COLUMNS, (20, 24, 26, 7, 12, 16, 12, 9, 16, 40, 18, 30, 40), strict=True):
        sheet.column_dimensions[sheet.cell(HEADER_ROW, COL[name]).column_letter].width = width
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, COL["事项"] + 1)
    _qualifier_sheet(wb.create_sheet(QUALIFIER_SHEET))
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), year, reference)
    for each in wb.worksheets:  # the guarantee: no text fazhi writes is ever a formula
        for cells in each.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.value = xml_safe(cell.value)  # what XML cannot hold would stop openpyxl's writer
                    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    write_output(path, buffer.getvalue(), force)  # without force only a new file, never over another's
    return len(rows)


def _put(sheet, row: int, column: int, value):
    """A cell whose text is always text: openpyxl stores a str starting with "=" as a live formula, so a
    body name or an expression from the data (=HYPERLINK(…), =cmd|…) would run when the office opens
    the workbook. Numbers stay numbers."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _validations(year: int) -> dict[str, DataValidation]:
    """Excel-side checks: a wrong cell is refused while typing, before import checks it again."""
    return {
        "rate": DataValidation(type="decimal", operator="between", formula1="0", formula2=str(int(RATE_MAX_PCT)),
                               allow_blank=True, showErrorMessage=True, errorTitle="比率应在 0–100 之间",
                               error="请填百分比的数字部分，如 98.5（不要写 % 号或文字）。"),
        "count": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                showErrorMessage=True, errorTitle="只能填数字",
                                error=f"请填{year}年的数字（不小于 0）；“若干”“全覆盖”等文字写在“数字写法”列。"),
        "qualifier": DataValidation(type="list", formula1='"' + ",".join(QUALIFIERS) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="限定词", error="请从下拉列表中选择，或留空。"),
        "part": DataValidation(type="list", formula1='"' + ",".join(p.title_zh for p in PARTS) + '"',
                               allow_blank=True, showErrorMessage=True, errorTitle="报告部分",
                               error="请选择这个数字在报告中所在的部分。"),
    }


def _qualifier_sheet(sheet) -> None:
    sheet.append(["限定词", "含义", "举例"])
    examples = {"余": "15000余份", "超": "超700人次", "以上": "98%以上", "不少于": "不少于4次", "约": "约2.7万方",
                "近": "近300名", "达": "达99.14%", "均为": "参考率、合格率均为100%", "全部": "全部约2.7万方"}
    for q in QUALIFIERS.values():
        sheet.append([q.text, q.meaning_zh, examples.get(q.text, "")])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    sheet.column_dimensions["B"].width, sheet.column_dimensions["C"].width = 50, 24


def _guide_sheet(sheet, year: int, reference: str) -> None:
    lines = [
        f"在“{ENTRY_SHEET}”表的“{year}年数值”列填写报告所述数字，只填数字（15000余份填 15000，限定词选“余”）。",
        "“报告部分”“小标题”“事项”“计量”按今年报告的写法填写或修改：数字写在报告哪一部分、哪个小标题下，"
        "报告怎么称呼这件事（如“法律讲座”），用什么量词（场、期、次、名、人次……）。",
        "比率填百分比的数字部分（98.5%填 98.5）；报告没有给出分母的比率照写，不要自行计算。",
        "“数字写法”填报告中这个数字的写法（如 15000余份）；留空则按数字、限定词和计量自动生成。",
        "“原文表述”（可选）粘贴报告中写出这个数字的那一句，一字不改（到句号、分号为止，不含句号），如"
        "“印发法律法规宣传资料15000余份”所在的整句；报告页和草稿照录这一句。不填则只在表格中列出数字。",
        "没有数字的表述（全覆盖、全员通过）不填数值；不知道的事项留空，不要填 0。",
        "表中没有的数字，写在末尾的空行里。“指标键”只在事项与目录指标是同一件事、量词也相同时保留；"
        "事项或量词不同，请清空“指标键”。",
        f"灰色的“{reference}”各列只供参考，导入时不读。",
        "填好后运行: fazhi import 本文件.xlsx  —— 已有数值不会被改写，确需改写请加 --replace。",
    ]
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 110
