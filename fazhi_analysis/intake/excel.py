"""Data entry in Excel, the way offices already work: a workbook with the catalogue's indicators grouped
by report part, last year's figures beside each, and cell validation; then reading it (or a CSV in the
observations layout, UTF-8 or GBK) back into validated observation rows and merging them into data/.

openpyxl writes and reads .xlsx including data validation, which pandas' Excel writer cannot set.
Merging is `data.merge`'s: the merged table is validated as the loader would and written atomically
under a lock, so a bad entry never reaches data/observations.csv.
"""

import datetime
import io
import math
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..atomic import regular_size, write_output
from ..data.bodies import Body
from ..data.csv_input import fold_width, normalise_text, parse_number, parse_year, read_text_table, xml_safe
from ..data.dataset import Catalogue, Dataset
from ..data.formatting import format_value, with_measure
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming, MergePlan, known_names, merge_into
from ..data.qualifiers import QUALIFIERS
from ..data.rules import RATE_MAX_PCT, meta_problems, record_problems
from ..data.structure import PART_BY_KEY, PARTS, SECTIONS, topic_of_heading
from ..errors import DataError, Problem, display_path

ENTRY_SHEET = "填报"
QUALIFIER_SHEET = "限定词说明"
GUIDE_SHEET = "填写说明"
META_ROW = 2  # 省份 | … | 区县 | … | 主体 | … | 年度 | …
META_LABELS = {"省份": "province", "区县": "district", "主体": "body", "年度": "year"}
HEADER_ROW = 4
FIRST_DATA_ROW = 5
COLUMNS = ("报告部分", "小标题", "事项", "计量", "上年数值（参考）", "上年写法（参考）", "本年数值", "限定词",
           "数字写法", "原文表述", "来源", "指标键", "上年原文表述（参考）")
COL = {name: i + 1 for i, name in enumerate(COLUMNS)}
REFERENCE_COLUMNS = ("上年数值（参考）", "上年写法（参考）", "指标键", "上年原文表述（参考）")
# where a record's field sits in the workbook, as the person who typed it sees it
FIELD_COLUMNS = {"part": "报告部分", "heading": "小标题", "label": "事项", "measure": "计量", "value": "本年数值",
                 "qualifier": "限定词", "expr": "数字写法", "statement": "原文表述", "source": "来源",
                 "indicator": "指标键"}


@dataclass(frozen=True)
class SheetLayout:
    """Which column of the entry sheet holds which field, as the person who typed it sees it."""

    columns: tuple[str, ...]
    fields: dict[str, str]  # record field → column name

    def col(self, name: str) -> int:
        return self.columns.index(name) + 1

    def labels(self) -> dict[str, str]:
        """Where a record's field sits, for messages: "I列 数字写法", "第2行 主体"."""
        return {**{field: f"{get_column_letter(self.col(name))}列 {name}" for field, name in self.fields.items()},
                **{key: f"第{META_ROW}行 {label}" for label, key in META_LABELS.items()},
                "topic": f"{get_column_letter(self.col('小标题'))}列 小标题"}


LAYOUT = SheetLayout(COLUMNS, FIELD_COLUMNS)
# Workbooks made before the statement column: their 原文表述 (column I) held the figure's expression.
OLD_LAYOUT = SheetLayout(("报告部分", "小标题", "事项", "计量", "上年数值（参考）", "上年原文表述（参考）", "本年数值",
                          "限定词", "原文表述", "来源", "指标键"),
                         {**{k: v for k, v in FIELD_COLUMNS.items() if k != "statement"}, "expr": "原文表述"})
NEW_ITEM_ROWS = 10  # blank rows for figures the report states that the list does not hold
HEADER_FILL = PatternFill("solid", fgColor="F3EDE4")
REFERENCE_FONT = Font(color="7F7F7F")
SECTION_FONT = Font(bold=True, color="8C1C13")


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


@dataclass(frozen=True)
class Entry:
    row: int  # the file's row, as a spreadsheet shows it
    record: dict[str, str]  # OBSERVATION_COLUMNS


def read_entries(path: Path, catalogue: Catalogue, known: dict[str, set[str]] | None = None) -> list[Entry]:
    """Validated observation rows from a filled workbook (.xlsx) or an observations-layout CSV.

    `known` holds the names already in data/ (column → names), so that a name that only looks like one
    of them (峡⼝镇 with a Kangxi radical) is refused showing the real one. A workbook's province,
    district, body and year are checked once, at the cell the typist sees (第2行 F列 主体).
    """
    shown = display_path(path)
    known = known or {}
    try:
        regular_size(path, shown)  # a FIFO or a device is refused, not opened
    except FileNotFoundError:
        raise DataError(f"找不到文件 {shown}", [
            Problem(shown, None, None, None, "file_exists", "文件不存在")]) from None
    labels = {c: c for c in OBSERVATION_COLUMNS}
    if path.suffix.lower() == ".xlsx":
        meta, meta_cells, raw, layout = _workbook_rows(path, shown)
        labels |= layout.labels()
        problems = [replace(p, row=META_ROW, column=meta_cells[p.column])
                    for p in meta_problems(meta, shown, META_ROW, known)]
        with_meta = False
    elif path.suffix.lower() == ".csv":
        frame = read_text_table(path, OBSERVATION_COLUMNS)
        raw = [(int(i) + 2, rec) for i, rec in zip(frame.index, frame.to_dict("records"), strict=True)]
        problems, with_meta = [], True
    else:
        raise DataError(f"{shown} 不是 .xlsx 或 .csv 文件", [
            Problem(shown, None, None, None, "file_type", "请导入 fazhi template 生成的 .xlsx，或观测数据格式的 CSV")])
    entries = []
    for row, record in raw:
        found = record_problems(record, catalogue, shown, row, known, with_meta=with_meta)
        found = [replace(p, column=labels[p.column]) for p in found]
        problems += found
        if not found:
            entries.append(Entry(row, _completed(record, catalogue, shown)))
    if problems:
        raise DataError(f"{shown} 有 {len(problems)} 个问题，未导入", problems)
    return entries


