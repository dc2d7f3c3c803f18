"""Shared test helpers. A real component (kernel, browser, pdftotext) may be missing locally — the
test then skips with the reason — but on CI (CI=true) a missing component fails the run."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PUBLIC_REPORTS = REPO / "data" / "public_reports.yaml"  # the 20 public reports' figures, with their URLs
ON_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip locally, fail on CI, when a real component the test needs is missing."""
    if available:
        return
    if ON_CI:
        pytest.fail(f"required on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


_DIE_WITH_A_TEMPORARY = (
    "import os, signal, sys; from pathlib import Path; from fazhi_analysis.atomic import new_temp; "
    "fd, path = new_temp(Path(sys.argv[1]), sys.argv[2]); os.write(fd, b'half a file'); "
    "print(path, flush=True); os.kill(os.getpid(), signal.SIGKILL)")


def leave_dead_temporary(folder: Path, suffix: str = ".tmp") -> Path:
    """A temporary file as a fazhi process killed mid-write leaves it: a real process makes it with
    fazhi's own naming, then dies by SIGKILL before it can remove it."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", _DIE_WITH_A_TEMPORARY, str(folder), suffix], capture_output=True,
                          text=True, timeout=60)
    path = Path(done.stdout.strip())
    assert done.returncode == -9 and path.is_file(), done.stderr
    return path
