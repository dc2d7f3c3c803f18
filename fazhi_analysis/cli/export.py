"""`fazhi export --year Y --district D -o 汇总.xlsx`: a district's (or any group's) overview tables and all
its figures in one Excel workbook, as text and numbers with no formulas (pages/overview_workbook.py).
An existing file is kept unless --force: it may be the district's summary, already edited."""

import argparse
from pathlib import Path

from ..errors import ParameterError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--district", required=True,
                        help="区县（如 铜梁区），也可以是省（市）、all，或用逗号分隔的镇街")
    parser.add_argument("-o", "--output", type=Path, required=True, help="输出 .xlsx，如 汇总.xlsx")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件（缺省不覆盖）")
    parser.add_argument("--data-dir", default=None, help="数据目录 (default: the project's data/)")


def run(args: argparse.Namespace) -> int:
    output = args.output
    if output.suffix.lower() != ".xlsx":
        raise ParameterError(f"输出文件应以 .xlsx 结尾: {output}")
    if output.exists() and not args.force:
        raise ParameterError(f"{output} 已存在，未覆盖（可能已在其中写了汇总）；换一个文件名，或确认后加 --force")
    if output.exists() and not output.is_file():
        raise ParameterError(f"{output} 不是文件")

    from ..pages.overview import OverviewPage
    from ..pages.overview_workbook import write_workbook

    page = OverviewPage.load(args.year, args.district, args.data_dir)
    write_workbook(page, output)
    print(f"{output}  ({page.title}：{len(page.tables())} 个表，{len(page.figures())} 个数字)")
    return 0
