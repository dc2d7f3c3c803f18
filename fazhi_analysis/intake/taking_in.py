"""From documents to data/: a folder of a district's reports into one review workbook, and a reviewed
draft (CSV or workbook) into data/ with each report registered.

Registering a report means keeping its normalised text as data/raw/<省市区县主体>_<年>.txt (the page
quotes its parts 三/四/五 from there, and every statement is a substring of it), adding a sources.csv
row with its title as written and its date or address when the document gives them, and pointing its
observations' `source` at the kept copy. A kept text is never overwritten: a body-year already kept
with other text keeps its rows' document source instead. All of it is one atomic commit with the
observations, under the data directory's lock (`data.merge`).
"""

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ..data.csv_input import normalise_name
from ..data.dataset import Catalogue
from ..data.merge import MergePlan, known_names, merge_into
from ..data.sources import KeptReport
from ..errors import DataError, FazhiError, Problem, display_path
from .extract import DRAFT_COLUMNS, Reporter, draft_incoming, extract, infer_place
from .identify import body_and_year, title_of
from .reading import REPORT_SUFFIXES, Document, read_document
from .review import read_review


@dataclass
class FolderDraft:
    rows: list[dict[str, str]]
    reports: list[tuple[str, KeptReport]]  # (source the rows carry, the report)
    failures: list[FazhiError]


def report_files(folder: Path) -> list[Path]:
    """The reports in a folder (not its subfolders), by name; hidden and temporary Office files skipped."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def kept_report(document: Document, reporter: Reporter) -> KeptReport:
    return KeptReport(reporter.province, reporter.district, reporter.body, reporter.year,
                      title_of(document.text, document.title), document.published, document.url, document.text)


def extract_folder(folder: Path, district: str, province: str, catalogue: Catalogue,
                   known_provinces: dict[str, str], progress=None) -> FolderDraft:
    """Every report of `folder`: body and year from its title, figures extracted. A file that cannot be
    read or identified is a failure listed for the user; the others are drafted."""
    draft = FolderDraft([], [], [])
    seen: dict[tuple[str, int], str] = {}
    for file in report_files(folder):
        shown = display_path(file)
        try:
            document = read_document(str(file))
            body, year = body_and_year(title_of(document.text, document.title), district, shown)
            if (body, year) in seen:
                raise DataError(f"{shown} 与 {seen[body, year]} 都是{body}{year}年的报告", [
                    Problem(shown, None, "标题", body, "one_report_per_body_year",
                            "同一主体同一年度只提取一份；请移走其中一份")])
            seen[body, year] = shown
            place = infer_place(document.text, body)
            reporter = Reporter(province or place[0] or known_provinces.get(district, ""), district, body, year)
            if not reporter.province:
                raise DataError(f"{shown}: 无法识别省市", [Problem(shown, None, "标题", body, "province_known",
                                                               "请用 --province 给出省市，如 --province 重庆市")])
            draft.rows += extract(document.text, catalogue, reporter, shown)
            draft.reports.append((shown, kept_report(document, reporter)))
        except FazhiError as exc:
            draft.failures.append(exc)
        if progress is not None:
            progress.update(1)
    return draft


def merge_reviewed(path: Path, data_dir: Path, catalogue: Catalogue, replace_values: bool, new_body: bool
                   ) -> tuple[MergePlan, list[tuple[int, str]], list[str]]:
    """Merge a reviewed draft (.csv or .xlsx) and register its reports: (plan, skipped rows with the reason,
    sources registered). A CSV draft's reports are read again from the files its rows name."""
    shown = display_path(path)
    review = read_review(path, DRAFT_COLUMNS)
    incoming, skipped = draft_incoming(review.rows, catalogue, f"草稿 {shown}", known_names(data_dir))
    reports = dict(review.reports)
    for source in {entry.record["source"] for entry in incoming} - set(reports):
        document = _document_again(source, path)
        if document is not None:
            reports[source] = kept_report(document, Reporter("", "", "", 0))
    kept, problems, registered = {}, [], []
    for entry in incoming:
        report = reports.get(entry.record["source"])
        if report is None:
            continue
        record = entry.record
        report = replace(report, province=normalise_name(record["province"]),
                         district=normalise_name(record["district"]), body=normalise_name(record["body"]),
                         year=int(float(record["year"])))
        if record["statement"] and record["statement"] not in report.text:
            problems.append(Problem(shown, entry.row, "statement", record["statement"][:60], "statement_in_report",
                                    f"原文表述不在报告 {record['source']} 的文字中；报告在提取后改动过？请重新提取"))
            continue
        if _keeps_other_text(data_dir, report):
            continue  # the body-year is kept from another document: its rows keep their own source
        kept[report.raw_name] = report
        record["source"] = report.source
    if problems:
        raise DataError(f"草稿 {shown} 有 {len(problems)} 个问题，未合并", problems)
    plan = merge_into(data_dir, incoming, catalogue, f"草稿 {shown}", replace_values, verb_zh="合并",
                      new_body=new_body, reports=list(kept.values()))
    registered = [r.source for r in kept.values()]
    return plan, skipped, registered


def _keeps_other_text(data_dir: Path, report: KeptReport) -> bool:
    raw = data_dir / "raw" / report.raw_name
    text = report.text if report.text.endswith("\n") else report.text + "\n"
    return raw.is_file() and raw.read_text(encoding="utf-8") != text


def _document_again(source: str, draft: Path) -> Document | None:
    """The document a CSV draft's rows came from, read as extraction read it: the path as written (from
    the current folder), else beside the draft; None for stdin or a file no longer there."""
    if source in ("", "stdin") or source.startswith("data/raw/"):
        return None
    for candidate in (Path(source), draft.parent / Path(source).name):
        if candidate.is_file():
            return read_document(str(candidate))
    print(f"注意：找不到报告原文 {source}，未保存原文副本；请在提取时的目录合并，"
          "或用 -o 草稿.xlsx 提取（工作簿自带原文）", file=sys.stderr)
    return None


def province_by_district(data_dir: Path) -> dict[str, str]:
    """The province each district already in data/ belongs to."""
    from .. import paths
    from ..data.csv_input import read_rows
    from ..data.layout import OBSERVATION_COLUMNS

    header, rows = read_rows(data_dir / paths.OBSERVATIONS_FILE, OBSERVATION_COLUMNS)
    p, d = header.index("province"), header.index("district")
    return {row[d]: row[p] for row in rows if row[d] and row[p]}

