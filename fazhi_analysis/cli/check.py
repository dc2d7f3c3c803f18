"""`fazhi check`: does a report's text agree with itself? Each stated rate and total is checked
against the report's own counts: 一致, 不一致 (with both numbers) or 无法核对 (a denominator not given is
never recomputed). Exit 1 when something is inconsistent, so a draft can be checked before it is sent."""

import argparse

STATUS_SHOWN = {"consistent": "一致 consistent", "inconsistent": "不一致 inconsistent",
                "unverifiable": "无法核对 unverifiable"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="报告 .txt / .docx，或 - 读标准输入")
    parser.add_argument("--data-dir", help="数据目录（缺省为项目的 data/），用其中的指标目录")
    parser.add_argument("--encoding", help="文本报告或标准输入的编码，如 gbk（缺省自动识别 UTF-8 / GBK）")


def run(args: argparse.Namespace) -> int:
    from ..analysis.claims import check_claims
    from ..data.dataset import load_catalogue
    from ..intake.extract import Reporter, extract, stated_figures
    from ..intake.reading import read_report

    catalogue = load_catalogue(args.data_dir)
    text, source = read_report(args.file, args.encoding)
    rows = extract(text, catalogue, Reporter("", "", "", 0), source)
    checks = check_claims(catalogue, stated_figures(rows))
    for check in checks:
        name = catalogue[check.indicator].name_zh
        print(f"{STATUS_SHOWN[check.status]}  {name} ({check.indicator}) 所述 {check.stated.expr}: "
              f"{check.explanation_zh}")
    counts = {s: sum(c.status == s for c in checks) for s in STATUS_SHOWN}
    print(f"共核对 {len(checks)} 项：一致 {counts['consistent']}，不一致 {counts['inconsistent']}，"
          f"无法核对 {counts['unverifiable']}。")
    return 1 if counts["inconsistent"] else 0
