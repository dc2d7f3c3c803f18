"""`fazhi template`: the Excel workbook an office fills in for a new year (indicators by report part,
last year's figures beside each, cells that accept only numbers, rates 0–100)."""

import argparse
from pathlib import Path

from ..errors import ParameterError, Problem, display_path
from ..outputs import contained, safe_slug
from .options import check_output_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="要填报的年度，如 2024")
    parser.add_argument("--unit", required=True, help="主体名称，重名时加区县，如 南岸区峡口镇")
    parser.add_argument("--province", help="新主体（data/ 中还没有）的省市，须与 --district 一起给出")
    parser.add_argument("--district", help="新主体的区县")
    parser.add_argument("-o", "--output", type=Path, help="输出 .xlsx（缺省: 主体-年度-法治数据填报.xlsx）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件（缺省不覆盖，以免丢失已填内容）")
    parser.add_argument("--data-dir", help="数据目录（缺省为项目的 data/）")


def run(args: argparse.Namespace) -> int:
    from ..data.csv_input import normalise_name
    from ..data.dataset import Body, load_dataset
    from ..data.layout import MAX_YEAR, MIN_YEAR
    from ..data.names import MAX_TYPED_BODY_CHARS, name_problem
    from ..intake.template import write_template

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise ParameterError(f"年度应在 {MIN_YEAR}–{MAX_YEAR} 之间，而不是 {args.year}")
    names = {option: normalise_name(getattr(args, option) or "") for option in ("unit", "district", "province")}
    known = {"unit": set(), "district": set(), "province": set()}
    dataset = load_dataset(args.data_dir)
    for body in dataset.bodies:
        known["unit"].add(body.name)
        known["district"].add(body.district)
        known["province"].add(body.province)
    creating = bool(args.province and args.district)  # else --unit names a body of the data, as --unit does
    for option, name in names.items():
        verdict = name_problem(name, known[option]) if name else None
        if verdict and verdict[0] == "name_length" and option == "unit" and not creating \
                and len(name) <= MAX_TYPED_BODY_CHARS:
            verdict = None  # district + name of a body in the data: found below, or refused there
        if verdict:
            raise ParameterError(f"--{option} {name!r}: {verdict[1]}", [
                Problem("(命令行)", None, f"--{option}", name, *verdict)])
    if creating:
        body = Body(names["province"], names["district"], names["unit"])
    else:
        body = dataset.find_body(names["unit"])
    # the default name is built from the body's name made safe: '../esc' never leaves the current folder
    output = args.output or contained(Path.cwd(), f"{safe_slug(body.name)}-{args.year}-法治数据填报.xlsx")
    if output.suffix.lower() != ".xlsx":
        raise ParameterError(f"输出文件应以 .xlsx 结尾: {output}")
    check_output_file(output, args.force)
    listed = write_template(dataset, body, args.year, output, args.force)
    print(f"{display_path(output)}  ({body.short_name} {args.year}年，{listed} 项指标)")
    return 0
