"""Benchmark: a province, then the country, on the store. Prints each target of the national-scale issue
beside its measured figure, for the synthetic country of benchmarks/national.py (38,000 bodies in 31
provinces and ~2,800 districts, 3 years, ~2.4 million rows; a temporary folder, never data/):

- building the store from the CSV (`fazhi store`), and checking the CSV (`fazhi validate`, no store yet);
- one town's page, cold (`fazhi report`, median of --runs towns);
- the largest district's and the largest province's overview page (built on a warm worker, as a batch does);
- a local batch of 2,000 pages drawn at random from the country (`fazhi batch --manifest`, 2 workers);
- a Dask run of 5,000 pages (those 2,000 and 3,000 more) on a LocalCluster of 2 workers: every page the
  two runs share byte-identical, and the store written out once per worker;
- the peak memory (RSS) of any one process during each step (every process of this benchmark's tree is
  sampled every 0.2 s: commands, batch workers, kernels, Dask workers).

    .venv/bin/python benchmarks/national_scale.py                    # everything, ~1 hour on 2 cores
    .venv/bin/python benchmarks/national_scale.py --keep /tmp/country --skip-dask
"""

import argparse
import csv
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import make_national_data  # noqa: E402

VENV_BIN = Path(sys.executable).parent
GB = 1024**3
TARGETS = {"build_s": 120.0, "validate_s": 60.0, "peak_bytes": 4 * GB, "page_s": 3.0, "district_s": 10.0,
           "province_s": 60.0, "per_page_s": 0.33}
YEAR = 2025


class PeakProcess:
    """The largest RSS any one process of this benchmark's tree reaches while it runs, and which one."""

    def __init__(self):
        self.peak_bytes, self.peak_name, self._stop = 0, "", threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for proc in [me, *me.children(recursive=True)]:
                try:
                    rss = proc.memory_info().rss
                    if rss > self.peak_bytes:
                        self.peak_bytes, self.peak_name = rss, " ".join(proc.cmdline()[1:4])[:70]
                except psutil.Error:
                    continue
            time.sleep(0.2)

    def stop(self) -> tuple[int, str]:
        self._stop.set()
        self._thread.join()
        return self.peak_bytes, self.peak_name


CPU_SECONDS: dict[str, float] = {}  # command → CPU seconds of it and the processes it waited for


