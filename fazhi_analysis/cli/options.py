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
