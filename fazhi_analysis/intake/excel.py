"""Data entry in Excel, the way offices already work: a workbook with the catalogue's indicators grouped
by report part, last year's figures beside each, and cell validation; then reading it (or a CSV in the
observations layout, UTF-8 or GBK) back into validated observation rows and merging them into data/.

openpyxl writes and reads .xlsx including data validation, which pandas' Excel writer cannot set.
Merging is `data.merge`'s: the merged table is validated as the loader would and written atomically
under a lock, so a bad entry never reaches data/observations.csv.
"""

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from ..atomic import write_bytes_atomic
from ..data.bodies import Body
from ..data.csv_input import fold_width, normalise_text, parse_number, parse_year, read_text_table
from ..data.dataset import Catalogue, Dataset
from ..data.formatting import format_value, with_measure
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming, MergePlan, merge_into
from ..data.qualifiers import QUALIFIERS
from ..data.rules import RATE_MAX_PCT, record_problems
from ..data.structure import PART_BY_KEY, SECTIONS
from ..errors import DataError, Problem, display_path

ENTRY_SHEET = "填报"
QUALIFIER_SHEET = "限定词说明"
GUIDE_SHEET = "填写说明"
META_ROW = 2  # 省份 | … | 区县 | … | 主体 | … | 年度 | …
META_LABELS = {"省份": "province", "区县": "district", "主体": "body", "年度": "year"}
HEADER_ROW = 4
FIRST_DATA_ROW = 5
COLUMNS = ("报告部分", "方面", "指标", "计量", "上年数值（参考）", "上年原文表述（参考）", "本年数值", "限定词",
           "原文表述", "来源", "指标键（勿改）")
COL = {name: i + 1 for i, name in enumerate(COLUMNS)}
# where a record's field sits in the workbook, as the person who typed it sees it
WORKBOOK_LABELS = {
    "value": f"{get_column_letter(COL['本年数值'])}列 本年数值",
    "qualifier": f"{get_column_letter(COL['限定词'])}列 限定词",
    "indicator": f"{get_column_letter(COL['指标键（勿改）'])}列 指标键", "year": f"第{META_ROW}行 年度",
    "province": f"第{META_ROW}行 省份", "district": f"第{META_ROW}行 区县", "body": f"第{META_ROW}行 主体",
}
HEADER_FILL = PatternFill("solid", fgColor="F3EDE4")
REFERENCE_FONT = Font(color="7F7F7F")
SECTION_FONT = Font(bold=True, color="8C1C13")


