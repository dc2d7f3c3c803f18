"""Benchmark: what running `fazhi batch` on Dask costs against the local process pool, on one machine.

Both use 2 workers (local: `--workers 2`; Dask: `dask scheduler` and two `dask worker --nthreads 1` on
127.0.0.1, started once from Dask's CLI as a real cluster would be). Each is timed on two batch sizes, runs interleaved
(local, Dask, local, …) so a change in the machine's load hits both alike:
- marginal seconds per report = (T(large) - T(small)) / (large - small): the start-up (imports, kernel
  start, plugin registration) cancels out; the overhead Dask adds per report is the difference;
- fixed cost = T(small) - small × marginal;
- CPU seconds of every process involved (sampled process trees: client, pool workers or Dask workers with
  their kernels, scheduler), which a shared machine's load disturbs far less than wall time;
- the client's and the scheduler's CPU per report (marginal too), which bound how far more workers help:
  throughput(W) ≈ min(W / worker seconds per report, 1 / client seconds per report).
The HTML of the two paths is compared byte for byte. Data: benchmarks/batch_speed.py's make_data (real
body-years, then fixture bodies marked in their source column) in a temporary folder.

    .venv/bin/python benchmarks/dask_overhead.py                 # 8 and 24 reports, 3 runs each
    .venv/bin/python benchmarks/dask_overhead.py --small 4 --large 12 --runs 1
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from fazhi_analysis.atomic import write_bytes_atomic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_speed import make_data  # noqa: E402  (a sibling script, not a package)

VENV_BIN = Path(sys.executable).parent
WORKERS = 2
PROJECTED_WORKERS = (1, 2, 4, 8, 16, 32, 64)


class TreeCPU:
    """CPU seconds used while it runs by some processes and all their descendants (kernels, pool workers),
    sampled every 50 ms; a process that exits between samples loses at most its last 50 ms."""

    def __init__(self, roots: list[int]):
        self.roots, self.base, self.last = roots, {}, {}
        self._stop = threading.Event()
        self._sample(self.base)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self, into: dict[int, float]) -> None:
        for root in self.roots:
            try:
                procs = [psutil.Process(root)]
                procs += procs[0].children(recursive=True)
            except psutil.Error:
                continue
            for proc in procs:
                try:
                    t = proc.cpu_times()
                    into[(proc.pid, proc.create_time())] = t.user + t.system
                except psutil.Error:
                    pass

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self._sample(self.last)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self._sample(self.last)
        return sum(cpu - self.base.get(key, 0.0) for key, cpu in self.last.items())


def timed_batch(root: Path, manifest: Path, out: Path, extra: list[str], cluster: dict[str, list[int]]) -> dict:
    """Wall seconds and CPU seconds of the fazhi process tree (for the local pool: its workers and kernels
    too), the Dask workers' trees (nanny, worker, kernel) and the scheduler's."""
    cmd = [str(VENV_BIN / "fazhi"), "batch", "--data-dir", str(root / "data"), "--output-root", str(out),
           "--manifest", str(manifest), "--no-overview", "--force", *extra]
    workers, scheduler = TreeCPU(cluster.get("workers", [])), TreeCPU(cluster.get("scheduler", []))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = TreeCPU([proc.pid])
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    cpu = {"client": client.stop(), "workers": workers.stop(), "scheduler": scheduler.stop()}
    if proc.returncode != 0:
        raise SystemExit(f"fazhi batch failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return {"wall": wall, **cpu, "cpu": sum(cpu.values())}


def start_cluster(root: Path) -> tuple[str, list[subprocess.Popen]]:
    """`dask scheduler` and WORKERS `dask worker` processes on loopback, dashboards off."""
    dask, scheduler_file = str(VENV_BIN / "dask"), root / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(scheduler_file)], stderr=subprocess.DEVNULL)]
    while not scheduler_file.is_file():
        time.sleep(0.1)
    for i in range(WORKERS):
        procs.append(subprocess.Popen([dask, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1",
                                       "--local-directory", str(root / f"space-{i}")], stderr=subprocess.DEVNULL))
    from distributed import Client

    address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
    with Client(address, set_as_default=False) as client:
        client.wait_for_workers(WORKERS, timeout=120)
    return address, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=60)


def commit_wall_s(built: Path, target: Path, repeats: int = 20) -> float:
    """Median wall time of the client's part of one report: write a built page's files as commit_page does
    (atomic, fsynced) and its sidecar."""
    from fazhi_analysis.batch.fingerprint import Fingerprint, write_sidecar

    html = next(p for p in built.rglob("*数据分析.html"))
    stem = html.name.removesuffix(".html")
    files = {name: (html.parent / name).read_bytes() for name in (html.name, f"{stem}-analyst.html", f"{stem}.ipynb")}
    times = []
    for i in range(repeats):
        out = target / str(i)
        started = time.perf_counter()
        out.mkdir(parents=True)
        for name, blob in files.items():
            write_bytes_atomic(out / name, blob)
        write_sidecar(out / html.name, Fingerprint((("x", "y"),)))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def paired_overhead(runs: dict, what: str, small: int, large: int) -> list[float]:
    """Dask's marginal per report over the local pool's, from each run's own four batches (the spread
    shows how much the machine's load moved the figures)."""
    def marginal(way: str, i: int) -> float:
        return (runs[way, large][i][what] - runs[way, small][i][what]) / (large - small)

    return [marginal("dask", i) / marginal("local", i) - 1 for i in range(len(runs["local", small]))]


