"""`fazhi draft`: the year's 法治政府建设年度报告 as a Word draft in 公文 layout, beside the HTML page;
`--check` lists the expected items the year's data gives no figure for (exit 1 when there are any)."""

import argparse
import sys
from pathlib import Path

from .. import paths
from .options import add_page_arguments, resolve_page


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_page_arguments(parser)
    parser.add_argument("--check", action="store_true", help="只列出本年度数据缺少数字的应报事项，不写草稿")


def run(args: argparse.Namespace) -> int:
    params, body, output_root = resolve_page(args)
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
    path = write_draft(page, params, body, output_root)
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
    write_docx(build_draft(page.dataset, page.report), job.draft_path)
    return job.draft_path
