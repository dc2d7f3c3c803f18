"""`fazhi` command line. argparse (stdlib) keeps start-up fast: `fazhi report --year 2022` must fail
in well under a second, so each subcommand's module (and its heavy imports) loads only when chosen.

A subcommand lives in `fazhi_analysis/cli_<name>.py` with `add_arguments(parser)` and `run(args) -> int`.
Errors the user can fix (FazhiError) print as a message and exit 2, never as a traceback.
"""

import argparse
import importlib
import importlib.util
import os
import sys

from .errors import FazhiError

COMMANDS: dict[str, str] = {
    "report": "生成一个主体一个年度的报告 HTML (build one annual report)",
    "batch": "批量生成全部或选定主体×年度的报告 (regenerate many reports)",
    "validate": "只检查数据，不生成报告 (check the data files)",
    "extract": "从报告文本提取数字，生成待审核的观测数据 (text → draft observations)",
    "check": "核对报告所述比率与其数字是否一致 (check stated rates against counts)",
    "template": "生成填报用 Excel 模板 (write a data-entry workbook)",
    "import": "导入填好的 Excel/CSV 到 data/ (merge filled figures into data/)",
}


def _available() -> dict[str, str]:
    """Commands whose module exists in this installation."""
    return {name: text for name, text in COMMANDS.items()
            if importlib.util.find_spec(f"fazhi_analysis.cli_{name}") is not None}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = _available()
    top = argparse.ArgumentParser(prog="fazhi", description="法治政府建设年度报告的数据、统计与图表。")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, text in commands.items():
        parser = sub.add_parser(name, help=text, description=text)
        if name == chosen:
            module = importlib.import_module(f"fazhi_analysis.cli_{name}")
            module.add_arguments(parser)
            parser.set_defaults(run=module.run)
    args = top.parse_args(argv)
    if not getattr(args, "run", None):
        top.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except FazhiError as exc:
        print(f"fazhi {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fazhi: 已中断 (interrupted)", file=sys.stderr)
        return 130


def console_main() -> None:
    """The `fazhi` script. When `fazhi report` returns, its files are written and fsynced and its kernel
    is shut down; Python's own teardown of the ~1,000 modules it imported would still cost ~0.3 s of a
    ~4 s command, so that one command ends with os._exit. Everything else exits normally (batch relies
    on atexit handlers of multiprocessing), and in-process callers of main() are never affected."""
    argv = sys.argv[1:]
    code = main(argv)
    if next((a for a in argv if not a.startswith("-")), None) == "report":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console_main()