def htmls(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html")) if p.name != "index.html"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=8)
    parser.add_argument("--large", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: still stop the cluster
    with tempfile.TemporaryDirectory(prefix="fazhi-dask-bench-") as tmp:
        root = Path(tmp)
        chosen = make_data(root, args.large)
        manifests = {}
        for n in (args.small, args.large):
            manifests[n] = root / f"manifest-{n}.csv"
            manifests[n].write_text("unit,year\n" + "".join(f"{u},{y}\n" for u, y in chosen[:n]), encoding="utf-8")
        address, procs = start_cluster(root)
        cluster = {"scheduler": [procs[0].pid], "workers": [p.pid for p in procs[1:]]}
        try:
            print(f"{WORKERS} workers each way; batches of {args.small} and {args.large} reports; {args.runs} runs, "
                  f"interleaved; {psutil.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
            runs = {(way, n): [] for way in ("local", "dask") for n in manifests}
            for run in range(args.runs):
                for n, manifest in manifests.items():
                    local = timed_batch(root, manifest, root / f"local-{n}-{run}", ["--workers", str(WORKERS)], {})
                    dask = timed_batch(root, manifest, root / f"dask-{n}-{run}", ["--scheduler", address], cluster)
                    runs["local", n].append(local)
                    runs["dask", n].append(dask)
                    same = htmls(root / f"local-{n}-{run}") == htmls(root / f"dask-{n}-{run}")
                    print(f"  run {run + 1}, {n:3d} reports: wall local {local['wall']:5.1f} s, "
                          f"dask {dask['wall']:5.1f} s; CPU local {local['cpu']:5.1f} s, dask {dask['cpu']:5.1f} s; "
                          f"HTML byte-identical: {same}")
                    if not same:
                        raise SystemExit("the Dask batch's HTML differs from the local batch's")
            commit_s = commit_wall_s(root / f"dask-{args.large}-0", root / "commit")
        finally:
            stop_cluster(procs)

    span = args.large - args.small

    def med(way: str, n: int, what: str) -> float:
        return statistics.median(r[what] for r in runs[way, n])

    def marginal(way: str, what: str) -> float:
        return (med(way, args.large, what) - med(way, args.small, what)) / span

    print()
    print(f"{'(medians)':34} {'local pool':>12} {'dask':>12}")
    for n in manifests:
        print(f"{f'wall, {n} reports':34} {med('local', n, 'wall'):10.1f} s {med('dask', n, 'wall'):10.1f} s")
        print(f"{f'CPU, {n} reports (all processes)':34} {med('local', n, 'cpu'):10.1f} s "
              f"{med('dask', n, 'cpu'):10.1f} s")
    for what, label in (("wall", "wall"), ("cpu", "CPU")):
        local, dask = marginal("local", what), marginal("dask", what)
        print(f"{f'{label} per report (marginal)':34} {local:10.3f} s {dask:10.3f} s   "
              f"Dask adds {dask - local:+.3f} s = {dask / local - 1:+.1%}")
        per_run = sorted(paired_overhead(runs, what, args.small, args.large))
        print(f"{'':34} run by run (same run's batches): {', '.join(f'{o:+.0%}' for o in per_run)}")
    print("overhead target: < 10 % per report. CPU is the figure that holds on a shared machine; wall on two "
          "cores follows it only when nothing else runs.")
    client_per, scheduler_per = marginal("dask", "client"), marginal("dask", "scheduler")
    worker_s = marginal("dask", "workers")  # one worker's CPU seconds per report (worker + its kernel)
    print(f"per report on Dask: worker + kernel {worker_s:.3f} s CPU, client {client_per * 1000:.0f} ms, "
          f"scheduler {scheduler_per * 1000:.0f} ms")
    print(f"client's commit of one page (3 atomic fsynced writes + sidecar), wall: {commit_s * 1000:.0f} ms")
    ceiling = 1 / max(client_per, commit_s, scheduler_per, 1e-3)
    print(f"projected throughput with one core per worker (the one client and scheduler cap it at "
          f"{ceiling * 60:.0f}/min):")
    for workers in PROJECTED_WORKERS:
        per_min = min(workers / worker_s, ceiling) * 60
        print(f"  {workers:3d} workers: {per_min:7.0f} reports/min   (10^5 reports in {1e5 / per_min / 60:5.1f} h)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
