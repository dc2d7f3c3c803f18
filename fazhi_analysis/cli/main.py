"""`fazhi` command line. argparse (stdlib) keeps start-up fast: `fazhi report --year 2022` must fail
in well under a second, so each subcommand's module (and its heavy imports) loads only when chosen.

A subcommand lives in `fazhi_analysis/cli/<name>.py` with `add_arguments(parser)` and `run(args) -> int`.
Errors the user can fix (FazhiError) print as a message and exit 2, never as a traceback.
"""

import argparse
import atexit
import errno
import importlib
import os
import sys

from ..errors import FazhiError, os_error
from ..procs import ensure_socket_room, terminate_like_interrupt

COMMANDS: dict[str, str] = {
    "report": "生成一个主体一个年度的报告 HTML (build one annual page)",
    "batch": "批量生成全部或选定主体×年度的报告 (regenerate many pages)",
    "draft": "生成年度报告 Word 草稿（公文格式） (write the report itself as a .docx draft)",
    "validate": "只检查数据，不生成报告 (check the data files)",
    "extract": "从报告文本提取数字，生成待审核的观测数据 (text → draft observations)",
    "check": "核对报告所述比率与其数字是否一致 (check stated rates against counts)",
    "template": "生成填报用 Excel 模板 (write a data-entry workbook)",
    "import": "导入填好的 Excel/CSV 到 data/ (merge filled figures into data/)",
    "store": "建立省、全国规模数据的列式存储 (build the columnar store for a province or the country)",
    "export": "把一个区县的比较表导出为 Excel (overview tables → .xlsx)",
    "preview": "在浏览器中预览，数据改动后自动重新生成 (live preview on localhost)",
}
MODULES = {name: f"fazhi_analysis.cli.{'import_' if name == 'import' else name}" for name in COMMANDS}
# Commands whose process ends right after they return, every file written and fsynced and every child
# stopped: the interpreter's own teardown of the modules they imported is skipped (see console_main).
QUICK_EXIT = {"report"}
# Commands that start Jupyter kernels or a process pool, both of which talk over Unix sockets in TMPDIR
SOCKET_COMMANDS = {"report", "batch"}
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def _parse(argv: list[str]) -> argparse.Namespace:
    top = argparse.ArgumentParser(prog="fazhi", description="法治政府建设年度报告的数据、统计与图表。")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, text in COMMANDS.items():
        parser = sub.add_parser(name, help=text, description=text)
        if name == chosen:  # only the chosen command's module (and its imports) is loaded
            module = importlib.import_module(MODULES[name])
            module.add_arguments(parser)
            parser.set_defaults(run=module.run)
    args = top.parse_args(argv)
    if not getattr(args, "run", None):
        top.print_help()
        raise SystemExit(2)
    return args


def main(argv: list[str] | None = None) -> int:
    return _run(list(sys.argv[1:] if argv is None else argv))[0]


def _run(argv: list[str]) -> tuple[int, str]:
    """(exit code, the command that ran)."""
    from ..render.imports import decline_slow_optional_imports

    decline_slow_optional_imports()
    terminate_like_interrupt()
    args = _parse(argv)
    try:
        if args.command in SOCKET_COMMANDS:
            ensure_socket_room()  # a TMPDIR too long for a socket's path: a short private folder instead
        return int(args.run(args) or 0), args.command
    except FazhiError as exc:
        print(f"fazhi {args.command}: {exc}", file=sys.stderr)
        return 2, args.command
    except OSError as exc:  # a file the command reads or writes: full or read-only disk, permissions, a bad path
        action = "写入" if exc.errno in WRITE_ERRNOS else "访问"
        print(f"fazhi {args.command}: {os_error(exc, action=action)}", file=sys.stderr)
        return 2, args.command
    except KeyboardInterrupt as exc:  # Ctrl+C, or SIGTERM/SIGHUP (procs.Terminated): clean-up has run
        print("fazhi: 已中断 (interrupted)", file=sys.stderr)
        return getattr(exc, "exit_code", 130), args.command
    except Exception as exc:
        interrupt = _interrupt_behind(exc)
        if interrupt is None:
            raise
        print("fazhi: 已中断 (interrupted)", file=sys.stderr)
        return getattr(interrupt, "exit_code", 130), args.command


def _interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl+C or SIGTERM another exception wraps: a signal that lands while a class body runs (pandera's
    dtypes, imported late) comes out as RuntimeError("Error calling __set_name__ …") from Terminated."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def console_main() -> None:
    """The `fazhi` script. For a QUICK_EXIT command, atexit handlers still run, then the process ends
    without tearing down the ~1,000 modules it imported (benchmarks/report_speed.py measures what that
    saves). So does any command ended by Ctrl+C or SIGTERM, once its own clean-up has run: the normal teardown
teardown of a stopped process pool could end the process by SIGINT instead of exit 130. Other commands exit
normally; in-process callers of main() are never affected."""
    code, command = _run(sys.argv[1:])
    if command in QUICK_EXIT or code > 128:  # after an interrupt too: the clean-up has run, stop here
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console_main()
