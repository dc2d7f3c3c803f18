"""`fazhi validate [PATH]`: check a data directory without building anything, and print every problem
as a table (文件 / 行 / 列 / 值 / 规则 / 说明) for the person who typed the figures. Exit 0 when clean, 2
otherwise. Columns are padded by display width (a Chinese character takes two cells in a terminal),
which the stdlib's `unicodedata.east_asian_width` gives; no table library is needed for six columns."""

import argparse
import unicodedata

from ..errors import Problem

HEADINGS = ("文件", "行", "列", "值", "规则", "说明")
MAX_VALUE_CHARS = 24


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=None, help="数据目录 (default: the project's data/)")
    parser.add_argument("--data-dir", default=None, help="同 PATH")


def run(args: argparse.Namespace) -> int:
    from .. import paths
    from ..data.dataset import check_data_dir, load_dataset
    from ..data.store import in_use

    directory = paths.data_dir(args.data_dir or args.path)
    if in_use(directory):
        return _run_streaming(directory)
    problems = check_data_dir(directory)
    if problems:
        print(problem_table(problems))
        print(f"\n共 {len(problems)} 个问题，请改正后再运行 fazhi validate。")
        return 2
    dataset = load_dataset(directory)
    print(f"数据检查通过：{len(dataset.catalogue)} 个指标，{len(dataset.observations)} 条观测，"
          f"{len(dataset.bodies)} 个主体。")
    return 0


def _run_streaming(directory) -> int:
    """Past a district's size: one streaming pass in bounded memory; nothing is loaded whole or written."""
    from ..data.store import check_only
    from ..errors import DataError

    try:
        n_rows, n_bodies = check_only(directory)
    except DataError as exc:
        print(problem_table(exc.problems))
        print(f"\n{exc.message}。请改正后再运行 fazhi validate。")
        return 2
    print(f"数据检查通过（逐块检查）：{n_rows} 条观测，{n_bodies} 个主体。")
    return 0


def problem_table(problems: list[Problem]) -> str:
    """The problems as an aligned plain-text table; values are shown with control characters escaped,
    so nothing from the data can move the cursor or recolour the terminal."""
    rows = [HEADINGS] + [(p.file, "" if p.row is None else str(p.row), p.column or "", _value(p.value),
                          p.rule, p.message_zh) for p in problems]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(HEADINGS) - 1)]
    lines = []
    for n, row in enumerate(rows):
        cells = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 8)
    return "\n".join(lines)


def _value(value: str | None) -> str:
    if value is None:
        return ""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value)
    return shown if len(shown) <= MAX_VALUE_CHARS else shown[:MAX_VALUE_CHARS - 1] + "…"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
