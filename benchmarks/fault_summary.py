"""Count what faults do to the real CLI: hostile and faulty cases of every class, then disk faults and signals.

    .venv/bin/python benchmarks/fault_summary.py                 (all; as root for mounts, mknod, setpriv)
    .venv/bin/python benchmarks/fault_summary.py --class time    (one class; repeatable)
    .venv/bin/python benchmarks/fault_summary.py --no-disk       (skip the disk and signal probes)

Part 1, the cases of tests/hostile/ (the examples issue 23 reported, which tests/integration/test_fault_cases.py also
runs, and more of each class): time (a cell that never returns, a kernel that dies, schedulers that are
not one, a stopped cluster, FIFOs), temporaries (SIGKILL at the moment a temporary file is committed,
then the next run), own (the user's files in an output root, colliding bodies, device nodes, two runs
writing one -o), names (names that climb out of their folder), tracebacks (characters XML cannot hold,
encodings, socket paths), limits (/dev/zero, an endless stdin, an oversized draft), blame (errors that
name the file and row). Every run has its own deadline (the sandbox kills a run still going and counts a
hang; no outside `timeout` command). Printed per class: cases, hangs, tracebacks, data lost, temporaries
left, files outside fazhi's own touched, and outcomes other than the case expects.

Part 2, the earlier probes (as root: it mounts size-limited tmpfs): a full disk at three stages of
`fazhi report` and in `fazhi batch`, a read-only output root (report and batch), an output root that is a
file, unreadable data (validate, report; root without CAP_DAC_OVERRIDE via setpriv), and SIGKILL /
SIGTERM / SIGINT of a batch and SIGKILL of a report. Printed: faults tried, clean errors (exit 2 with a
message, or the interrupted exit code), tracebacks, data lost (a file that was there before and changed),
processes left 5 s after a signal, /tmp/fazhi-* folders of killed processes left after the next run.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "hostile"))
import cases  # noqa: E402
from cases import CASES, CLASSES, missing, run_case  # noqa: E402
from sandbox import Tally  # noqa: E402

cases.BUDGETS_COUNT = True  # here a run over its case's time budget is an unexpected outcome

COLUMNS = (("cases", "cases"), ("hangs", "hangs"), ("tracebacks", "tracebacks"), ("data_lost", "data lost"),
           ("temporaries_left", "temps left"), ("outside_touched", "outside own"), ("unexpected", "unexpected"))
FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
counts = dict.fromkeys(["tried", "clean", "tracebacks", "data_lost", "processes_left", "temp_left"], 0)


def run(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *FAZHI, *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "filler"}


def record(result: subprocess.CompletedProcess, root: Path | None = None, before: dict | None = None) -> None:
    counts["tried"] += 1
    counts["clean"] += result.returncode == 2 and "Traceback" not in result.stderr and "fazhi" in result.stderr
    counts["tracebacks"] += "Traceback" in result.stderr
    if root is not None and before is not None:
        counts["data_lost"] += snapshot(root) != before


def fill(path: Path, leave: int) -> None:
    (path / "filler").unlink(missing_ok=True)
    stat = os.statvfs(path)
    with (path / "filler").open("wb") as handle:
        try:
            handle.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - leave))
        except OSError:
            pass


def mounted(path: Path, size: str) -> Path:
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    return path


def small_data(tmp: Path) -> Path:
    data = tmp / "data"
    shutil.copytree(REPO / "data", data)
    lines = (data / "observations.csv").read_text(encoding="utf-8").splitlines()
    seed = [line for line in lines[1:] if ",南岸区,峡口镇," in line]
    extra = [line.replace(",南岸区,峡口镇,", f",测试区,{name},") for name in ("示例镇甲", "示例镇乙") for line in seed]
    (data / "observations.csv").write_text("\n".join([lines[0], *seed, *extra]) + "\n", encoding="utf-8")
    return data


def disk_faults(tmp: Path, data: Path) -> None:
    out = mounted(tmp / "full", "2m")
    run("report", "--output-root", str(out))
    before = snapshot(out)
    sizes = sorted(len(b) for b in before.values())  # html, analyst, notebook
    for leave in (sizes[2] // 2, sizes[2] + sizes[1] // 2, sizes[2] + sizes[1] + sizes[0] // 2):
        fill(out, leave)
        record(run("report", "--output-root", str(out)), out, before)
    (out / "filler").unlink()
    batch = ("batch", "--data-dir", str(data), "--output-root", str(out), "--workers", "2", "--no-overview")
    run(*batch)
    before = snapshot(out)
    fill(out, 0)
    record(run(*batch, "--force"), out, before)
    (out / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    record(run("report", "--output-root", str(out)), out, before)
    record(run(*batch, "--force"), out, before)
    subprocess.run(["umount", "-l", str(out)], check=True)

    a_file = tmp / "a-file"
    a_file.write_text("x", encoding="utf-8")
    record(run("report", "--output-root", str(a_file)))
    unreadable = tmp / "unreadable"
    shutil.copytree(data, unreadable)
    (unreadable / "observations.csv").chmod(0)
    record(run("validate", str(unreadable), prefix=tuple(NO_DAC)))
    record(run("report", "--data-dir", str(unreadable), "--output-root", str(tmp / "o2"), prefix=tuple(NO_DAC)))


def signal_faults(tmp: Path, data: Path) -> None:
    for signum, command in ((signal.SIGKILL, "batch"), (signal.SIGTERM, "batch"), (signal.SIGINT, "batch"),
                            (signal.SIGKILL, "report")):
        out = tmp / f"sig-{command}-{signum}"
        args = ["batch", "--data-dir", str(data), "--workers", "2", "--force", "--no-overview"] \
            if command == "batch" else ["report"]
        proc = subprocess.Popen([*FAZHI, *args, "--output-root", str(out)], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        want = 2 if command == "batch" else 1
        tree: list[psutil.Process] = []
        while proc.poll() is None:
            tree = psutil.Process(proc.pid).children(recursive=True)
            if sum("ipykernel_launcher" in " ".join(p.cmdline()) for p in tree if p.is_running()) >= want:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signum)
        _, err = proc.communicate()
        time.sleep(5)
        alive = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        counts["tried"] += 1
        counts["processes_left"] += len(alive)
        counts["tracebacks"] += "Traceback" in err
        counts["clean"] += not alive and proc.returncode in (-9, 128 + signum)
        for p in alive:
            p.kill()
        run("report", "--output-root", str(tmp / "next"))  # the next run tidies what a dead owner left
        pids = {proc.pid, *(p.pid for p in tree)}
        counts["temp_left"] += sum(1 for name in os.listdir(tempfile.gettempdir())
                                   if name.startswith("fazhi-") and any(f"-{pid}-" in name for pid in pids))


def hostile_cases(classes: list[str], verbose: bool, deadline_s: float | None = None) -> bool:
    """Part 1: every case of the chosen classes in its own sandbox; a table of what they counted."""
    tallies = {klass: Tally() for klass in classes}
    issue, skipped = Tally(), {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fazhi-faults-") as name:
        for number, case in enumerate(c for c in CASES if c.klass in classes):
            reason = next((missing(need) for need in sorted(case.needs) if missing(need)), None)
            if reason:
                skipped[case.id] = reason
                continue
            tally = run_case(case, Path(name) / f"{number:03d}", deadline_s)
            tallies[case.klass].add(tally)
            if case.issue:
                issue.add(tally)
            if verbose or not tally.clean:
                print(f"{'clean' if tally.clean else 'FAULT'}  {case.klass:<11} {case.id}", flush=True)
                if not tally.clean:
                    print("\n".join(tally.details), flush=True)
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    print(f"{'class':<15}" + "".join(f"{label:>12}" for _, label in COLUMNS))
    for label, tally in [*tallies.items(), ("all", total), ("issue 23's own", issue)]:
        print(f"{label:<15}" + "".join(f"{getattr(tally, key):>12}" for key, _ in COLUMNS))
    print(f"cases {total.cases} · hangs {total.hangs} · tracebacks {total.tracebacks} · data lost {total.data_lost} · "
          f"temporaries left {total.temporaries_left} · files outside fazhi's own touched {total.outside_touched} · "
          f"unexpected outcomes {total.unexpected} ({time.perf_counter() - started:.0f} s)")
    for case_id, reason in skipped.items():
        print(f"skipped {case_id}: {reason}")
    return total.clean


def disk_and_signal_probes() -> bool:
    """Part 2, the earlier probes (root only)."""
    if os.geteuid() != 0:
        print("disk and signal probes: skipped (need root: mount, setpriv)")
        return True
    with tempfile.TemporaryDirectory(prefix="fzfault-") as name:
        tmp = Path(name)
        os.chmod(tmp, 0o755)
        data = small_data(tmp)
        started = time.perf_counter()
        disk_faults(tmp, data)
        signal_faults(tmp, data)
        seconds = time.perf_counter() - started
    print(f"disk and signals: faults tried {counts['tried']} · clean errors {counts['clean']} · tracebacks "
          f"{counts['tracebacks']} · data lost {counts['data_lost']} · processes left {counts['processes_left']} · "
          f"/tmp/fazhi-* left {counts['temp_left']} ({seconds:.0f} s)")
    return counts["clean"] == counts["tried"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="classes", action="append", choices=CLASSES,
                        help="only these classes of case (default: all)")
    parser.add_argument("--no-disk", action="store_true", help="skip the disk and signal probes (part 2)")
    parser.add_argument("--verbose", action="store_true", help="one line per case")
    parser.add_argument("--checkout", type=Path, help="run the cases against the fazhi_analysis of another checkout "
                        "(e.g. `git worktree add /tmp/before main`), to measure before and after")
    parser.add_argument("--deadline", type=float, default=None,
                        help="seconds after which a run counts as hung and is killed (default 180)")
    args = parser.parse_args()
    if args.checkout:
        os.environ["PYTHONPATH"] = str(args.checkout.resolve())  # the fazhi runs import that package
        print(f"fazhi_analysis from {args.checkout.resolve()}")
    clean = hostile_cases(args.classes or list(CLASSES), args.verbose, args.deadline)
    if not args.no_disk and not args.classes:
        clean = disk_and_signal_probes() and clean
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
