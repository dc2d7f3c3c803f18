"""The options every one-page command shares (`report`, `draft`): which body and year, where the data
is and where the page goes, all checked before anything heavy is imported."""

import argparse
from pathlib import Path

from .. import paths
from ..data.bodies import Body
from ..render.jobs import resolve_run
from ..render.params import DEFAULT_BODY, DEFAULT_YEAR, RunParameters, parse_parameters


def add_page_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help=f"报告年度 (default {DEFAULT_YEAR})")
    parser.add_argument("--unit", default=DEFAULT_BODY,
                        help=f"主体名称，重名时加区县，如 南岸区峡口镇 (default {DEFAULT_BODY})")
    parser.add_argument("--data-dir", default=None, help="数据目录 (default: the project's data/)")
    parser.add_argument("--output-root", type=Path, default=paths.OUTPUTS_DIR, help="输出目录 (default: outputs/)")


def resolve_page(args: argparse.Namespace) -> tuple[RunParameters, Body, Path]:
    """(parameters, the body they name, the checked output root), or a user error naming what is wrong."""
    from ..render.locations import check_output_root

    params = parse_parameters(year=args.year, body=args.unit,
                              data_dir=str(Path(args.data_dir).resolve()) if args.data_dir else None)
    body = resolve_run(params)
    return params, body, check_output_root(args.output_root, paths.data_dir(params.data_dir))


def add_timeout_arguments(parser: argparse.ArgumentParser, stall: bool = False) -> None:
    """Time limits, so that no run waits forever: a cell, and (batch) progress of the whole run."""
    parser.add_argument("--cell-timeout", type=float, default=None, metavar="SECONDS",
                        help="每个笔记本单元格最多运行的秒数，超时则该报告失败 (default: 600)")
    if stall:
        parser.add_argument("--stall-timeout", type=float, default=None, metavar="SECONDS",
                            help="这么多秒内没有任何报告完成，则其余报告判为失败并结束 (default: 1800)")


def checked_seconds(value: float | None, option: str) -> float | None:
    """A time limit as given: positive and finite, or a ParameterError naming the option."""
    import math

    from ..errors import ParameterError

    if value is not None and not (math.isfinite(value) and value > 0):
        raise ParameterError(f"{option} 应为大于 0 的秒数，而不是 {value:g}")
    return value


def check_output_file(path: Path, force: bool, flag: str = "-o") -> None:
    """At the start of a command that writes the file `path`: remove what fazhi runs that died left in
    its folder; refuse a path that is not a regular file (even with --force: a device node or a FIFO is
    never replaced), and an existing file without --force (it may hold reviewed work). The write itself
    is exclusive (`atomic.write_output`), so a file appearing meanwhile is not replaced either."""
    import os
    import stat

    from ..atomic import kind_zh, tidy_dead_temporaries
    from ..errors import ParameterError, Problem, display_path

    tidy_dead_temporaries(path.parent if str(path.parent) else Path("."))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError:
        return  # the write reports it, naming the path
    if not stat.S_ISREG(info.st_mode):
        kind = "符号链接" if stat.S_ISLNK(info.st_mode) else kind_zh(info.st_mode)
        raise ParameterError(f"{display_path(path)} 是{kind}，不是普通文件，不会被替换（--force 也不会）；"
                             "请换一个文件名", [
            Problem(str(path), None, flag, kind, "output_is_regular_file", "输出只写到普通文件")])
    if not force:
        raise ParameterError(f"{display_path(path)} 已存在，未覆盖（它可能含有已填写或审核过的内容）；"
                             "换个文件名，或确认后加 --force", [
            Problem(str(path), None, flag, None, "output_not_overwritten", "已存在的文件不会被覆盖")])