PART_OF_TITLE = {title: p.key for p in PARTS for title in (p.title_zh, p.short_zh, p.key)}
MAX_WORKBOOK_ROWS = 5000  # the template lists about a hundred indicators
_WORKBOOK_PARTS = ("xl/workbook.xml",)


def _workbook_rows(path: Path, shown: str
                   ) -> tuple[dict[str, str], dict[str, str], list[tuple[int, dict[str, str]]], SheetLayout]:
    """(meta, where each meta value sits, data rows, the sheet's layout) of the entry sheet, read within bounds.

    The container is checked first (`intake.containers`). The sheet is read in read-only mode with its
    declared dimension reset and only the template's columns: a sheet that declares A1:XFD1048576 is
    otherwise padded to 16,384 cells a row. A formula with a cached value gives that value; one without
    (a workbook saved by a program that does not calculate) is reported at its cell, never skipped.
    """
    from .containers import open_checked

    archive = open_checked(path, shown, "Excel 工作簿", _WORKBOOK_PARTS)
    archive.close()
    try:
        formulas = _formula_cells(path, shown)
        cells = _sheet_cells(path, shown, data_only=True) if formulas else None
        if cells is None:
            cells = _sheet_cells(path, shown, data_only=False)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds on a damaged part; all mean the same here
        raise DataError(f"{shown} 无法作为 Excel 工作簿读取", [
            Problem(shown, None, ENTRY_SHEET, None, "file_is_xlsx",
                    f"工作表无法读取（{type(exc).__name__}: {exc}）；请用 fazhi template 生成的 .xlsx，"
                    "或在 Excel / WPS 中打开后另存为")]) from None
    meta_row = cells.get(META_ROW, {})
    meta, meta_cells = {}, {}
    for column in sorted(meta_row):
        label = _text(meta_row[column])
        if label in META_LABELS and column + 1 in meta_row:
            meta[META_LABELS[label]] = _text(meta_row[column + 1])
            meta_cells[META_LABELS[label]] = f"{get_column_letter(column + 1)}列 {label}"
    missing = [label for label, key in META_LABELS.items() if not meta.get(key)]
    if missing:
        raise DataError(f"{shown} 第{META_ROW}行缺少{'、'.join(missing)}", [
            Problem(shown, META_ROW, label, None, "meta_present", "模板第2行的省份、区县、主体、年度不能删除或留空")
            for label in missing])
    layout = OLD_LAYOUT if _text(cells.get(HEADER_ROW, {}).get(OLD_LAYOUT.col("原文表述"))) == "原文表述" else LAYOUT
    read = {layout.col(name): f"{get_column_letter(layout.col(name))}列 {name}" for name in layout.fields.values()}
    meta_read = {column + 1: f"{get_column_letter(column + 1)}列 {_text(meta_row[column])}" for column in meta_row
                 if _text(meta_row[column]) in META_LABELS}
    problems = [Problem(shown, row, (meta_read if row == META_ROW else read)[column], formula, "formula_has_value",
                        "这是公式，但文件里没有计算结果（保存它的程序不计算公式）；请在 Excel / WPS 中打开、"
                        "保存后再导入，或把公式改为数值")
                for (row, column), formula in sorted(formulas.items())
                if (row == META_ROW or row >= FIRST_DATA_ROW) and column in (meta_read if row == META_ROW else read)
                and cells.get(row, {}).get(column) is None]
    if problems:
        raise DataError(f"{shown} 有 {len(problems)} 个公式没有计算结果，未导入", problems)
    problems = _date_problems(cells, meta_read, shown)
    if problems:
        raise DataError(f"{shown} 有 {len(problems)} 个应填数字的单元格是日期，未导入", problems)
    out = []
    for number in sorted(n for n in cells if n >= FIRST_DATA_ROW):
        row = cells[number]
        value = _text(row.get(layout.col("本年数值")))
        if not value:
            continue  # an item left empty
        fields = {field: _text(row.get(layout.col(name))) for field, name in layout.fields.items()}
        fields["part"] = PART_OF_TITLE.get(fields["part"], fields["part"])
        out.append((number, {"statement": "", **meta, **fields, "topic": "",
                             "source": fields["source"] or f"{path.name} 填报"}))
    return meta, meta_cells, out, layout


