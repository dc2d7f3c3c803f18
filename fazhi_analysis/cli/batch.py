"""`fazhi batch`: regenerate every body × year in the data (or a selection), in parallel, skipping
reports whose inputs are unchanged, then write outputs/index.html.

With --scheduler the reports are built on a Dask cluster (batch/cluster.py), everything else as here.
Exit 0 when every selected report is built or up to date, 1 when any failed (the others are still
built), 2 for bad input (reported before any report starts).
"""

import argparse
import os
import sys
from pathlib import Path

from .. import paths
from .options import add_timeout_arguments, checked_seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", action="append", default=[],
                        help="只生成这些主体（可重复，或用逗号分隔），如 峡口镇 或 南岸区峡口镇")
    parser.add_argument("--year", action="append", default=[], help="只生成这些年度：2023、2022-2024、2022,2023")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="清单 CSV（列 unit,year，每行一份报告），运行前整体校验")
    parser.add_argument("--force", action="store_true", help="输入未变也重新生成")
    parser.add_argument("--workers", type=int, default=None, help="并行进程数 (default: CPU 核数)")
    parser.add_argument("--scheduler", default=os.environ.get("FAZHI_SCHEDULER") or None, metavar="tcp://HOST:PORT",
                        help="在 Dask 集群上生成：dask scheduler 的地址 (default: 环境变量 FAZHI_SCHEDULER；"
                             "都没有则在本机并行)")
    parser.add_argument("--notebook", type=Path, default=paths.ANNUAL_NOTEBOOK,
                        help="年度报告笔记本 (default: notebooks/annual_report.ipynb)；试用修改过的笔记本时用")
    parser.add_argument("--no-overview", action="store_true", help="不生成多主体汇总笔记本")
    parser.add_argument("--draft", action="store_true", help="同时为每个主体×年度写年度报告 Word 草稿（.docx）")
    parser.add_argument("--data-dir", default=None, help="数据目录 (default: the project's data/)")
    parser.add_argument("--output-root", type=Path, default=paths.OUTPUTS_DIR, help="输出目录 (default: outputs/)")
    add_timeout_arguments(parser, stall=True)


def run(args: argparse.Namespace) -> int:
    from ..errors import ParameterError
    from ..render.locations import check_output_root

    data_dir = paths.data_dir(args.data_dir)
    output_root = check_output_root(args.output_root, data_dir)
    if args.manifest and (args.unit or args.year):
        raise ParameterError("--manifest 不能与 --unit / --year 同时使用")
    if args.workers is not None and args.workers < 1:
        raise ParameterError("--workers 至少为 1")
    if args.scheduler and args.workers is not None:
        raise ParameterError("--workers 不能与 --scheduler 同时使用：集群的并行数由 dask worker 决定")
    checked_seconds(args.cell_timeout, "--cell-timeout")
    checked_seconds(args.stall_timeout, "--stall-timeout")
    if not args.scheduler:
        return _plan_and_build(args, data_dir, output_root, None)
    try:
        from ..batch.cluster import close, connect
    except ModuleNotFoundError as exc:
        if exc.name != "distributed":
            raise
        raise ParameterError("--scheduler 需要 Dask 的 distributed：pip install 'fazhi[cluster]'"
                             "（make install 已包含）") from None

    client = connect(args.scheduler)  # an unreachable scheduler stops here, before anything is planned
    try:
        return _plan_and_build(args, data_dir, output_root, client)
    finally:
        close(client)


def _plan_and_build(args: argparse.Namespace, data_dir: Path, output_root: Path, client) -> int:
    from ..batch.index_page import write_index
    from ..batch.plan import Selection, parse_years, plan_batch, read_manifest, split_units, split_up_to_date
    from ..errors import OutputError
    from ..locks import tidy_output_root
    from ..render.locations import check_notebook
    from ..render.params import available_runs

    if args.manifest:
        selection = Selection(pairs=read_manifest(args.manifest, available_runs(data_dir)),
                              overview=not args.no_overview)
    else:
        selection = Selection(split_units(args.unit), parse_years(args.year), overview=not args.no_overview)
    notebook = check_notebook(args.notebook)
    everything, selected = plan_batch(data_dir, output_root, selection, notebook=notebook)
    to_build, results = split_up_to_date(selected, args.force)
    tidy_output_root(output_root)  # what killed runs left, also beside reports this run will skip

    if to_build:
        results += _build(to_build, args, data_dir, len(results), client)
    unusable = next((r for r in results if r.place_unusable), None)
    try:
        index = write_index(everything, results, output_root)
    except OutputError:
        if unusable is None:
            raise
        index = None  # the same fault as the reports': reported below
    _print_summary(results, index)
    stalled = [r for r in results if r.stalled]
    if stalled:
        print(f"fazhi batch: {stalled[0].error.split('，')[0]}；其余 {len(stalled)} 份报告判为失败，批处理已结束。",
              file=sys.stderr)
    if unusable is not None:
        not_run = len(to_build) - sum(r.status != "skipped" for r in results)
        raise OutputError(f"批处理已停止，{not_run} 份未运行；已有的报告未被改动。{unusable.error}")
    if args.draft:
        drafts = _write_drafts([item.job for item in selected if hasattr(item.job, "draft_path")], data_dir)
        print(f"年度报告草稿 {drafts} 份（.docx，与各报告 HTML 同一文件夹；只为本年或上年报告原文已存档的主体起草）。")
    return 1 if any(r.status == "failed" for r in results) else 0


