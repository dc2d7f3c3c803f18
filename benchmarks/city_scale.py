"""Benchmark: `fazhi batch` for a whole city of synthetic bodies (benchmarks/synthetic.py; a temp data dir,
never data/), at several sizes, to show how the cost grows with the number of reports.

For each size it reports: wall time and seconds per report; the time of each overview page and of a
year's overview pages together; peak memory (RSS summed over the batch's process tree: CLI, workers,
their kernels); the largest page and the index. With --overviews-only it builds just the overview pages
(a process pool, as the batch does) — the check of page sizes and overview times at 1,000 bodies without
the ~3,000 body pages.

    .venv/bin/python benchmarks/city_scale.py --bodies 100 --years 2023-2025          # ~4 min on 2 cores
    .venv/bin/python benchmarks/city_scale.py --bodies 1000 --years 2023-2025 --overviews-only
    .venv/bin/python benchmarks/city_scale.py --bodies 100,1000 --years 2023-2025     # the full run (~40 min)
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_speed import VENV_BIN, PeakTreeMemory  # noqa: E402
from synthetic import make_synthetic_data  # noqa: E402

MB = 1_000_000
SUMMARY_LINE = re.compile(r"^(?P<caption>.+?)\s+(?P<status>已生成|失败)\s+(?P<seconds>[\d.]+)\s")


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def _sizes(out: Path) -> tuple[int, Path | None, int]:
    pages = [p for p in out.rglob("*.html") if p.name != "index.html"]
    largest = max(pages, key=lambda p: p.stat().st_size, default=None)
    index = out / "index.html"
    return (largest.stat().st_size if largest else 0), largest, (index.stat().st_size if index.is_file() else 0)


def full_batch(data: Path, out: Path, workers: int) -> dict:
    cmd = [str(VENV_BIN / "fazhi"), "batch", "--data-dir", str(data), "--output-root", str(out),
           "--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakTreeMemory(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    peak = memory.stop()
    items = [m.groupdict() for m in map(SUMMARY_LINE.match, stdout.splitlines()) if m]
    overviews = [(i["caption"], float(i["seconds"])) for i in items if "比较" in i["caption"]]
    failed = [i["caption"] for i in items if i["status"] == "失败"]
    n_reports = len(items) - len(overviews)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"fazhi batch failed ({proc.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    return {"wall_s": wall, "reports": n_reports, "overviews": overviews, "failed": failed, "peak": peak,
            "per_report_s": wall / max(1, len(items))}


def overviews_only(data: Path, out: Path, workers: int) -> dict:
    from fazhi_analysis.batch.plan import Selection, plan_batch
    from fazhi_analysis.batch.pool import process_pool, run_items
    from fazhi_analysis.data.dataset import load_dataset
    from fazhi_analysis.render.jobs import OverviewJob

    _, selected = plan_batch(data, out, Selection())
    items = [i for i in selected if isinstance(i.job, OverviewJob)]
    started = time.perf_counter()
    memory = PeakTreeMemory(__import__("os").getpid())
    with process_pool(min(workers, len(items))) as executor:
        results = run_items(items, executor, warm_workers=min(workers, len(items)),
                            before_run=lambda: load_dataset(data))
    wall = time.perf_counter() - started
    peak = memory.stop()
    return {"wall_s": wall, "reports": 0, "peak": peak, "per_report_s": float("nan"),
            "overviews": [(r.item.caption, r.seconds) for r in results],
            "failed": [f"{r.item.caption}: {r.error}" for r in results if r.status == "failed"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", default="100,1000", help="comma-separated sizes")
    parser.add_argument("--districts", type=int, default=8)
    parser.add_argument("--years", default="2023-2025")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--overviews-only", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="build under this folder and keep it")
    args = parser.parse_args()
    years = _years(args.years)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fazhi-city-") as tmp:
        base = args.keep or Path(tmp)
        for n in (int(x) for x in args.bodies.split(",")):
            root = base / f"city-{n}"
            data = make_synthetic_data(root, n, args.districts, years)
            out = root / "out"
            build = overviews_only if args.overviews_only else full_batch
            run = build(data, out, args.workers)
            largest, largest_path, index = _sizes(out)
            by_year: dict[str, float] = {}
            for caption, seconds in run["overviews"]:
                year = re.search(r"(\d{4})年", caption)[1]
                by_year[year] = by_year.get(year, 0.0) + seconds
            print(f"\n== {n} bodies × {len(years)} years in {args.districts} districts "
                  f"({'overview pages only' if args.overviews_only else 'fazhi batch'}, {args.workers} workers)")
            print(f"wall {run['wall_s']:.1f} s; body reports {run['reports']}; "
                  f"seconds per page (wall / pages) {run['per_report_s']:.2f}")
            times = [s for _, s in run["overviews"]]
            print(f"overview pages: {len(times)}, each {min(times):.1f}–{max(times):.1f} s "
                  f"(median {statistics.median(times):.1f}); a year's together (sum of page times): "
                  + ", ".join(f"{y}: {s:.1f} s" for y, s in sorted(by_year.items())))
            for caption, seconds in sorted(run["overviews"]):
                print(f"    {caption:<24} {seconds:5.1f} s")
            print(f"peak memory {run['peak'] / 2**20:.0f} MiB; largest page {largest / MB:.2f} MB "
                  f"({largest_path.relative_to(out) if largest_path else '—'}); index {index / MB:.2f} MB")
            if run["failed"]:
                print("FAILED: " + "; ".join(run["failed"]))
            rows.append((n, run, largest, index, by_year))
    if len(rows) > 1:
        (n0, r0, *_), (n1, r1, *_) = rows[0], rows[-1]
        print(f"\ngrowth {n0} → {n1} bodies ({n1 / n0:.0f}× the bodies): wall {r1['wall_s'] / r0['wall_s']:.1f}×, "
              f"peak memory {r1['peak'] / r0['peak']:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
