"""A scratch world for one fault case, and what it counts.

Shared by tests/integration/test_fault_cases.py (the issue's own cases) and benchmarks/fault_summary.py
(those and more of each class), so both count the same thing. A sandbox holds a data directory (the seed body, plus
fixture bodies when asked), an output root, a current folder for commands that write beside the user
(`work/here`) and its parent (`work`, where an escaping name would land), and files that are the user's,
not fazhi's, in each of them. Every fazhi run gets its own deadline: a run still going then is killed
with its whole process group and counted as a hang (no outside `timeout` command is used).

Counted after a case: hangs, tracebacks, data lost (a file that was there before, changed or gone where
the case does not let fazhi write, and what the case itself found lost, such as one page overwritten by
another body's), temporaries left (any `.fazhi-*` file once the case is over: every case that kills a run
ends with the next run, which must tidy it), and files outside fazhi's own touched (anything created,
changed or deleted outside the paths the case lets fazhi write, and the user's files anywhere).
"""

import csv
import fnmatch
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
SEED = ("重庆市", "南岸区", "峡口镇")
SEED_RAW = "重庆市南岸区峡口镇_2023.txt"
DEADLINE_S = 180.0  # far beyond any healthy run here; a run still going then has hung
USER_FILES = {  # the user's, not fazhi's: each must be there, byte for byte, after every case
    "out/docs/.notes.tmp": b"a colleague's notes, named like a temporary file",
    "out/.analysis.running.ipynb": b'{"cells": [], "note": "the user\'s own notebook"}',
    "out/old-run/.report.html.k1ll3d.tmp": b"named as older fazhi versions named temporaries: not provably ours",
    "data/.observations.csv.abcd.tmp": b"a user's scratch copy beside the data",
    "work/here/mine.xlsx": b"a workbook being filled in",
    "work/notes.txt": b"outside the current folder",
}


@dataclass
class Run:
    args: tuple[str, ...]
    code: int | None  # None: still running at its deadline (a hang), then killed
    stdout: str
    stderr: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stdout + self.stderr

    @property
    def output(self) -> str:
        return f"$ fazhi {' '.join(self.args)}\nexit {self.code} after {self.seconds:.1f} s\n{self.stdout}{self.stderr}"


@dataclass
class Tally:
    cases: int = 0
    hangs: int = 0
    tracebacks: int = 0
    data_lost: int = 0
    temporaries_left: int = 0
    outside_touched: int = 0
    unexpected: int = 0  # the case's own expectation (exit code, message, page) not met
    details: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("cases", "hangs", "tracebacks", "data_lost", "temporaries_left", "outside_touched",
                     "unexpected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.details += other.details

    @property
    def clean(self) -> bool:
        return not (self.hangs or self.tracebacks or self.data_lost or self.temporaries_left
                    or self.outside_touched or self.unexpected)


class Sandbox:
    def __init__(self, root: Path, bodies: tuple[tuple[str, str], ...] = (), deadline_s: float = DEADLINE_S):
        """`bodies`: (district, name) of fixture bodies, each a copy of the seed's 2023 rows; `deadline_s`:
        the longest any one run may take (a case may set a shorter one)."""
        self.root = root
        self.deadline_s = deadline_s
        self.data, self.out, self.here = root / "data", root / "out", root / "work" / "here"
        shutil.copytree(REPO / "data", self.data)
        self.set_bodies(bodies)
        self.out.mkdir()
        self.here.mkdir(parents=True)
        for name, content in USER_FILES.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        self.runs: list[Run] = []
        self.lost: list[str] = []
        self.before = snapshot(root)

    # --- the data -------------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, str]]:
        with (self.data / "observations.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def write_rows(self, rows: list[dict[str, str]]) -> None:
        with (self.data / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def set_bodies(self, bodies: tuple[tuple[str, str], ...], province: str = "重庆市") -> None:
        seed = [r for r in self.rows() if (r["province"], r["district"], r["body"]) == SEED]
        extra = [{**r, "province": province, "district": d, "body": b, "source": "fixture"}
                 for d, b in bodies for r in seed]
        self.write_rows(seed + extra)

    def settle(self) -> None:
        """The sandbox as the case set it up is the 'before' its effects are measured against."""
        self.before = snapshot(self.root)

    # --- running fazhi --------------------------------------------------------------------------------
    def start(self, *args: str, cwd: Path | None = None, env: dict | None = None, prefix: tuple[str, ...] = (),
              stdin=subprocess.PIPE) -> subprocess.Popen:
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        proc = subprocess.Popen([*prefix, *FAZHI, *args], cwd=cwd or self.here, env=environment, stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        proc.fazhi_args = args
        proc.started = time.monotonic()
        return proc

    def finish(self, proc: subprocess.Popen, stdin: bytes | None = None, deadline_s: float | None = None) -> Run:
        deadline_s = min(deadline_s or self.deadline_s, self.deadline_s)
        try:
            out, err = proc.communicate(stdin if proc.stdin else None,
                                        timeout=max(0.1, deadline_s - (time.monotonic() - proc.started)))
            code = proc.returncode
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            out, err = proc.communicate()
            code = None
        run = Run(tuple(proc.fazhi_args), code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                  time.monotonic() - proc.started)
        self.runs.append(run)
        return run

    def fazhi(self, *args: str, stdin: bytes | None = None, deadline_s: float | None = None, **start) -> Run:
        return self.finish(self.start(*args, **start), stdin, deadline_s)

    def killed_at_commit(self, *args: str, **start) -> Run:
        """`fazhi ARGS` SIGKILLed at the moment it renames (or links) a finished temporary file into place:
        strace injects the signal at that system call, so the temporary file exists, as after a kill at
        the worst moment."""
        calls = "rename,renameat,renameat2,link,linkat"
        return self.fazhi(*args, prefix=("strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={calls}",
                                         "-e", f"inject={calls}:signal=KILL"), **start)

    # --- what the case did ------------------------------------------------------------------------------
    def tally(self, writes: tuple[str, ...], expected: bool, why: str = "") -> Tally:
        """`writes`: glob patterns (relative to the sandbox) of what fazhi may create or change here."""
        after = snapshot(self.root)
        changed = sorted(p for p in set(self.before) | set(after) if self.before.get(p) != after.get(p))
        own = [p for p in changed if p not in USER_FILES and any(fnmatch.fnmatch(p, w) for w in writes)]
        outside = [p for p in changed if p not in own]
        lost = [p for p in outside if p in self.before] + self.lost
        temporaries = [p for p in after if Path(p).name.startswith(".fazhi-")]
        tally = Tally(1, sum(r.code is None for r in self.runs), sum(r.traceback for r in self.runs), len(lost),
                      len(temporaries), len(outside), int(not expected))
        if not tally.clean:
            tally.details.append("\n".join([f"unexpected: {why}" if not expected else "", f"lost: {lost}",
                                            f"outside fazhi's own: {outside}", f"temporaries: {temporaries}",
                                            *(r.output for r in self.runs)]))
        return tally


def snapshot(root: Path) -> dict[str, str]:
    """Every path under root (symlinks not followed) with its kind and, for a file, its SHA-256."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not stat.S_ISDIR(info.st_mode):
                target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
                found[str(path.relative_to(root))] = f"special {stat.S_IFMT(info.st_mode)} {target}"
    return found


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