def _entry_sheet(wb, shown: str):
    if ENTRY_SHEET not in wb.sheetnames:
        raise DataError(f"{shown} 中没有“{ENTRY_SHEET}”工作表", [
            Problem(shown, None, ENTRY_SHEET, None, "sheet_exists", "请用 fazhi template 生成的模板填写")])
    sheet = wb[ENTRY_SHEET]
    sheet.reset_dimensions()  # never trust the declared A1:XFD1048576
    return sheet


def _bounded_rows(sheet, shown: str):
    """(row number, cells) of the template's columns, stopping with a DataError past MAX_WORKBOOK_ROWS."""
    for number, cells in enumerate(sheet.iter_rows(max_col=len(COLUMNS)), start=1):
        if number > MAX_WORKBOOK_ROWS:
            if any(c.value is not None for c in cells):
                raise DataError(f"{shown} 的“{ENTRY_SHEET}”表超过 {MAX_WORKBOOK_ROWS} 行", [
                    Problem(shown, number, ENTRY_SHEET, None, "workbook_rows",
                            f"模板只有约百行指标；第{number}行仍有内容，超过 {MAX_WORKBOOK_ROWS} 行上限")])
            continue
        yield number, cells


def _formula_cells(path: Path, shown: str) -> dict[tuple[int, int], str]:
    """(row, column) → formula of every formula cell in the template's columns."""
    wb = load_workbook(path, data_only=False, read_only=True)
    try:
        return {(number, column): str(cell.value)
                for number, cells in _bounded_rows(_entry_sheet(wb, shown), shown)
                for column, cell in enumerate(cells, start=1) if cell.data_type == "f"}
    finally:
        wb.close()


def _sheet_cells(path: Path, shown: str, data_only: bool) -> dict[int, dict[int, object]]:
    """row → column → value of the non-empty cells in the template's columns."""
    wb = load_workbook(path, data_only=data_only, read_only=True)
    try:
        out: dict[int, dict[int, object]] = {}
        for number, cells in _bounded_rows(_entry_sheet(wb, shown), shown):
            values = {column: cell.value for column, cell in enumerate(cells, start=1) if cell.value is not None}
            if values:
                out[number] = values
        return out
    finally:
        wb.close()


def _date_problems(cells: dict[int, dict[int, object]], meta_read: dict[int, str], shown: str) -> list[Problem]:
    """A number cell (本年数值, 年度) that holds a date: Excel turns "3-5" or "3/5" typed into a cell
    formatted as a date into 3月5日, and openpyxl reads a datetime; said as a date, not as a number
    with a space in it."""
    year_columns = [column for column, label in meta_read.items() if label.endswith(" 年度")]
    where = [(META_ROW, column, meta_read[column]) for column in year_columns]
    where += [(row, COL["本年数值"], f"{get_column_letter(COL['本年数值'])}列 本年数值")
              for row in sorted(cells) if row >= FIRST_DATA_ROW]
    problems = []
    for row, column, label in where:
        value = cells.get(row, {}).get(column)
        if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
            shown_value = value.date().isoformat() if isinstance(value, datetime.datetime) else str(value)
            problems.append(Problem(shown, row, label, shown_value, "cell_not_date",
                                    f"这个单元格是日期（{shown_value}），不是数字：Excel 常把输入的“3-5”“3/5”"
                                    "自动变成日期；请把单元格格式设为“常规”或“数值”后重新输入"))
    return problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int):
        return format_value(float(value)) if math.isfinite(value) else str(value)
    return normalise_text(str(value))


def _completed(record: dict[str, str], catalogue: Catalogue, shown: str) -> dict[str, str]:
    """The record as data/ stores it: numbers normalised, the topic from the catalogue or the sub-heading,
    an empty expression written from the figure."""
    key = fold_width(record["indicator"]).lower()
    value = parse_number(record["value"])
    qualifier = fold_width(record["qualifier"])
    measure = fold_width(record["measure"])
    topic = catalogue[key].section if key in catalogue else topic_of_heading(record["heading"] + record["label"])
    return {"province": record["province"], "district": record["district"], "body": record["body"],
            "year": str(parse_year(record["year"])), "part": fold_width(record["part"]), "heading": record["heading"],
            "topic": topic, "label": record["label"], "indicator": key, "value": format_value(value),
            "measure": measure, "qualifier": qualifier,
            "expr": record["expr"] or with_measure(value, measure, qualifier or None),
            "source": record["source"] or shown, "statement": record["statement"]}


def import_entries(path: Path, data_dir: Path, catalogue: Catalogue, replace_values: bool,
                   new_body: bool = False) -> MergePlan:
    """Validate, then merge into data/ (see `data.merge`: refuses changes unless `replace_values`, locked,
    validated, atomic). Names already in data/ are known, so a lookalike is shown beside the real one."""
    entries = read_entries(path, catalogue, known_names(data_dir))
    return merge_into(data_dir, [Incoming(e.row, e.record) for e in entries], catalogue, display_path(path),
                      replace_values, verb_zh="导入", new_body=new_body)
