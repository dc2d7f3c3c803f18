"""The bad-input corpus as data: read cases.yaml, lay a case out as a data directory, run the real CLI
(in a fresh process, or its main(argv) in this one).

Shared by tests/unit, tests/integration and benchmarks/bad_input_summary.py so all count the same thing.
"""

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
HUGE_BYTES = 100 * 1024 * 1024


def cases() -> list[dict]:
    return yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))


def materialise(case: dict, root: Path) -> Path:
    """A data directory: base/ with the case's target file replaced (or generated, or deleted)."""
    data_dir = root / "data"
    shutil.copytree(HERE / "base", data_dir)
    target = data_dir / case["target"]
    kind = case.get("generate")
    if kind is None:
        shutil.copyfile(HERE / case["file"], target)
    elif kind == "missing":
        target.unlink()
    elif kind == "xlsx":
        with zipfile.ZipFile(target, "w") as workbook:
            workbook.writestr("xl/workbook.xml", "<workbook/>")
    elif kind == "huge_100mb":
        line = (HERE / "base" / "observations.csv").read_bytes().splitlines(keepends=True)[1]
        with target.open("ab") as handle:  # a real CSV, just far too long: only its size is wrong
            handle.write(line * (HUGE_BYTES // len(line) + 1))
    else:
        raise ValueError(f"unknown generator {kind!r}")
    return data_dir


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    stdin_read_bytes: int | None = None  # how much of stdin the command read (known in-process only)

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stdout + self.stderr


def fazhi(*args: str, cwd: Path | None = None, timeout_s: float = 300, stdin: bytes | None = None,
          env: dict[str, str] | None = None) -> Run:
    """The real CLI in a fresh process (`python -m fazhi_analysis.cli.main` is the `fazhi` entry point);
    `env` adds to (or overrides) this process's environment."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    done = subprocess.run([*FAZHI, *args], capture_output=True, timeout=timeout_s, cwd=cwd or REPO, env=env,
                          input=stdin if stdin is not None else b"")
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def fazhi_main(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> Run:
    """The CLI's `main(argv)` in this process, as a unit test calls it: the same exit code, stdout and
    stderr as `fazhi(*args)` without starting Python. stdin, stdout and stderr are byte streams with UTF-8
    text on top (as a UTF-8 terminal gives); the working directory, environment and the SIGTERM/SIGHUP
    handlers the command sets are put back afterwards. An uncaught exception is raised here, so the test
    fails with the real traceback."""
    from fazhi_analysis.cli.main import main

    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n") for name in ("stdout", "stderr")}
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    environment, here, temp = dict(os.environ), os.getcwd(), tempfile.tempdir
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = fake_stdin, streams["stdout"], streams["stderr"]
    try:
        os.chdir(cwd or REPO)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: a usage error (2) or --help (0)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(here)
        os.environ.clear()
        os.environ.update(environment)
        tempfile.tempdir = temp  # a too-long TMPDIR makes the command pick a short one
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        with contextlib.suppress(KeyError):  # the CLI declines one slow optional import; the tests may need it
            if sys.modules["rfc3987_syntax"] is None:
                del sys.modules["rfc3987_syntax"]
    text = {}
    for name, stream in streams.items():
        stream.flush()
        text[name] = stream.buffer.getvalue().decode("utf-8", "replace")
    return Run(code, text["stdout"], text["stderr"], fake_stdin.buffer.tell())


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove that nothing was written or overwritten."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- what each case must give (tests/unit runs them through main(argv), tests/integration as a process) ---------
# Cases streamed through the store's check in a second process (a process pool): integration only.
POOLED = frozenset({"huge_100mb"})


def check_loader(case: dict, root: Path) -> None:
    """check_data_dir gives the case's rule at its row and column (or none, and the normalised value)."""
    from fazhi_analysis.data.dataset import check_data_dir, load_dataset

    data_dir = materialise(case, root)
    problems = check_data_dir(data_dir)
    if case["expect"] == "accepted":
        assert problems == []
        frame = load_dataset(data_dir).observations
        (value,) = frame.loc[frame["row"] == case["row"], case["column"]]
        assert value == case["value"]
        return
    expected = [(case["row"], case["column"], case["rule"])] + [tuple(a) for a in case.get("also", [])]
    found = [(p.row, p.column, p.rule) for p in problems]
    for row, column, rule in expected:
        assert any(r == row and (column is None or c == column) and u == rule for r, c, u in found), (expected, found)
    first = next(p for p in problems if p.rule == case["rule"])
    assert first.file.endswith(case["target"])
    if case.get("value") is not None:
        assert first.value == case["value"]
    if case.get("message_has"):
        assert case["message_has"] in first.message_zh


def check_validate(case: dict, root: Path, run_cli=fazhi_main) -> None:
    """`fazhi validate`: exit 0 and a summary, or exit 2 and a table naming the file and the rule; the data
    untouched either way."""
    data_dir = materialise(case, root)
    before = tree(data_dir)
    run = run_cli("validate", "--data-dir", str(data_dir))
    assert not run.traceback, run.stderr
    assert tree(data_dir) == before  # validate never touches the data
    if case["expect"] == "accepted":
        assert run.returncode == 0, run.stdout + run.stderr
        assert "数据检查通过" in run.stdout
    else:
        assert run.returncode == 2, run.stdout + run.stderr
        assert case["rule"] in run.stdout and case["target"] in run.stdout
        assert "文件" in run.stdout and "规则" in run.stdout


def check_report_refused(case: dict, root: Path, run_cli=fazhi_main) -> None:
    """`fazhi report` on a rejected case: exit 2 with the rule, a previous good report left byte for byte."""
    data_dir = materialise(case, root)
    out = root / "outputs"
    previous = out / "南岸区-峡口镇" / "2023" / "南岸区-峡口镇-2023-法治政府建设数据分析.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("<html>previous good report</html>", encoding="utf-8")
    before = tree(out)
    run = run_cli("report", "--data-dir", str(data_dir), "--output-root", str(out))
    assert not run.traceback, run.stderr
    assert run.returncode == 2, run.stdout + run.stderr
    assert case["rule"] in run.stderr
    assert tree(out) == before


# --- hostile text: payloads for --unit and for the data's names and texts ----------------------------------------
# a fixed name: pytest-xdist workers must collect identical test ids (a pid here made them differ)
CANARY = Path(tempfile.gettempdir()) / "fz-canary"  # short: the payload must fit the 60-character --unit
PYTHON_PAYLOAD = f"'); import os; os.system(\"touch {CANARY}\") #"
SCRIPT_PAYLOAD = "<script>alert('district')</script>区"
IMG_PAYLOAD = "<img src=x onerror=\"document.title='PWNED';alert(1)\">{{7*7}}"


def hostile_data(tmp_path: Path) -> Path:
    """base/ plus two bodies whose names and texts are payloads, each with the full 峡口镇 figures."""
    data_dir = tmp_path / "data"
    shutil.copytree(HERE / "base", data_dir)
    lines = (data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    extra = []
    for district, body, expr, source in [
        (SCRIPT_PAYLOAD, PYTHON_PAYLOAD, IMG_PAYLOAD, "</script><script>alert('source')</script>"),
        ("a/b", "../../etc", "第一行\n<script>alert('newline')</script>", PYTHON_PAYLOAD),
    ]:
        header = lines[0].split(",")
        at = {name: header.index(name) for name in ("district", "body", "expr", "source")}
        for line in lines[1:]:
            cells = line.split(",")
            for name, value in (("district", district), ("body", body), ("expr", expr), ("source", source)):
                cells[at[name]] = value
            extra.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    (data_dir / "observations.csv").write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    return data_dir
