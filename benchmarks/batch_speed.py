"""Benchmark: `fazhi batch` from cold against the plain way (for each report the `papermill` CLI, then the
`jupyter nbconvert --to html` CLI), for N reports; a rerun with nothing changed; peak memory of the batch
(RSS summed over its process tree: CLI, worker processes, their kernels); and where a warm report's time
goes. Figures are medians of several runs (the machine is shared).

Data: a temporary copy of data/. Real body × year reports are used where they exist; if there are fewer
than N, fixture bodies 示例镇A, 示例镇B … (district 示例区) are added with the seed body's figures varied,
each row marked `fixture (benchmark, not real)` in the source column. Nothing is written into the repo.

    .venv/bin/python benchmarks/batch_speed.py            # N=24, 3 runs
    .venv/bin/python benchmarks/batch_speed.py --runs 1 --plain-sample 6
"""

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SEED_BODY = ("重庆市", "南岸区", "峡口镇")
FIXTURE_SOURCE = "fixture (benchmark, not real)"
FIXTURE_YEARS = (2020, 2021, 2022, 2023)


def make_data(root: Path, n_reports: int) -> list[tuple[str, int]]:
    """A data dir with at least n_reports body-years; returns the (unit, year) of the n chosen."""
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "observations.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    real = sorted({(r["district"] + r["body"], int(r["year"])) for r in rows})
    chosen = real[:n_reports]
    seed = [r for r in rows if (r["province"], r["district"], r["body"]) == SEED_BODY]
    fixture_rows, i = [], 0
    while len(chosen) < n_reports:
        body, year = f"示例镇{chr(ord('A') + i // len(FIXTURE_YEARS))}", FIXTURE_YEARS[i % len(FIXTURE_YEARS)]
        factor = 0.7 + 0.05 * i
        for r in seed:
            value = float(r["value"])
            varied = value if r["indicator"].endswith("_pct") else round(value * factor)
            fixture_rows.append({**r, "district": "示例区", "body": body, "year": str(year), "value": f"{varied:g}",
                                 "expr": "", "source": FIXTURE_SOURCE})
        chosen.append(("示例区" + body, year))
        i += 1
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + fixture_rows)
    manifest = root / "manifest.csv"
    manifest.write_text("unit,year\n" + "".join(f"{u},{y}\n" for u, y in chosen), encoding="utf-8")
    return chosen


class PeakTreeMemory:
    """Samples the RSS of a process and all its descendants every 50 ms; keeps the peak sum."""

    def __init__(self, pid: int):
        self.root, self.peak_bytes, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak_bytes = max(self.peak_bytes, total)
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_bytes


def run_batch(root: Path, out: Path, extra: list[str]) -> tuple[float, int, str]:
    cmd = [str(VENV_BIN / "fazhi"), "batch", "--data-dir", str(root / "data"), "--output-root", str(out),
           "--manifest", str(root / "manifest.csv"), "--no-overview", *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakTreeMemory(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"fazhi batch failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return seconds, peak, stdout


def run_plain(root: Path, out: Path, chosen: list[tuple[str, int]]) -> float:
    out.mkdir(parents=True)
    started = time.perf_counter()
    for i, (unit, year) in enumerate(chosen):
        executed = out / f"report-{i}.ipynb"
        subprocess.run([str(VENV_BIN / "papermill"), str(REPO / "notebooks" / "annual_report.ipynb"), str(executed),
                        "-k", "python3", "-p", "year", str(year), "-p", "body", unit,
                        "-p", "data_dir", str(root / "data"), "--cwd", str(REPO / "notebooks")],
                       check=True, capture_output=True)
        subprocess.run([str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                       check=True, capture_output=True)
    return time.perf_counter() - started


def warm_breakdown(root: Path, unit: str, year: int, repeats: int = 5) -> dict[str, float]:
    """Where one worker's time goes: imports, kernel start + warm-up, then per warm report execute/export."""
    started = time.perf_counter()
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from fazhi_analysis import pages, paths
    from fazhi_analysis.render import build, export, jobs
    from fazhi_analysis.render.jobs import resolve_run
    from fazhi_analysis.render.kernel import WarmKernel
    from fazhi_analysis.render.params import parse_parameters
    imports_s = time.perf_counter() - started

    params = parse_parameters(year=year, body=unit, data_dir=str(root / "data"))
    job = jobs.AnnualJob(paths.ANNUAL_NOTEBOOK, params, resolve_run(params), root / "breakdown")
    export_s: list[float] = []
    original = export.notebook_to_html

    def timed_export(*args, **kwargs):
        t = time.perf_counter()
        html = original(*args, **kwargs)
        export_s.append(time.perf_counter() - t)
        return html

    export.notebook_to_html = timed_export
    started = time.perf_counter()
    kernel = WarmKernel(cwd=paths.NOTEBOOKS_DIR, warm_code=pages.KERNEL_WARM_CODE).start()
    kernel.prepare_run()  # waits for the kernel and its warm-up imports
    warm_s = time.perf_counter() - started
    totals = []
    try:
        build.build_page(job, kernel)
        export_s.clear()
        for _ in range(repeats):
            t = time.perf_counter()
            build.build_page(job, kernel)
            totals.append(time.perf_counter() - t)
    finally:
        kernel.shutdown()
        export.notebook_to_html = original
    per_export = sum(export_s) / repeats
    total = statistics.median(totals)
    return {"imports (papermill, nbconvert, package)": imports_s, "kernel start + warm imports": warm_s,
            "warm report, total": total, "  of which nbconvert export (all variants)": per_export,
            "  of which the rest (execute, reset, writes)": total - per_export}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plain-sample", type=int, default=None,
                        help="time the plain way on only this many reports (seconds per report are still reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as tmp:
        root = Path(tmp)
        chosen = make_data(root, args.reports)
        n_fixture = sum(u.startswith("示例区") for u, _ in chosen)
        print(f"N = {len(chosen)} reports ({len(chosen) - n_fixture} real, {n_fixture} fixture), "
              f"{psutil.cpu_count()} cores, {args.runs} runs each")

        batch_s, peaks, rerun_s = [], [], []
        for run in range(args.runs):
            out = root / f"batch-{run}"
            seconds, peak, _ = run_batch(root, out, [])
            batch_s.append(seconds)
            peaks.append(peak)
            rerun_s.append(run_batch(root, out, [])[0])
        sample = chosen[: args.plain_sample or len(chosen)]
        plain_s = [run_plain(root, root / f"plain-{run}", sample) / len(sample) for run in range(args.runs)]

        batch_per = statistics.median(batch_s) / len(chosen)
        plain_per = statistics.median(plain_s)
        print(f"fazhi batch (cold, {len(chosen)} reports): {statistics.median(batch_s):.1f} s total, "
              f"{batch_per:.2f} s per report  (runs: {', '.join(f'{s:.1f}' for s in batch_s)})")
        print(f"plain papermill + nbconvert CLIs ({len(sample)} reports): {plain_per:.2f} s per report  "
              f"(runs: {', '.join(f'{s:.2f}' for s in plain_s)})")
        print(f"speed-up: {plain_per / batch_per:.1f}x")
        print(f"peak memory of the batch (process tree RSS): {statistics.median(peaks) / 2**20:.0f} MiB "
              f"(max {max(peaks) / 2**20:.0f} MiB)")
        print(f"rerun with nothing changed: {statistics.median(rerun_s):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in rerun_s)})")
        print("one worker's time (median of 5 warm reports):")
        for name, seconds in warm_breakdown(root, *chosen[0]).items():
            print(f"  {name:<42} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
