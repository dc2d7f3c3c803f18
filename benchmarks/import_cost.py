"""What `import fazhi_analysis` costs, now that importing it arranges Chinese in matplotlib (a finder that
waits for matplotlib's import): the interpreter's own `-X importtime` figure for the package (its
cumulative microseconds), the wall time of `python -c "import fazhi_analysis"` against `python -c pass`, and
that neither matplotlib nor pandas is loaded by the import. Median of RUNS fresh interpreters each.

    .venv/bin/python benchmarks/import_cost.py
"""

import statistics
import subprocess
import sys
import time

RUNS = 21


def importtime_us() -> int:
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", "import fazhi_analysis"], capture_output=True,
                         text=True, check=True)
    line = next(ln for ln in run.stderr.splitlines() if ln.rstrip().endswith("| fazhi_analysis"))
    return int(line.split("|")[1])


def wall_ms(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    cumulative = statistics.median(importtime_us() for _ in range(RUNS))
    bare = statistics.median(wall_ms("pass") for _ in range(RUNS))
    package = statistics.median(wall_ms("import fazhi_analysis") for _ in range(RUNS))
    loaded = subprocess.run([sys.executable, "-c", "import sys, fazhi_analysis; print(sorted(m for m in sys.modules "
                             "if m.split('.')[0] in ('matplotlib', 'pandas')))"], capture_output=True, text=True,
                            check=True).stdout.strip()
    print(f"import fazhi_analysis: {cumulative / 1000:.1f} ms cumulative (-X importtime), "
          f"interpreter + import {package:.0f} ms against {bare:.0f} ms for `python -c pass` "
          f"(medians of {RUNS}); matplotlib/pandas loaded by the import: {loaded}")


if __name__ == "__main__":
    main()
