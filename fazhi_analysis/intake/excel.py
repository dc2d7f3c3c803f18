"""Data entry in Excel, the way offices already work: the layout of the entry workbook (`template` writes
it: the catalogue's indicators grouped by report part, last year's figures beside each), and reading it (or
a CSV in the observations layout, UTF-8 or GBK) back into observation rows, checked by the rules every row
follows (`data.row_rules`), then merged into data/.

openpyxl reads the .xlsx within bounds. Merging is `data.merge`'s: the merged table is validated as the
loader would and written atomically under a lock, so a bad entry never reaches data/observations.csv.
"""

import datetime
import math
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..atomic import regular_size
from ..data.csv_input import (
    fold_width,
    normalise_name,
    normalise_text,
    parse_number,
    parse_year,
    read_text_table,
)
from ..data.dataset import Catalogue
from ..data.formatting import format_value, with_measure
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming, MergePlan, known_names, merge_into
from ..data.row_rules import row_problems, rows_as_text
from ..data.structure import PARTS, topic_of_heading
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
    columns = OBSERVATION_COLUMNS
    if path.suffix.lower() == ".xlsx":
        meta, meta_cells, raw, layout = _workbook_rows(path, shown)
        labels |= layout.labels()
        _, found = row_problems(rows_as_text([(META_ROW, meta)], META_LABELS.values()), None, shown, known)
        problems = [replace(p, column=meta_cells[p.column]) for p in found]
        columns = tuple(c for c in OBSERVATION_COLUMNS if c not in META_LABELS.values())  # checked once, above
    elif path.suffix.lower() == ".csv":
        frame = read_text_table(path, OBSERVATION_COLUMNS)
        raw = [(int(i) + 2, rec) for i, rec in zip(frame.index, frame.to_dict("records"), strict=True)]
        problems = []
    else:
        raise DataError(f"{shown} 不是 .xlsx 或 .csv 文件", [
            Problem(shown, None, None, None, "file_type", "请导入 fazhi template 生成的 .xlsx，或观测数据格式的 CSV")])
    _, found = row_problems(rows_as_text(raw, columns), catalogue, shown, known)  # the rules every row follows
    problems += [replace(p, column=labels[p.column]) for p in found]
    if problems:
        raise DataError(f"{shown} 有 {len(problems)} 个问题，未导入", sorted(problems, key=lambda p: p.row or 0))
    return [Entry(row, _completed(record, catalogue, shown)) for row, record in raw]


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
    return {"province": normalise_name(record["province"]), "district": normalise_name(record["district"]),
            "body": normalise_name(record["body"]),
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
