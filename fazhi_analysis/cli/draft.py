"""`fazhi draft`: the year's 法治政府建设年度报告 as a Word draft in 公文 layout, beside the HTML page;
`--check` lists the expected items the year's data gives no figure for (exit 1 when there are any)."""

import argparse
import sys
from pathlib import Path

from .. import paths
from ..render.params import DEFAULT_BODY, DEFAULT_YEAR, parse_parameters, resolve_run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help=f"报告年度 (default {DEFAULT_YEAR})")
    parser.add_argument("--unit", default=DEFAULT_BODY,
                        help=f"主体名称，重名时加区县，如 南岸区峡口镇 (default {DEFAULT_BODY})")
    parser.add_argument("--data-dir", default=None, help="数据目录 (default: the project's data/)")
    parser.add_argument("--output-root", type=Path, default=paths.OUTPUTS_DIR, help="输出目录 (default: outputs/)")
    parser.add_argument("--check", action="store_true", help="只列出本年度数据缺少数字的应报事项，不写草稿")


def run(args: argparse.Namespace) -> int:
    params = parse_parameters(year=args.year, body=args.unit,
                              data_dir=str(Path(args.data_dir).resolve()) if args.data_dir else None)
    body = resolve_run(params)
    from ..analysis.year_statistics import compute_year_statistics
    from ..data.dataset import load_dataset
    from ..pages.annual import AnnualPage

    dataset = load_dataset(params.data_dir)
    page = AnnualPage(dataset, compute_year_statistics(dataset, body, params.year))
    missing = page.missing_items()
    if args.check:
        if not missing:
            print(f"{body.short_name}{params.year}年：应报事项均有数字。")
            return 0
        print(f"{body.short_name}{params.year}年数据中没有下列事项的数字，报送前宜补充统计：")
        for name in missing:
            print(f"  - {name}")
        return 1
    path = write_draft(page, params, body, args.output_root)
    print(path)
    if missing:
        print(f"注意：草稿中“{'、'.join(missing)}”等方面留有【待补充】，见 fazhi draft --check。", file=sys.stderr)
    return 0


def write_draft(page, params, body, output_root: Path) -> Path:
    """Build and write one draft atomically; returns its path (beside the page's HTML)."""
    from ..draft.content import build_draft
    from ..draft.gongwen_docx import write_docx
    from ..render.jobs import AnnualJob

    job = AnnualJob(paths.ANNUAL_NOTEBOOK, params, body, output_root.resolve())
    write_docx(build_draft(page.dataset, page.stats), job.draft_path)
    return job.draft_path
