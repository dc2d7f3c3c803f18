"""The bad-input corpus as data: read cases.yaml, lay a case out as a data directory, run the real CLI.

Shared by tests/test_bad_input.py and benchmarks/bad_input_summary.py so both count the same thing.
"""

import os
import shutil
import subprocess
import sys
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

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stdout + self.stderr


def fazhi(*args: str, cwd: Path | None = None, timeout_s: float = 300, stdin: bytes | None = None) -> Run:
    """The real CLI in a fresh process (`python -m fazhi_analysis.cli.main` is the `fazhi` entry point)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([*FAZHI, *args], capture_output=True, timeout=timeout_s, cwd=cwd or REPO, env=env,
                          input=stdin if stdin is not None else b"")
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove that nothing was written or overwritten."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
