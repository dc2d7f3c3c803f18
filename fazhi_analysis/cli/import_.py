"""`fazhi import`: merge a filled workbook (or an observations-layout CSV, UTF-8 or GBK) into data/.
New figures are added; an existing value is never replaced without --replace; every change is printed."""

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="填好的 .xlsx（fazhi template 生成），或观测数据格式的 .csv")
    parser.add_argument("--replace", action="store_true", help="允许改写已有数值（缺省不改写，只报告）")
    parser.add_argument("--new-body", action="store_true",
                        help="表中的主体确是新主体（缺省时，与同区县已有主体只差一两个字的名称视为笔误而拒绝）")
    parser.add_argument("--data-dir", help="数据目录（缺省为项目的 data/）")


def run(args: argparse.Namespace) -> int:
    from .. import paths
    from ..data.dataset import load_catalogue
    from ..intake.excel import import_entries

    catalogue = load_catalogue(args.data_dir)
    plan = import_entries(args.file, paths.data_dir(args.data_dir), catalogue, args.replace, args.new_body)
    for entry in plan.added:
        r = entry.record
        print(f"新增 {r['district']}{r['body']} {r['year']}年 {r['label']}: {r['expr']}")
    for c in plan.changed:
        print(f"改动 {c.body} {c.year}年 {c.label}: {c.old} → {c.new}")
    restated = f"，{len(plan.restated)} 行补上了原文表述" if plan.restated else ""
    print(f"共新增 {len(plan.added)} 行，改动 {len(plan.changed)} 行{restated}，{plan.unchanged} 行已存在且相同。")
    return 0
