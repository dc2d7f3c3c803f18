"""The fault cases: each is a function of a `Sandbox` that runs the real CLI and says whether fazhi did
what it must (exit code, message, pages), by class of fault. `issue=True` marks the examples issue 23
reported (each is a test in tests/integration/test_fault_cases.py); the others are more of each class, which
benchmarks/fault_summary.py runs as well.

Classes: time (nothing waits forever), temporaries (a kill leaves nothing the next run does not tidy),
own (only fazhi's own files are written, replaced or removed), names (no output name escapes), tracebacks
(every fault is a message), limits (every input read with a type check and a bound), blame (an error
names the file, row and column at fault).
"""

import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sandbox import REPO, Run, Sandbox, Tally

CLASSES = ("time", "temporaries", "own", "names", "tracebacks", "limits", "blame")
OUT = ("out/*",)  # what a build may write: its output root, never the user's files in it
Check = tuple[bool, str]


@dataclass(frozen=True)
class Case:
    id: str
    klass: str
    issue: bool
    about: str
    run: Callable[[Sandbox], Check]
    writes: tuple[str, ...]
    needs: frozenset[str]
    bodies: tuple[tuple[str, str], ...]


CASES: list[Case] = []


def case(klass: str, issue: bool = False, writes: tuple[str, ...] = OUT, needs: tuple[str, ...] = (),
         bodies: tuple[tuple[str, str], ...] = (), name: str = "", about: str = ""):
    """Register a case function; `name` and `about` for one made by a factory (else its name and doc)."""
    assert klass in CLASSES

    def register(fn: Callable[[Sandbox], Check]) -> Callable[[Sandbox], Check]:
        CASES.append(Case(name or fn.__name__, klass, issue, about or (fn.__doc__ or "").strip(), fn, writes,
                          frozenset(needs), bodies))
        return fn

    return register


# --- what a case needs of the machine ---------------------------------------------------------------------
@cache
def missing(need: str) -> str | None:
    """Why `need` is not available here, or None."""
    if need == "kernel":
        return None if importlib.util.find_spec("ipykernel") else "ipykernel is not installed: no Jupyter kernel"
    if need in ("distributed", "cluster"):
        return None if importlib.util.find_spec("distributed") else "distributed is not installed: no Dask"
    if need == "root":
        return None if os.geteuid() == 0 else "needs root (mknod makes a device node)"
    if need == "strace":
        if not shutil.which("strace"):
            return "strace is not installed (Debian package strace): it kills a run at the moment it commits"
        probe = subprocess.run(["strace", "-qq", "-o", os.devnull, "true"], capture_output=True, timeout=30)
        return None if probe.returncode == 0 else f"strace cannot trace here: {probe.stderr.decode()[:200]}"
    raise ValueError(need)


def run_case(item: Case, root: Path, deadline_s: float | None = None) -> Tally:
    """One case in a fresh sandbox under `root`, and what it counts."""
    import traceback

    box = Sandbox(root, item.bodies, **({"deadline_s": deadline_s} if deadline_s else {}))
    try:
        ok, why = item.run(box)
    except Exception:  # the case's own set-up failed: counted as unexpected, with the reason
        ok, why = False, "the case raised:\n" + traceback.format_exc()
    return box.tally(item.writes, ok, why)


# --- expectations -------------------------------------------------------------------------------------------
# `within_s` is a case's time budget. benchmarks/fault_summary.py counts a run over it as unexpected; the tests
# do not (a busy machine would fail them): there a run is bound only by its deadline, past which the sandbox
# kills it and counts a hang.
BUDGETS_COUNT = False


def expect(run: Run, code: int, *words: str, within_s: float | None = None) -> Check:
    """The run ended with `code`, its output holds every word, and (when budgets count) it took at most
    within_s."""
    wrong = []
    if run.code != code:
        wrong.append(f"exit {run.code}, expected {code}")
    absent = [w for w in words if w not in run.stdout + run.stderr]
    if absent:
        wrong.append(f"output lacks {absent}")
    if BUDGETS_COUNT and within_s is not None and run.seconds > within_s:
        wrong.append(f"took {run.seconds:.1f} s, more than {within_s:g} s")
    return not wrong, "; ".join(wrong)


def all_of(*checks: Check) -> Check:
    wrong = [why for ok, why in checks if not ok]
    return not wrong, " | ".join(wrong)


def that(condition: bool, why: str) -> Check:
    return condition, "" if condition else why


# --- shared set-ups ---------------------------------------------------------------------------------------------
def notebook_with(box: Sandbox, line: str) -> Path:
    """The annual notebook plus one cell of one line (a fault on purpose)."""
    nb = json.loads((REPO / "notebooks" / "annual_report.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "fault-on-purpose", "metadata": {},
                        "outputs": [], "source": line})
    path = box.root / "fault.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    box.settle()
    return path


def pages(box: Sandbox) -> list[Path]:
    return sorted(box.out.rglob("*-法治政府建设数据分析.html"))


def batch(box: Sandbox, *args: str, **run) -> Run:
    return box.fazhi("batch", "--data-dir", str(box.data), "--output-root", str(box.out), *args, **run)


import cases_files  # noqa: E402,F401  (each registers its cases)
import cases_inputs  # noqa: E402,F401
import cases_time  # noqa: E402,F401
