"""The options every one-page command shares (`report`, `draft`): which body and year, where the data
is and where the page goes, all checked before anything heavy is imported."""

import argparse
from pathlib import Path

from .. import paths
from ..data.bodies import Body
from ..render.params import DEFAULT_BODY, DEFAULT_YEAR, RunParameters, parse_parameters, resolve_run


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
