"""`fazhi preview --unit 峡口镇 --year 2023` (or `--district 巫溪县 --year 2025`): the page on localhost,
rebuilt with a warm kernel each time a data file, a raw report or a filled workbook in data/ changes, and
reloaded in the browser (render/preview.py). The page is held in memory (papermill's scratch notebook sits
in a private temporary folder): outputs/ is not touched, and `fazhi report` remains the way to keep a
page. Ctrl+C stops it and removes the folder.

A problem in the data (a row that breaks a rule, a workbook being filled) is shown above the last good
page; the kernel stays warm, so the next good save is again a fraction of a second away."""

import argparse
import shutil
import threading
import webbrowser
from pathlib import Path

from .. import paths
from ..errors import FazhiError, ParameterError, display_path
from ..render.params import DEFAULT_BODY, DEFAULT_YEAR

MAX_PROBLEMS_SHOWN = 12


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help=f"年度 (default {DEFAULT_YEAR})")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--unit", help=f"一个镇街的年度页 (default {DEFAULT_BODY})")
    which.add_argument("--district", help="一个区县的概览页（各镇街比较）")
    parser.add_argument("--data-dir", default=None, help="数据目录 (default: the project's data/)")
    parser.add_argument("--port", type=int, default=0, help="端口 (default: 任一空闲端口)")
    parser.add_argument("--open", action="store_true", help="在默认浏览器中打开")


def run(args: argparse.Namespace) -> int:
    from .. import procs
    from ..intake.pending import data_with_workbooks

    data_dir = paths.data_dir(args.data_dir)
    if not data_dir.is_dir():
        raise ParameterError(f"数据目录 {display_path(data_dir)} 不存在")
    if not 0 <= args.port <= 65535:
        raise ParameterError(f"--port 应在 0–65535 之间，而不是 {args.port}")
    scratch = procs.make_temp_dir("p")
    try:
        source, _ = data_with_workbooks(data_dir, scratch / "data")  # a bad workbook: exit 2, its problems
        job = _job(args, source, scratch / "outputs")  # a unit or year that does not exist: exit 2, at once
        return _serve(args, data_dir, scratch, job)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _job(args: argparse.Namespace, source: Path, output_root: Path):
    from ..data.rules import year_without_data
    from ..render.jobs import AnnualJob, OverviewJob, resolve_run
    from ..render.params import available_runs, parse_parameters

    if args.district:
        runs = available_runs(source)
        found = {b.province for b, years in runs.items() if b.district == args.district and args.year in years}
        if len(found) != 1:
            years = {y for b, ys in runs.items() if b.district == args.district for y in ys}
            if years and args.year not in years:
                raise year_without_data(args.district, args.year, years)
            listed = "、".join(sorted({b.district for b, years in runs.items() if args.year in years}))
            raise ParameterError(f"{args.year}年的数据中没有唯一的区县“{args.district}”（没有这个区县，"
                                 f"或几个省份都有）。{args.year}年有数据的区县: {listed}")
        return OverviewJob(paths.OVERVIEW_NOTEBOOK, args.year, args.district, str(source), output_root,
                           scope=(found.pop(), args.district))
    params = parse_parameters(year=args.year, body=args.unit or DEFAULT_BODY, data_dir=str(source))
    return AnnualJob(paths.ANNUAL_NOTEBOOK, params, resolve_run(params), output_root)


def _serve(args: argparse.Namespace, data_dir: Path, scratch: Path, first_job) -> int:
    from .. import pages
    from ..render import export
    from ..render.kernel import WarmKernel
    from ..render.preview import PreviewServer, serve
    from ..wording import say

    warm = pages.KERNEL_WARM_CODE if args.district else pages.ANNUAL_WARM_CODE
    kernel = WarmKernel(cwd=paths.NOTEBOOKS_DIR, warm_code=warm).start()
    server = PreviewServer(first_job.title, args.port).start()
    stop = threading.Event()
    try:
        export.prewarm()
        what = args.district or first_job.body.short_name
        print(say("preview.started", url=server.url, what=f"{what} {args.year}年", data_dir=display_path(data_dir)),
              flush=True)
        if args.open:
            webbrowser.open(server.url)
        serve(server, lambda: _rebuild(args, data_dir, scratch, kernel), data_dir, stop)
    finally:
        stop.set()
        server.stop()
        kernel.shutdown()
    return 0


def _rebuild(args: argparse.Namespace, data_dir: Path, scratch: Path, kernel) -> tuple[bytes | None, str]:
    """(the new page, "") or (None, what is wrong): the data is checked here, in full, before the kernel
    runs, so a half-saved file never costs a kernel restart."""
    from ..data.dataset import load_dataset
    from ..data.receipts import vouch_for
    from ..intake.pending import data_with_workbooks
    from ..render.build import execute_page
    from ..wording import say

    try:
        source, workbooks = data_with_workbooks(data_dir, scratch / "data")
        dataset = load_dataset(source)
        job = _job(args, source, scratch / "outputs")
    except FazhiError as exc:
        lines = [str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]] or [str(exc)]
        return None, say("preview.data_problem", problems="\n".join(lines))
    vouch_for(kernel.receipt_path, dataset.data_dir, dataset.digest)
    page = execute_page(job, kernel, scratch / "run", leadership_only=True)  # the page in memory; nothing kept
    if not page.ok:
        return None, say("preview.cell_failed", error=page.error)
    if workbooks:
        print(say("preview.workbooks", names="、".join(w.name for w in workbooks)), flush=True)
    return page.files[job.html_path.name], ""