def timed(cmd: list[str], ok=(0,)) -> tuple[float, str, int, str]:
    """(wall seconds, stdout, peak RSS of any one process, which process). The CPU time is kept too: on a
    machine shared with other work, wall time says more about the others than about fazhi."""
    memory = PeakProcess()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU_SECONDS[f"{len(CPU_SECONDS) + 1}. {' '.join(cmd[1:3])}"] = cpu  # numbered: a command runs more than once
    peak, name = memory.stop()
    if proc.returncode not in ok:
        shown = " ".join(cmd[:3])
        raise SystemExit(f"{shown} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return wall, proc.stdout, peak, name


def fazhi(*args: str) -> list[str]:
    return [str(VENV_BIN / "fazhi"), *args]


def write_manifest(path: Path, pairs: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", "year"])
        writer.writerows((body.short_name, year) for body, year in pairs)
    return path


def pages(out: Path) -> dict[str, bytes]:
    """Every page a batch wrote (the index pages aside), by path relative to its output root."""
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.html")
            if p.name != "index.html" and "index" not in p.relative_to(out).parts[:1]}


def overview_pages(data: Path, work: Path) -> dict:
    """The overview pages of the largest district and the largest province of YEAR, each built on a warm
    worker (its own build time, as a batch reports it) after the worker started."""
    from fazhi_analysis.batch.plan import Selection, plan_batch
    from fazhi_analysis.batch.pool import process_pool, run_items
    from fazhi_analysis.data.store import open_store
    from fazhi_analysis.render.jobs import OverviewJob

    years = open_store(data).years
    present = [b for b, ys in years.items() if YEAR in ys]
    sizes: dict[tuple, int] = {}
    for b in present:
        sizes[(b.province, b.district)] = sizes.get((b.province, b.district), 0) + 1
        sizes[(b.province,)] = sizes.get((b.province,), 0) + 1
    district = max((k for k in sizes if len(k) == 2), key=sizes.get)
    province = max((k for k in sizes if len(k) == 1), key=sizes.get)
    out = {}
    for scope in (district, province):
        body = next(b for b in present if (b.province, b.district)[:len(scope)] == scope)
        _, selected = plan_batch(data, work / "overviews", Selection(units=(body.short_name,), years=(YEAR,)))
        item = next(i for i in selected if isinstance(i.job, OverviewJob) and i.job.scope == scope)
        memory = PeakProcess()
        with process_pool(1) as executor:
            [result] = run_items([item], executor, warm_workers=1)
        peak, name = memory.stop()
        if result.status != "built":
            raise SystemExit(f"overview {scope} failed: {result.error}")
        out[scope] = {"bodies": sizes[scope], "seconds": result.seconds, "peak": peak, "peak_name": name,
                      "html_bytes": item.job.html_path.stat().st_size}
    return out


def dask_run(data: Path, manifest: Path, out: Path) -> dict:
    from distributed import Client, LocalCluster

    from fazhi_analysis.batch.cluster import snapshots_written

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        wall, stdout, peak, name = timed(fazhi("batch", "--data-dir", str(data), "--output-root", str(out),
                                               "--manifest", str(manifest), "--no-overview",
                                               "--scheduler", cluster.scheduler_address), ok=(0, 1))
        written = client.run(snapshots_written)
    return {"wall_s": wall, "stdout": stdout, "peak": peak, "peak_name": name, "written": written}


def summary_counts(stdout: str) -> str:
    match = re.search(r"共 \d+ 份：.*?失败 \d+", stdout)
    return match.group(0) if match else "(no summary)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, default=None, help="work under this folder and keep it")
    parser.add_argument("--runs", type=int, default=3, help="towns timed with fazhi report (median)")
    parser.add_argument("--local-pages", type=int, default=2000)
    parser.add_argument("--dask-pages", type=int, default=5000)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-validate", action="store_true", help="when its figure is known from a run before")
    parser.add_argument("--bodies", type=int, default=38_000, help="a smaller country to try the benchmark out")
    parser.add_argument("--provinces", type=int, default=31)
    parser.add_argument("--districts", type=int, default=2_800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fazhi-country-") as tmp:
        work = (args.keep or Path(tmp)).resolve()
        data = work / "data"
        started = time.perf_counter()
        if not (data / "observations.csv").is_file():
            make_national_data(work, args.bodies, args.provinces, args.districts)
        print(f"synthetic country: {(data / 'observations.csv').stat().st_size / 1e6:.0f} MB of CSV "
              f"({time.perf_counter() - started:.0f} s to write, or kept from before)")
        for old in (data / ".store").glob("*"):
            old.unlink()  # validate and build from scratch

        figures: dict[str, tuple] = {"validate": (float("nan"), 0, "")}
        if not args.skip_validate:
            wall, stdout, peak, name = timed(fazhi("validate", str(data)))
            figures["validate"] = (wall, peak, name)
            print(f"fazhi validate: {wall:.1f} s (CPU {list(CPU_SECONDS.values())[-1]:.1f} s); {stdout.strip()}; "
                  f"peak {peak / GB:.2f} GB ({name}); load average {os.getloadavg()[0]:.1f}")
        wall, stdout, peak, name = timed(fazhi("store", "--data-dir", str(data)))
        figures["build"] = (wall, peak, name)
        print(f"fazhi store (build): {wall:.1f} s (CPU {list(CPU_SECONDS.values())[-1]:.1f} s); {stdout.strip()}; "
              f"peak {peak / GB:.2f} GB ({name}); load average {os.getloadavg()[0]:.1f}")
        again, stdout, *_ = timed(fazhi("store", "--data-dir", str(data)))
        print(f"fazhi store (unchanged, nothing rebuilt): {again:.2f} s")
        store_bytes = sum(p.stat().st_size for p in (data / ".store").glob("*.parquet"))
        print(f"store: {store_bytes / 1e6:.1f} MB of Parquet")

        from fazhi_analysis.data.store import open_store

        years = open_store(data).years
        rng = random.Random(24)
        towns = rng.sample([b for b, ys in years.items() if YEAR in ys], args.runs)
        page_walls, page_peak = [], (0, "")
        for town in towns:
            wall, stdout, peak, name = timed(fazhi("report", "--unit", town.short_name, "--year", str(YEAR),
                                                   "--data-dir", str(data), "--output-root", str(work / "report")))
            page_walls.append(wall)
            page_peak = max(page_peak, (peak, name))
        figures["page"] = (statistics.median(page_walls), *page_peak)
        print(f"fazhi report, {args.runs} towns: " + ", ".join(f"{w:.2f} s" for w in page_walls)
              + f"; median {statistics.median(page_walls):.2f} s")

        overviews = overview_pages(data, work)
        for scope, o in overviews.items():
            print(f"overview {'-'.join(scope)} ({o['bodies']} bodies in {YEAR}): {o['seconds']:.1f} s on a warm "
                  f"worker; page {o['html_bytes'] / 1e6:.2f} MB; peak {o['peak'] / GB:.2f} GB ({o['peak_name']})")

        pairs = [(b, y) for b, ys in sorted(years.items()) for y in sorted(ys)]
        chosen = rng.sample(pairs, args.dask_pages)
        local_manifest = write_manifest(work / "local.csv", chosen[:args.local_pages])
        wall, stdout, peak, name = timed(fazhi("batch", "--data-dir", str(data), "--output-root", str(work / "local"),
                                               "--manifest", str(local_manifest), "--no-overview", "--workers", "2"),
                                         ok=(0, 1))
        figures["batch"] = (wall / args.local_pages, peak, name)
        print(f"local batch of {args.local_pages} pages: {wall:.1f} s = {wall / args.local_pages:.3f} s per page; "
              f"{summary_counts(stdout)}; peak {peak / GB:.2f} GB ({name})")

        dask = None
        if not args.skip_dask:
            dask = dask_run(data, write_manifest(work / "dask.csv", chosen), work / "dask")
            local, remote = pages(work / "local"), pages(work / "dask")
            shared = set(local) & set(remote)
            dask["same"] = sum(local[k] == remote[k] for k in shared)
            dask["shared"] = len(shared)
            print(f"Dask batch of {args.dask_pages} pages on a LocalCluster of 2 workers: {dask['wall_s']:.1f} s = "
                  f"{dask['wall_s'] / args.dask_pages:.3f} s per page; {summary_counts(dask['stdout'])}; "
                  f"peak {dask['peak'] / GB:.2f} GB ({dask['peak_name']})")
            print(f"  HTML files (leadership and analyst) shared with the local batch: {dask['shared']}, "
                  f"byte-identical: {dask['same']}")
            print(f"  store written out per worker: {dask['written']}")

        peaks = [figures[k][1] for k in ("validate", "build", "page", "batch")]
        peaks += [o["peak"] for o in overviews.values()] + ([dask["peak"]] if dask else [])
        district, province = list(overviews.values())
        rows = [
            ("building the store from CSV", f"< {TARGETS['build_s']:.0f} s", f"{figures['build'][0]:.1f} s",
             figures["build"][0] < TARGETS["build_s"]),
            ("validating", f"< {TARGETS['validate_s']:.0f} s", f"{figures['validate'][0]:.1f} s",
             figures["validate"][0] < TARGETS["validate_s"]),
            ("peak memory of any one process", "< 4 GB", f"{max(peaks) / GB:.2f} GB",
             max(peaks) < TARGETS["peak_bytes"]),
            ("one town's page (fazhi report)", "< 3 s", f"{figures['page'][0]:.2f} s", figures["page"][0] < 3),
            (f"one district overview ({district['bodies']} bodies)", "< 10 s", f"{district['seconds']:.1f} s",
             district["seconds"] < TARGETS["district_s"]),
            (f"one province overview ({province['bodies']} bodies)", "< 60 s", f"{province['seconds']:.1f} s",
             province["seconds"] < TARGETS["province_s"]),
            (f"per page, local batch of {args.local_pages}", "≤ 0.33 s", f"{figures['batch'][0]:.3f} s",
             figures["batch"][0] <= TARGETS["per_page_s"]),
        ]
        if dask:
            once = len(dask["written"]) == 2 and all(list(w.values()) == [1] for w in dask["written"].values())
            times = [sum(w.values()) for w in dask["written"].values()]
            rows.append((f"Dask {args.dask_pages} pages, 2 workers", "identical, store once/worker",
                         f"{dask['same']}/{dask['shared']} same; sent {times}",
                         dask["same"] == dask["shared"] > 0 and once))
        print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
        print("CPU seconds of each command (its own and its children's): "
              + "; ".join(f"{k} {v:.1f}" for k, v in CPU_SECONDS.items()))
        print(f"\n{'target':<48}{'goal':<32}{'measured':<30}met")
        for what, goal, got, met in rows:
            print(f"{what:<48}{goal:<32}{got:<30}{'yes' if met else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
