"""`fazhi extract`: a report (.txt .docx .pdf .html .doc .wps), or a folder of a district's reports, → a
draft for review (CSV with a BOM, or a workbook with -o x.xlsx; always a workbook for a folder);
`--merge` adds a reviewed draft to data/, registers each report (sources.csv row, text kept in
data/raw/) and refuses to change a stored figure unless `--replace` is given."""

import argparse
import sys
from pathlib import Path

from .. import paths
from ..data.csv_input import normalise_name, parse_year
from ..data.layout import MAX_YEAR, MIN_YEAR
from ..data.names import name_problem
from ..data.rules import rule_zh
from ..errors import ParameterError, Problem, display_path
from ..intake.reading import check_encoding
from .options import check_output_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="报告（.txt .docx .pdf .html .doc .wps）、一个区县的报告文件夹，或 - 读标准输入；"
                                     "--merge 时为审核过的草稿 .csv / .xlsx")
    parser.add_argument("--unit", help="报告主体名称，如 峡口镇（文件夹时从各报告标题识别）")
    parser.add_argument("--year", help="报告年度，如 2023（文件夹时从各报告标题识别）")
    parser.add_argument("--district", help="区县，如 南岸区（提取文件夹时必填；缺省时从报告标题识别）")
    parser.add_argument("--province", help="省市，如 重庆市（缺省时从报告标题或已有数据识别）")
    parser.add_argument("-o", "--output", type=Path,
                        help="草稿写到这里：.csv（带 BOM）或 .xlsx 工作簿；已存在时不覆盖")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的 -o 文件（它可能是审核过的草稿）")
    parser.add_argument("--encoding", help="文本报告或标准输入的编码，如 gbk（缺省自动识别 UTF-8 / GBK）")
    parser.add_argument("--merge", action="store_true", help="把审核过的草稿并入 data/，并登记报告来源和原文")
    parser.add_argument("--replace", action="store_true", help="与 --merge 一起：允许改动已有数值")
    parser.add_argument("--new-body", action="store_true",
                        help="与 --merge 一起：草稿中的主体确是新主体"
                             "（缺省时与同区县已有主体只差一两个字的名称视为笔误）")
    parser.add_argument("--data-dir", help="数据目录（缺省为项目的 data/）")


def run(args: argparse.Namespace) -> int:
    if (args.replace or args.new_body) and not args.merge:
        raise ParameterError("--replace 和 --new-body 只能与 --merge 一起使用")
    if args.force and not args.output:
        raise ParameterError("--force 只能与 -o 一起使用")
    if args.merge:
        return _merge(args)
    names = _names(args)
    if args.output:
        check_output_file(args.output, args.force)
    check_encoding(args.encoding)
    return _extract_folder(args, names) if Path(args.file).is_dir() else _extract_file(args, names)


def _names(args: argparse.Namespace) -> dict[str, str]:
    names = {option: normalise_name(getattr(args, option) or "") for option in ("unit", "district", "province")}
    for option, name in names.items():
        verdict = name_problem(name) if name else None
        if verdict:
            raise ParameterError(f"--{option} {name!r}: {verdict[1]}", [
                Problem("(命令行)", None, f"--{option}", name, *verdict)])
    return names


def _extract_file(args: argparse.Namespace, names: dict[str, str]) -> int:
    from ..data.dataset import load_catalogue
    from ..intake.extract import DRAFT_COLUMNS, Reporter, extract, infer_place
    from ..intake.reading import read_document
    from ..intake.review import write_review
    from ..intake.taking_in import kept_report

    missing = [name for name in ("unit", "year") if not getattr(args, name)]
    if missing:
        needed = " 和 ".join(f"--{m}" for m in missing)
        raise ParameterError(f"提取时须给出 {needed}，如 --unit 峡口镇 --year 2023（或给出一个文件夹 --district 区县）")
    year = parse_year(args.year)
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        rule = "year_is_number" if year is None else "year_in_range"
        raise ParameterError(f"--year {args.year!r} 不是 {MIN_YEAR}–{MAX_YEAR} 之间的年份", [
            Problem("(命令行)", None, "--year", args.year, rule, rule_zh(rule))])
    catalogue = load_catalogue(args.data_dir)
    document = read_document(args.file, args.encoding)
    province, district = infer_place(document.text, names["unit"])
    reporter = Reporter(names["province"] or province, names["district"] or district, names["unit"], year)
    rows = extract(document.text, catalogue, reporter, document.source)
    if args.output:
        write_review(args.output, DRAFT_COLUMNS, rows, [(document.source, kept_report(document, reporter))],
                     force=args.force)
    else:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=DRAFT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    _summary(rows, args.output)
    if not (reporter.province and reporter.district):
        print("注意：未识别出省市或区县，请用 --province / --district 给出，或在草稿中填写。", file=sys.stderr)
    return 0