def _build(items, args: argparse.Namespace, data_dir: Path, n_skipped: int, client=None):
    """In a local process pool, or on the cluster `client` is connected to; the same bar either way."""
    from tqdm import tqdm

    from ..batch.pool import DEFAULT_STALL_TIMEOUT_S, default_workers
    from ..data.scoped import check_ready

    limits = {"cell_timeout_s": args.cell_timeout, "stall_timeout_s": args.stall_timeout or DEFAULT_STALL_TIMEOUT_S}

    counts = {"built": 0, "failed": 0}
    bar = tqdm(total=len(items), unit="份", disable=not sys.stderr.isatty(), dynamic_ncols=True,
               desc="生成报告")

    def on_result(result) -> None:
        counts[result.status] += 1
        bar.set_postfix_str(f"完成 {counts['built']} 失败 {counts['failed']} 跳过 {n_skipped} · {result.item.caption}")
        bar.update()

    def validate() -> None:  # once, here, while the workers start their kernels
        check_ready(data_dir)

    try:
        if client is not None:
            from ..batch.cluster import run_on_cluster

            return run_on_cluster(items, client, data_dir, before_run=validate, on_result=on_result, **limits)
        from ..batch.pool import process_pool, run_items, stop_workers

        workers = min(args.workers or default_workers(), len(items))
        executor = process_pool(workers)
        try:
            results = run_items(items, executor, warm_workers=workers, before_run=validate, on_result=on_result,
                                **limits)
        except BaseException:  # Ctrl+C, SIGTERM, bad data: no worker or kernel may outlive this command
            stop_workers(executor)
            raise
        if any(r.stalled for r in results):
            stop_workers(executor)  # stuck workers are not waited for
        else:
            executor.shutdown(wait=True)
        return results
    finally:
        bar.close()


def _write_drafts(jobs, data_dir: Path) -> int:
    """The Word draft of every selected body × year whose own report or last year's is held (a draft from
    figures alone saves an office little), from the data checked once (no kernel needed); past a district's
    size each from its district's rows."""
    from ..data.scoped import dataset_for_body
    from ..draft.content import has_text_to_start_from
    from .draft import write_draft

    drafted = 0
    for job in jobs:
        dataset, _ = dataset_for_body(job.body.short_name, data_dir)
        if has_text_to_start_from(dataset, job.body, job.params.year):
            write_draft(dataset, job.body, job.params.year, job.draft_path)
            drafted += 1
    return drafted


def _print_summary(results, index: Path | None) -> None:
    from ..errors import display_path

    shown = [r for r in results if r.status != "skipped"]
    shown.sort(key=lambda r: (r.status != "failed", r.item.caption))
    status_zh = {"built": "已生成", "failed": "失败"}
    if shown:
        width = max(len(r.item.caption) for r in shown)
        print(f"{'报告':<{width}}  状态    秒数  说明")
        for r in shown:
            note = r.error if r.status == "failed" else display_path(r.item.job.html_path)
            print(f"{r.item.caption:<{width}}  {status_zh[r.status]:<6}{r.seconds:6.1f}  {note}")
            if r.status == "failed" and r.item.job.failed_notebook_path.is_file():
                kept = display_path(r.item.job.failed_notebook_path)
                print(f"{'':<{width}}  出错的笔记本: {kept}（原有 HTML 未被覆盖）")
    n = {s: sum(r.status == s for r in results) for s in ("built", "skipped", "failed")}
    print(f"共 {len(results)} 份：生成 {n['built']}，未变跳过 {n['skipped']}，失败 {n['failed']}。"
          + (f"索引: {display_path(index)}" if index else "索引未能写入。"))
