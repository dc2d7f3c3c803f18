"""`fazhi extract`: a report's text → a draft observations CSV for review; `--merge` adds a reviewed
draft to data/ and refuses to change a stored figure unless `--replace` is given."""

import argparse
import sys
from pathlib import Path

from .. import paths
from ..data.csv_input import normalise_name, parse_year
from ..data.layout import MAX_YEAR, MIN_YEAR
from ..data.names import name_problem
from ..errors import DataError, ParameterError, Problem, display_path
from .options import check_output_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="报告 .txt / .docx，或 - 读标准输入；--merge 时为审核过的草稿 CSV")
    parser.add_argument("--unit", help="报告主体名称，如 峡口镇")
    parser.add_argument("--year", help="报告年度，如 2023")
    parser.add_argument("--district", help="区县，如 南岸区（缺省时从报告标题识别）")
    parser.add_argument("--province", help="省市，如 重庆市（缺省时从报告标题识别）")
    parser.add_argument("-o", "--output", type=Path, help="草稿 CSV 写到这里（缺省输出到屏幕）；已存在时不覆盖")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的 -o 文件（它可能是审核过的草稿）")
    parser.add_argument("--encoding", help="文本报告或标准输入的编码，如 gbk（缺省自动识别 UTF-8 / GBK）")
    parser.add_argument("--merge", action="store_true", help="把审核过的草稿并入 data/observations.csv")
    parser.add_argument("--replace", action="store_true", help="与 --merge 一起：允许改动已有数值")
    parser.add_argument("--data-dir", help="数据目录（缺省为项目的 data/）")


def run(args: argparse.Namespace) -> int:
    return _merge(args) if args.merge else _extract(args)


def _extract(args: argparse.Namespace) -> int:
    from ..atomic import write_output
    from ..data.csv_input import MAX_TABLE_BYTES
    from ..data.dataset import load_catalogue
    from ..data.merge import csv_text
    from ..intake.extract import DRAFT_COLUMNS, Reporter, check_encoding, extract, infer_place, read_report

    if args.replace:
        raise ParameterError("--replace 只能与 --merge 一起使用")
    if args.force and not args.output:
        raise ParameterError("--force 只能与 -o 一起使用")
    missing = [name for name in ("unit", "year") if not getattr(args, name)]
    if missing:
        needed = " 和 ".join(f"--{m}" for m in missing)
        raise ParameterError(f"提取时须给出 {needed}，如 --unit 峡口镇 --year 2023")
    year = parse_year(args.year)
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ParameterError(f"--year {args.year!r} 不是 {MIN_YEAR}–{MAX_YEAR} 之间的年份", [
            Problem("(命令行)", None, "--year", args.year, "year_in_range", "年份应为四位数字，如 2023")])
    names = {option: normalise_name(getattr(args, option) or "") for option in ("unit", "district", "province")}
    for option, name in names.items():
        verdict = name_problem(name) if name else None
        if verdict:
            raise ParameterError(f"--{option} {name!r}: {verdict[1]}", [
                Problem("(命令行)", None, f"--{option}", name, *verdict)])
    if args.output:
        check_output_file(args.output, args.force)
    check_encoding(args.encoding)
    catalogue = load_catalogue(args.data_dir)
    text, source = read_report(args.file, args.encoding)
    province, district = infer_place(text, names["unit"])
    reporter = Reporter(names["province"] or province, names["district"] or district, names["unit"], year)
    rows = extract(text, catalogue, reporter, source)
    draft = csv_text(DRAFT_COLUMNS, rows).encode("utf-8")
    if len(draft) > MAX_TABLE_BYTES:  # --merge could not read it back: say so now, write nothing
        limit_mb = MAX_TABLE_BYTES // 2**20
        raise DataError(f"{source} 提取出 {len(rows)} 个数字，草稿将有 {len(draft) / 2**20:.0f} MB，"
                        f"超过 --merge 能读入的 {limit_mb} MB，未写入", [
                            Problem(source, None, None, f"{len(draft)} bytes", "draft_size",
                                    "一份年度报告的草稿通常不到 1 MB；请检查输入是否为一份报告，"
                                    "或把它分成几份分别提取")])
    if args.output:
        write_output(args.output, draft, args.force)
    else:
        stream = getattr(sys.stdout, "buffer", None)
        stream.write(draft) if stream is not None else sys.stdout.write(draft.decode("utf-8"))
    unlinked = sum(not r["indicator"] for r in rows)
    flagged = sum(bool(r["flags"]) for r in rows)
    where = f"，已写入 {args.output}" if args.output else ""
    print(f"提取 {len(rows)} 个数字：{len(rows) - unlinked} 个关联到目录指标，{unlinked} 个作为本主体自有事项，"
          f"{flagged} 个带标记{where}。请审核后用 --merge 并入。", file=sys.stderr)
    if not (reporter.province and reporter.district):
        print("注意：未识别出省市或区县，请用 --province / --district 给出，或在草稿中填写。",
              file=sys.stderr)
    return 0


def _merge(args: argparse.Namespace) -> int:
    from ..data.dataset import load_catalogue
    from ..data.merge import known_names, merge_into
    from ..intake.extract import draft_incoming

    draft = Path(args.file)
    if draft.suffix.lower() != ".csv":
        raise ParameterError(f"--merge 需要审核过的草稿 CSV，而不是 {args.file}", [
            Problem(args.file, None, None, None, "merge_reviewed_draft",
                    "先用 fazhi extract 报告 --unit … --year … -o 草稿.csv 生成草稿，"
                    "审核后再 --merge 草稿.csv")])
    catalogue = load_catalogue(args.data_dir)
    incoming, skipped = draft_incoming(draft, catalogue, known_names(paths.data_dir(args.data_dir)))
    for row, reason in skipped:
        print(f"跳过草稿第{row}行: {reason}", file=sys.stderr)
    plan = merge_into(paths.data_dir(args.data_dir), incoming, catalogue, f"草稿 {display_path(draft)}",
                      args.replace, verb_zh="合并")
    for c in plan.changed:
        print(f"改动 {c.label}: {c.old} → {c.new}", file=sys.stderr)
    print(f"新增 {len(plan.added)} 行，改动 {len(plan.changed)} 行，{plan.unchanged} 行已存在且相同，"
          f"跳过 {len(skipped)} 行。", file=sys.stderr)
    return 0