def _extract_folder(args: argparse.Namespace, names: dict[str, str]) -> int:
    from ..data.dataset import load_catalogue
    from ..intake.extract import DRAFT_COLUMNS
    from ..intake.review import write_review
    from ..intake.taking_in import extract_folder, province_by_district, report_files

    if not names["district"]:
        raise ParameterError("提取文件夹时须给出 --district，如 fazhi extract 报告/ --district 南岸区")
    if args.unit or args.year:
        raise ParameterError("提取文件夹时主体和年度从各报告标题识别，不能给 --unit / --year")
    output = args.output or Path(f"{names['district']}-提取审核.xlsx")
    if output.suffix.lower() != ".xlsx":
        raise ParameterError(f"文件夹的草稿是一个工作簿：-o 应以 .xlsx 结尾，而不是 {output}")
    check_output_file(output, args.force)
    folder = Path(args.file)
    files = report_files(folder)
    if not files:
        raise ParameterError(f"{display_path(folder)} 中没有报告文件（.txt .docx .pdf .html .htm .doc .wps）")
    from tqdm import tqdm

    catalogue = load_catalogue(args.data_dir)
    with tqdm(total=len(files), unit="份", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        draft = extract_folder(folder, names["district"], names["province"], catalogue,
                               province_by_district(paths.data_dir(args.data_dir)), bar)
    if draft.reports:
        write_review(output, DRAFT_COLUMNS, draft.rows, draft.reports, force=args.force)
    for failure in draft.failures:
        print(f"未提取: {failure}", file=sys.stderr)
    print(f"{len(files)} 份报告：{len(draft.reports)} 份已提取，{len(draft.failures)} 份未提取。", file=sys.stderr)
    _summary(draft.rows, output if draft.reports else None)
    return 1 if draft.failures else 0


def _summary(rows: list[dict[str, str]], output: Path | None) -> None:
    results = [r for r in rows if r["kind"] == "result"]
    unlinked = sum(not r["indicator"] for r in results)
    kinds = {k: sum(r["kind"] == k for r in rows) for k in ("target", "change", "other")}
    where = f"，已写入 {output}" if output else ""
    print(f"提取 {len(rows)} 个数字：结果 {len(results)} 个（{len(results) - unlinked} 个关联到目录指标，{unlinked} 个"
          f"作为本主体自有事项），目标 {kinds['target']} 个，变化 {kinds['change']} 个，工作要求等 {kinds['other']} 个"
          f"{where}。请审核后用 --merge 并入（只并入结果）。", file=sys.stderr)


def _merge(args: argparse.Namespace) -> int:
    from ..data.dataset import load_catalogue
    from ..intake.taking_in import merge_reviewed

    draft = Path(args.file)
    if draft.suffix.lower() not in (".csv", ".xlsx"):
        raise ParameterError(f"--merge 需要审核过的草稿 .csv 或 .xlsx，而不是 {args.file}", [
            Problem(args.file, None, None, None, "merge_reviewed_draft",
                    "先用 fazhi extract 报告 --unit … --year … -o 草稿.xlsx（或 文件夹 --district …）生成草稿，"
                    "审核后再 --merge 草稿")])
    catalogue = load_catalogue(args.data_dir)
    plan, skipped, registered = merge_reviewed(draft, paths.data_dir(args.data_dir), catalogue, args.replace,
                                               args.new_body)
    for row, reason in skipped:
        print(f"跳过草稿第{row}行: {reason}", file=sys.stderr)
    for c in plan.changed:
        print(f"改动 {c.label}: {c.old} → {c.new}", file=sys.stderr)
    for source in registered:
        print(f"登记报告 {source}", file=sys.stderr)
    print(f"新增 {len(plan.added)} 行，改动 {len(plan.changed)} 行，{plan.unchanged} 行已存在且相同，"
          f"跳过 {len(skipped)} 行，登记 {len(registered)} 份报告。", file=sys.stderr)
    return 0
