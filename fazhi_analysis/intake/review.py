"""The review file of an extraction: what a person reads and corrects before figures enter data/.

- A CSV (one report) is written with a UTF-8 BOM: Excel on Chinese Windows otherwise opens it as GBK
  mojibake.
- A workbook (`-o draft.xlsx`, and always for a folder) has one row a figure with its statement beside it,
  a 审核意见 (verdict) column first (empty: a result is taken in; 不采用: left out), the kind in words, and
  a second sheet 报告 with one row a report (title as written, date, address: the reviewer may correct
  them) and the report's normalised text, so that merging the workbook registers each body with its
  own text even when the documents have moved.
Reading either back gives the draft rows (`extract.DRAFT_COLUMNS`) and the reports.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_output
from ..data.csv_input import MAX_TABLE_BYTES, normalise_text, read_text_table
from ..data.sources import KeptReport
from ..errors import DataError, Problem, display_path

FIGURE_SHEET = "审核"
REPORT_SHEET = "报告"
HEADERS = {"verdict": "审核意见", "body": "主体", "year": "年度", "part": "报告部分", "heading": "小标题",
           "label": "事项", "value": "数值", "measure": "计量", "qualifier": "限定词", "expr": "数字写法",
           "kind": "类别", "statement": "原文表述", "indicator": "指标键", "topic": "方面", "province": "省份",
           "district": "区县", "source": "来源", "flags": "标记", "sentence": "所在句", "phrase": "短语",
           "start": "起", "end": "止"}
KIND_ZH = {"result": "结果", "target": "目标", "change": "变化", "other": "其他"}
VERDICTS = ("采用", "不采用")
REPORT_HEADERS = ("来源", "省份", "区县", "主体", "年度", "标题", "发布日期", "网址", "原文")
TEXT_CELL_CHARS = 30_000  # Excel holds at most 32,767 characters a cell: a report's text spans cells
WIDTHS = {"审核意见": 9, "事项": 24, "数字写法": 14, "原文表述": 60, "小标题": 24, "所在句": 40}


@dataclass(frozen=True)
class Review:
    rows: list[tuple[int, dict[str, str]]]  # (row as the reviewer sees it, draft row)
    reports: dict[str, KeptReport]  # by the `source` the rows carry; empty for a CSV draft


def write_review(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]],
                 reports: list[tuple[str, KeptReport]] = (), force: bool = False) -> None:
    """The review file at `path`: a workbook for .xlsx, else a CSV with a BOM. Created exclusively unless
    `force` (`atomic.write_output`); a CSV that `--merge` could not read back is refused, not written."""
    if path.suffix.lower() != ".xlsx":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8-sig")
        if len(data) > MAX_TABLE_BYTES:
            shown = display_path(path)
            raise DataError(f"草稿将有 {len(data) / 2**20:.0f} MB（{len(rows)} 个数字），超过 --merge 能读入的 "
                            f"{MAX_TABLE_BYTES // 2**20} MB，未写入 {shown}", [
                Problem(shown, None, None, f"{len(data)} bytes", "draft_size",
                        "一份年度报告的草稿通常不到 1 MB；请检查输入是否为一份报告，或把它分成几份分别提取")])
        write_output(path, data, force)
        return
    write_output(path, _workbook(columns, rows, reports), force)


def _workbook(columns: tuple[str, ...], rows: list[dict[str, str]], reports) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    order = [c for c in HEADERS if c in columns] + [c for c in columns if c not in HEADERS]
    wb = Workbook()
    sheet = wb.active
    sheet.title = FIGURE_SHEET
    sheet.append([HEADERS.get(c, c) for c in order])
    for row in rows:
        sheet.append([KIND_ZH.get(row[c], row[c]) if c == "kind" else row.get(c, "") for c in order])
    verdict = DataValidation(type="list", formula1='"' + ",".join(VERDICTS) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="审核意见", error="留空（结果照录）、采用或不采用")
    sheet.add_data_validation(verdict)
    verdict.add(f"A2:A{max(2, len(rows) + 1)}")
    for i, name in enumerate(order, start=1):
        sheet.cell(1, i).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = WIDTHS.get(HEADERS.get(name, name), 10)
    for cell in sheet[sheet.cell(1, order.index("statement") + 1).column_letter][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    texts = wb.create_sheet(REPORT_SHEET)
    texts.append(list(REPORT_HEADERS))
    for source, report in reports:
        chunks = [report.text[i:i + TEXT_CELL_CHARS] for i in range(0, len(report.text), TEXT_CELL_CHARS)]
        texts.append([source, report.province, report.district, report.body, report.year, report.title,
                      report.published, report.url, *chunks])
    for each in wb.worksheets:  # no text fazhi writes is ever a formula
        for cells in each.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_review(path: Path, columns: tuple[str, ...]) -> Review:
    """The draft rows and reports of a review file (.xlsx written by `write_review`, or a draft CSV)."""
    if path.suffix.lower() == ".csv":
        frame = read_text_table(path, columns)
        return Review([(int(i) + 2, r) for i, r in zip(frame.index, frame.to_dict("records"), strict=True)], {})
    shown = display_path(path)
    if path.suffix.lower() != ".xlsx":
        raise DataError(f"{shown} 不是审核过的草稿（.csv 或 .xlsx）", [
            Problem(shown, None, None, None, "merge_reviewed_draft", "请合并 fazhi extract 生成的 .csv 或 .xlsx")])
    from openpyxl import load_workbook

    from .containers import open_checked

    open_checked(path, shown, "Excel 工作簿", ("xl/workbook.xml",)).close()
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if FIGURE_SHEET not in wb.sheetnames:
            raise DataError(f"{shown} 中没有“{FIGURE_SHEET}”工作表", [
                Problem(shown, None, FIGURE_SHEET, None, "sheet_exists", "请合并 fazhi extract 生成的审核工作簿")])
        return Review(_figure_rows(wb[FIGURE_SHEET], columns, shown),
                      _reports(wb[REPORT_SHEET]) if REPORT_SHEET in wb.sheetnames else {})
    finally:
        wb.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_text(str(value))


def _figure_rows(sheet, columns: tuple[str, ...], shown: str) -> list[tuple[int, dict[str, str]]]:
    by_header = {zh: key for key, zh in HEADERS.items()} | {c: c for c in columns}
    kind_of = {zh: key for key, zh in KIND_ZH.items()}
    rows, header = [], None
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = [_text(v) for v in cells]
        if header is None:
            header = [by_header.get(v, v) for v in values]
            missing = [HEADERS.get(c, c) for c in columns if c not in header and c not in ("verdict", "kind")]
            if missing:
                raise DataError(f"{shown} 的“{FIGURE_SHEET}”表缺少列", [
                    Problem(shown, 1, m, None, "column_missing", "缺少这一列") for m in missing])
            continue
        if not any(values):
            continue
        row = {c: "" for c in columns} | {h: v for h, v in zip(header, values, strict=False) if h in columns}
        row["kind"] = kind_of.get(row.get("kind", ""), row.get("kind", "") or "result")
        rows.append((number, row))
    return rows


def _reports(sheet) -> dict[str, KeptReport]:
    reports = {}
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = ["" if v is None else str(v) for v in cells]
        if number == 1 or not any(values):
            continue
        source, province, district, body, year, title, published, url = (values + [""] * 8)[:8]
        text = "".join(values[8:])  # verbatim: the statements are substrings of it
        reports[source.strip()] = KeptReport(province.strip(), district.strip(), body.strip(),
                                             int(float(year)) if year.strip() else 0, title.strip(),
                                             published.strip(), url.strip(), text)
    return reports
