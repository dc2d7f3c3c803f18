"""`fazhi report`: one body's annual page, from validated parameters to one offline HTML file."""

import argparse
import sys

from .. import paths
from .options import add_page_arguments, add_timeout_arguments, checked_seconds, resolve_page


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_page_arguments(parser)
    add_timeout_arguments(parser)


def run(args: argparse.Namespace) -> int:
    params, body, output_root = resolve_page(args)  # fails fast, before any kernel starts
    cell_timeout_s = checked_seconds(args.cell_timeout, "--cell-timeout")

    from .. import pages
    from ..render.build import DEFAULT_CELL_TIMEOUT_S
    from ..render.kernel import KernelStartError, WarmKernel

    # The kernel boots and imports pandas/matplotlib in its own process while this one checks the data
    # and loads papermill and nbconvert: on two cores the two halves overlap.
    kernel = WarmKernel(cwd=paths.NOTEBOOKS_DIR, warm_code=pages.ANNUAL_WARM_CODE)
    try:
        kernel.start()
        from ..data.receipts import vouch_for
        from ..data.scoped import dataset_for_body
        from ..data.store import in_use

        # bad data: a DataError (exit 2, table of problems), nothing written
        dataset, _ = dataset_for_body(body.short_name, params.data_dir)
        if not in_use(dataset.data_dir):  # a store holds checked bytes only; its kernel needs no receipt
            vouch_for(kernel.receipt_path, dataset.data_dir, dataset.digest)

        from ..render import export
        from ..render.build import build_page
        from ..render.jobs import AnnualJob

        export.prewarm()
        job = AnnualJob(paths.ANNUAL_NOTEBOOK, params, body, output_root)
        result = build_page(job, kernel, cell_timeout_s=cell_timeout_s or DEFAULT_CELL_TIMEOUT_S)
    except KernelStartError as exc:
        print(f"fazhi report: 报告生成失败 — {exc}", file=sys.stderr)
        return 1
    finally:
        kernel.shutdown()
    if not result.ok:
        print(f"fazhi report: 报告生成失败 — {result.error}\n  出错的笔记本已保存: {result.job.failed_notebook_path}\n"
              f"  原有的 HTML（如有）未被覆盖。", file=sys.stderr)
        return 1
    print(f"{result.job.html_path}  ({result.seconds:.1f} s)")
    return 0
