"""`fazhi report` of two or more checkouts, interleaved in one session, so a change is judged against the
commit before it under the same load (issue 10: "no slower"). Each checkout needs its own `make install`.

    git worktree add --detach /tmp/before <commit> && make -C /tmp/before install
    .venv/bin/python benchmarks/report_ab.py /tmp/before . --runs 9
"""

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def one_report(checkout: Path, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(checkout / ".venv" / "bin" / "fazhi"), "report", "--output-root", str(out)],
                          cwd=checkout, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: fazhi report failed:\n{done.stderr}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="the first is the baseline")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    checkouts = [c.resolve() for c in args.checkouts]
    times: dict[Path, list[float]] = {c: [] for c in checkouts}
    with tempfile.TemporaryDirectory(prefix="fazhi-ab-") as tmp:
        outs = {c: Path(tmp) / str(i) for i, c in enumerate(checkouts)}
        for c in checkouts:  # one run each to warm the file cache, not counted
            one_report(c, outs[c])
        for i in range(args.runs):  # rotate the order, so no checkout always runs first
            for c in checkouts[i % len(checkouts):] + checkouts[:i % len(checkouts)]:
                times[c].append(one_report(c, outs[c]))
    base = statistics.median(times[checkouts[0]])
    for c, runs in times.items():
        median = statistics.median(runs)
        print(f"{str(c):40s} median {median:.2f} s (×{median / base:.2f})  runs {min(runs):.2f}–{max(runs):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
