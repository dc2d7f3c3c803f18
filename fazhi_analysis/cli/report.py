"""`fazhi report`: one body's annual page, from validated parameters to one offline HTML file."""

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


def run(args: argparse.Namespace) -> int:
    params = parse_parameters(year=args.year, body=args.unit,
                              data_dir=str(Path(args.data_dir).resolve()) if args.data_dir else None)
    body = resolve_run(params)  # fails fast, before any kernel starts
    from ..render.locations import check_output_root

    output_root = check_output_root(args.output_root, paths.data_dir(params.data_dir))

    from .. import pages
    from ..render.kernel import WarmKernel

    # The kernel boots and imports pandas/matplotlib in its own process while this one checks the data
    # and loads papermill and nbconvert: on two cores the two halves overlap.
    kernel = WarmKernel(cwd=paths.NOTEBOOKS_DIR, warm_code=pages.KERNEL_WARM_CODE).start()
    try:
        from ..data.dataset import load_dataset, vouch_for

        dataset = load_dataset(params.data_dir)  # bad data: a DataError (exit 2, table of problems), nothing written
        vouch_for(kernel.receipt_path, dataset)

        from ..render import export
        from ..render.build import build_page
        from ..render.jobs import AnnualJob

        export.prewarm()
        job = AnnualJob(paths.ANNUAL_NOTEBOOK, params, body, output_root)
        result = build_page(job, kernel)
    finally:
        kernel.shutdown()
    if not result.ok:
        print(f"fazhi report: 报告生成失败 — {result.error}\n  出错的笔记本已保存: {result.job.failed_notebook_path}\n"
              f"  原有的 HTML（如有）未被覆盖。", file=sys.stderr)
        return 1
    print(f"{result.job.html_path}  ({result.seconds:.1f} s)")
    return 0
