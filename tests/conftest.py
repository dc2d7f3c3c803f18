"""Shared test helpers. A real component (kernel, browser, pdftotext) may be missing locally — the
test then skips with the reason — but on CI (CI=true) a missing component fails the run.

tests/unit runs in this process (the CLI as main(argv)); a unit test that starts a process, or is marked
as needing a real component, fails with the reason: it belongs in tests/integration."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PUBLIC_REPORTS = REPO / "data" / "public_reports.yaml"  # the 20 public reports' figures, with their URLs
ON_CI = os.environ.get("CI", "").lower() == "true"


UNIT_DIR = REPO / "tests" / "unit"
COMPONENT_MARKS = ("kernel", "browser", "libreoffice", "slow")
_PROCESS_EVENTS = ("subprocess.Popen", "os.posix_spawn", "os.fork", "os.forkpty", "os.exec")
_unit_test_running = False


def _refuse_processes_in_unit_tests(event: str, args: tuple) -> None:
    if _unit_test_running and event in _PROCESS_EVENTS:
        shown = args[1] if event == "subprocess.Popen" else args[:1]
        raise RuntimeError(f"a unit test runs in process: {event} {shown!r} belongs in tests/integration")


sys.addaudithook(_refuse_processes_in_unit_tests)


def pytest_collection_modifyitems(items) -> None:
    misplaced = [f"{item.nodeid} (marked {m})" for item in items if item.path.is_relative_to(UNIT_DIR)
                 for m in COMPONENT_MARKS if item.get_closest_marker(m)]
    if misplaced:
        raise pytest.UsageError("needs a real component, so belongs in tests/integration: " + ", ".join(misplaced))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Set-up, call and tear-down of a unit test: no process may start (the audit hook above refuses)."""
    global _unit_test_running
    _unit_test_running = item.path.is_relative_to(UNIT_DIR)
    try:
        yield
    finally:
        _unit_test_running = False


def require(available: bool, reason: str) -> None:
    """Skip locally, fail on CI, when a real component the test needs is missing."""
    if available:
        return
    if ON_CI:
        pytest.fail(f"required on CI: {reason}")
    pytest.skip(reason)


def kernel_available() -> bool:
    """A python3 Jupyter kernelspec is installed (papermill and nbclient start that kernel)."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "python3" in KernelSpecManager().find_kernel_specs()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


H4 = "（四）加强纠纷化解，维护社会和谐稳定"
H5 = "（五）推进法治宣传，提升群众守法意识"
# SYNTHETIC: a 2022 year for 峡口镇, invented for tests that need last year's same items (charts compare years);
# written only into a copy of data/. Statement left empty: no clause of a 2022 report is held.
SYNTHETIC_2022 = [
    (H4, "disputes", "排查受理矛盾纠纷", "disputes_received_count", "230", "件", "230件"),
    (H4, "disputes", "调解", "disputes_mediated_count", "230", "件", "230件"),
    (H4, "disputes", "调解成功", "disputes_resolved_count", "221", "件", "221件"),
    (H5, "legal_education", "法治讲座", "law_lectures_count", "3", "期", "3期"),
    (H5, "legal_education", "普法专栏", "legal_columns_count", "20", "期", "20期"),
    (H5, "legal_education", "普法工作简报", "legal_bulletins_count", "12", "期", "12期"),
]


def with_synthetic_2022(data_dir: Path) -> Path:
    """`data_dir` (a copy) with SYNTHETIC_2022 appended."""
    with (data_dir / "observations.csv").open("a", encoding="utf-8") as handle:
        for heading, topic, label, indicator, value, measure, expr in SYNTHETIC_2022:
            handle.write(f"重庆市,南岸区,峡口镇,2022,measures,{heading},{topic},{label},{indicator},{value},{measure},,"
                         f"{expr},synthetic (test data),\n")
    return data_dir


_DIE_WITH_A_TEMPORARY = (
    "import os, signal, sys; from pathlib import Path; from fazhi_analysis.atomic import new_temp; "
    "fd, path = new_temp(Path(sys.argv[1]), sys.argv[2]); os.write(fd, b'half a file'); "
    "print(path, flush=True); os.kill(os.getpid(), signal.SIGKILL)")


def left_behind(folder: Path) -> list[str]:
    """Hidden files under `folder` a run must not leave (temporaries, scratch notebooks): every hidden file
    but the folders' lock files, which stay by design (fazhi_analysis/locks.py says why)."""
    from fazhi_analysis.locks import LOCK_FILES

    return sorted(p.name for p in folder.rglob(".*") if p.is_file() and p.name not in LOCK_FILES)


def leave_dead_temporary(folder: Path, suffix: str = ".tmp") -> Path:
    """A temporary file as a fazhi process killed mid-write leaves it: a real process makes it with
    fazhi's own naming, then dies by SIGKILL before it can remove it."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", _DIE_WITH_A_TEMPORARY, str(folder), suffix], capture_output=True,
                          text=True, timeout=60)
    path = Path(done.stdout.strip())
    assert done.returncode == -9 and path.is_file(), done.stderr
    return path
