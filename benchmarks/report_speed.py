"""Time `fazhi report` (default: 峡口镇 2023) beside the plain way of doing the same job: the papermill
CLI, then the `jupyter nbconvert --to html` CLI, on the same notebook and parameters.

Prints each run, the medians and their ratio. Run by hand (`make bench`) on an otherwise idle machine;
the figures go in the README. Usage: python benchmarks/report_speed.py [--runs 5]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = REPO / "notebooks" / "annual_report.ipynb"


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def fazhi_report_s(out: Path) -> float:
    return timed([str(BIN / "fazhi"), "report", "--year", "2023", "--unit", "峡口镇", "--output-root", str(out)])


def plain_cli_pair_s(out: Path) -> float:
    executed = out / "plain.ipynb"
    started = time.perf_counter()
    subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-k", "python3", "-p", "year", "2023",
                    "-p", "body", "峡口镇", "--cwd", str(NOTEBOOK.parent)], cwd=REPO, check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                   cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    fazhi, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):  # interleaved, so both see the same machine load
            fazhi.append(fazhi_report_s(Path(tmp) / f"f{i}"))
            (Path(tmp) / f"p{i}").mkdir()
            plain.append(plain_cli_pair_s(Path(tmp) / f"p{i}"))
            print(f"run {i + 1}: fazhi report {fazhi[-1]:.2f} s | papermill CLI + nbconvert CLI {plain[-1]:.2f} s")
    f_med, p_med = statistics.median(fazhi), statistics.median(plain)
    print(f"median of {runs}: fazhi report {f_med:.2f} s | plain CLI pair {p_med:.2f} s | ratio {p_med / f_med:.1f}x")


if __name__ == "__main__":
    main()
