"""How long `fazhi preview` takes from saving a data file to serving the new page (the target for one town:
under 1 s). Starts the real `fazhi preview` on a copy of data/ (never data/ itself), waits for its first
build, then saves observations.csv EDITS times (each time one figure's value changes, the file replaced
atomically as an editor saves it) and times each save until /status reports the new build and, for a
town's page, /page.html holds the new figure. Prints every time and the median.

    .venv/bin/python benchmarks/preview_speed.py                      # 峡口镇 2023, the annual page
    .venv/bin/python benchmarks/preview_speed.py --district 巫溪县 --year 2025
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURE = "法治文艺演出"
START_TIMEOUT_S = 120
BUILD_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status(url: str) -> dict:
    with urllib.request.urlopen(url + "status", timeout=5) as response:
        return json.load(response)


def page(url: str) -> str:
    with urllib.request.urlopen(url + "page.html", timeout=5) as response:
        return response.read().decode("utf-8")


def figure_row(province: str, district: str, body: str, year: int, value: int) -> str:
    return (f"{province},{district},{body},{year},measures,,legal_education,{FIGURE},,{value},场,,{value}场,"
            f"benchmark,\n")


def save(path: Path, text: str) -> None:
    """As an editor saves: a complete new file renamed over the old one."""
    tmp = path.with_name(f".{path.name}.bench")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def start(data: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    port = free_port()
    which = ["--district", args.district] if args.district else ["--unit", args.unit]
    process = subprocess.Popen([sys.executable, "-m", "fazhi_analysis.cli.main", "preview", *which, "--year",
                                str(args.year), "--data-dir", str(data), "--port", str(port)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if status(url)["version"] >= 1:
                return process, url
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"fazhi preview stopped: {process.stdout.read()}")
        time.sleep(0.05)
    process.kill()
    raise SystemExit("fazhi preview did not build its first page in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="峡口镇")
    parser.add_argument("--district", default=None)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--edits", type=int, default=9)
    args = parser.parse_args()
    args.year = args.year or (2025 if args.district else 2023)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data)
        observations = data / "observations.csv"
        original = observations.read_text(encoding="utf-8")
        place = next(line.split(",")[:3] for line in original.splitlines()[1:]
                     if line.split(",")[2 if not args.district else 1] == (args.district or args.unit))
        process, url = start(data, args)
        times = []
        try:
            for n in range(1, args.edits + 1):
                before = status(url)["version"]
                value = 100 + n
                save(observations, original + figure_row(*place, args.year, value))
                saved = time.perf_counter()
                deadline = time.monotonic() + BUILD_TIMEOUT_S
                while True:
                    state = status(url)
                    # the annual page shows the new figure itself; a district page counts it (its own item)
                    if state["version"] > before and (args.district or re.search(rf"{value}\s*场", page(url))):
                        break
                    if state["state"] == "error" or time.monotonic() > deadline:
                        raise SystemExit(f"edit {n}: {state}")
                    time.sleep(0.01)
                times.append(time.perf_counter() - saved)
                print(f"edit {n}: {times[-1]:.2f} s from save to the new page served")
        finally:
            process.terminate()
            process.wait(timeout=30)
    what = f"{args.district} {args.year}年 概览" if args.district else f"{args.unit} {args.year}年"
    print(f"{what}: median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s "
          f"over {len(times)} saves (target for one town: under 1 s)")


if __name__ == "__main__":
    main()