def write_template(dataset: Dataset, body: Body, year: int, path: Path) -> int:
    """Write the entry workbook atomically; returns how many indicators it lists."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = ENTRY_SHEET
    previous_year = dataset.previous_year(body, year)
    previous = {} if previous_year is None else {
        r.indicator: r for r in dataset.rows_of(body, previous_year).itertuples()}
    sheet.cell(1, 1, f"{body.full_name}{year}年法治政府建设数据填报表").font = Font(bold=True, size=14)
    for i, (label, value) in enumerate(zip(META_LABELS, (body.province, body.district, body.name, year),
                                           strict=True)):
        sheet.cell(META_ROW, 2 * i + 1, label).font = Font(bold=True)
        sheet.cell(META_ROW, 2 * i + 2, value)
    reference = f"{previous_year}年" if previous_year else "上年（无数据）"
    for name, col in COL.items():
        cell = sheet.cell(HEADER_ROW, col, name.replace("上年", reference) if "上年" in name else
                          name.replace("本年", f"{year}年"))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    rates, counts, qualifiers = _validations(year)
    for validation in (rates, counts, qualifiers):
        sheet.add_data_validation(validation)
    row = FIRST_DATA_ROW
    listed = 0
    for section in SECTIONS:
        indicators = [i for i in dataset.catalogue.in_section(section.key) if i.kind != "total"]
        if not indicators:
            continue
        sheet.cell(row, 1, PART_BY_KEY[section.part].title_zh).font = SECTION_FONT
        sheet.cell(row, 2, section.title_zh).font = SECTION_FONT
        row += 1
        for ind in indicators:
            prev = previous.get(ind.key)
            values = {"报告部分": PART_BY_KEY[section.part].title_zh, "方面": section.title_zh, "指标": ind.name_zh,
                      "计量": ind.measure, "上年数值（参考）": None if prev is None else prev.value,
                      "上年原文表述（参考）": None if prev is None else prev.expr, "指标键（勿改）": ind.key}
            for name, value in values.items():
                sheet.cell(row, COL[name], value)
            for name in ("上年数值（参考）", "上年原文表述（参考）", "指标键（勿改）"):
                sheet.cell(row, COL[name]).font = REFERENCE_FONT
            value_cell = sheet.cell(row, COL["本年数值"]).coordinate
            (rates if ind.kind == "rate" else counts).add(value_cell)
            qualifiers.add(sheet.cell(row, COL["限定词"]).coordinate)
            row += 1
            listed += 1
    for name, width in zip(COLUMNS, (22, 16, 30, 7, 12, 16, 12, 9, 18, 18, 30), strict=True):
        sheet.column_dimensions[sheet.cell(HEADER_ROW, COL[name]).column_letter].width = width
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, COL["指标"] + 1)
    _qualifier_sheet(wb.create_sheet(QUALIFIER_SHEET))
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), year, reference)
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
    return listed


def _validations(year: int) -> tuple[DataValidation, DataValidation, DataValidation]:
    """Excel-side checks: a wrong cell is refused while typing, before import checks it again."""
    rates = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(int(RATE_MAX_PCT)),
                           allow_blank=True, showErrorMessage=True, errorTitle="比率应在 0–100 之间",
                           error="请填百分比的数字部分，如 98.5（不要写 % 号或文字）。")
    counts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="只能填数字",
                            error=f"请填{year}年的数字（不小于 0）；“若干”“全覆盖”等文字写在“原文表述”列。")
    qualifiers = DataValidation(type="list", formula1='"' + ",".join(QUALIFIERS) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="限定词", error="请从下拉列表中选择，或留空。")
    return rates, counts, qualifiers


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
        "比率填百分比的数字部分（98.5%填 98.5）；报告没有给出分母的比率照写，不要自行计算。",
        "“原文表述”填报告中的写法（如 15000余份）；留空则按数字、限定词和计量自动生成。",
        "没有数字的表述（全覆盖、全员通过）不填数值；不知道的指标留空，不要填 0。",
        f"灰色的“{reference}”两列只供参考，导入时不读；“指标键”列请勿修改。",
        "填好后运行: fazhi import 本文件.xlsx  —— 已有数值不会被改写，确需改写请加 --replace。",
    ]
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 110


@dataclass(frozen=True)
class Entry:
    row: int  # the file's row, as a spreadsheet shows it
    record: dict[str, str]  # OBSERVATION_COLUMNS


def read_entries(path: Path, catalogue: Catalogue) -> list[Entry]:
    """Validated observation rows from a filled workbook (.xlsx) or an observations-layout CSV."""
    shown = display_path(path)
    if not path.is_file():
        raise DataError(f"找不到文件 {shown}", [Problem(shown, None, None, None, "file_exists", "文件不存在")])
    labels = {c: c for c in OBSERVATION_COLUMNS}
    if path.suffix.lower() == ".xlsx":
        raw = _workbook_rows(path, shown)
        labels |= WORKBOOK_LABELS
    elif path.suffix.lower() == ".csv":
        frame = read_text_table(path, OBSERVATION_COLUMNS)
        raw = [(int(i) + 2, rec) for i, rec in zip(frame.index, frame.to_dict("records"), strict=True)]
    else:
        raise DataError(f"{shown} 不是 .xlsx 或 .csv 文件", [
            Problem(shown, None, None, None, "file_type", "请导入 fazhi template 生成的 .xlsx，或观测数据格式的 CSV")])
    entries, problems = [], []
    for row, record in raw:
        found = [replace(p, column=labels[p.column]) for p in record_problems(record, catalogue, shown, row)]
        problems += found
        if not found:
            entries.append(Entry(row, _completed(record, catalogue, shown)))
    if problems:
        raise DataError(f"{shown} 有 {len(problems)} 个问题，未导入", problems)
    return entries


def _workbook_rows(path: Path, shown: str) -> list[tuple[int, dict[str, str]]]:
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:  # damaged or not a workbook
        raise DataError(f"{shown} 无法作为 Excel 工作簿打开", [
            Problem(shown, None, None, None, "file_is_xlsx",
                    f"请用 fazhi template 生成的 .xlsx（{type(exc).__name__}）")]) from None
    if ENTRY_SHEET not in wb.sheetnames:
        raise DataError(f"{shown} 中没有“{ENTRY_SHEET}”工作表", [
            Problem(shown, None, ENTRY_SHEET, None, "sheet_exists", "请用 fazhi template 生成的模板填写")])
    rows = list(wb[ENTRY_SHEET].iter_rows(values_only=True))
    wb.close()
    meta_cells = rows[META_ROW - 1] if len(rows) >= META_ROW else ()
    meta = {META_LABELS[_text(label)]: _text(value)
            for label, value in zip(meta_cells[0::2], meta_cells[1::2], strict=False) if _text(label) in META_LABELS}
    missing = [label for label, key in META_LABELS.items() if not meta.get(key)]
    if missing:
        raise DataError(f"{shown} 第{META_ROW}行缺少{'、'.join(missing)}", [
            Problem(shown, META_ROW, label, None, "meta_present", "模板第2行的省份、区县、主体、年度不能删除或留空")
            for label in missing])
    out = []
    for number, cells in enumerate(rows[FIRST_DATA_ROW - 1:], start=FIRST_DATA_ROW):
        cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
        key, value = _text(cells[COL["指标键（勿改）"] - 1]), _text(cells[COL["本年数值"] - 1])
        if not key or not value:
            continue  # a section heading, or an indicator left empty
        out.append((number, {**meta, "indicator": key, "value": value,
                             "qualifier": _text(cells[COL["限定词"] - 1]), "expr": _text(cells[COL["原文表述"] - 1]),
                             "source": _text(cells[COL["来源"] - 1]) or f"{path.name} 填报"}))
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_value(value)
    return normalise_text(str(value))


def _completed(record: dict[str, str], catalogue: Catalogue, shown: str) -> dict[str, str]:
    """The record as data/ stores it: numbers normalised, an empty expression written from the figure."""
    key = fold_width(record["indicator"])
    value = parse_number(record["value"])
    qualifier = fold_width(record["qualifier"])
    expr = record["expr"] or with_measure(value, catalogue[key].measure, qualifier or None)
    return {"province": record["province"], "district": record["district"], "body": record["body"],
            "year": str(parse_year(record["year"])), "indicator": key, "value": format_value(value),
            "qualifier": qualifier, "expr": expr, "source": record["source"] or shown}


def import_entries(path: Path, data_dir: Path, catalogue: Catalogue, replace_values: bool) -> MergePlan:
    """Validate, then merge into data/ (see `data.merge`: refuses changes unless `replace_values`, locked,
    validated, atomic)."""
    entries = read_entries(path, catalogue)
    return merge_into(data_dir, [Incoming(e.row, e.record) for e in entries], catalogue, display_path(path),
                      replace_values, verb_zh="导入")
