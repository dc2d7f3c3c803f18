"""Process hygiene with real signals: a killed `fazhi batch` or `fazhi report` leaves no worker, kernel,
forkserver or resource tracker alive, and no /tmp/fazhi-* folder survives the next run. Processes are
counted before and after: the command's whole process tree is recorded just before the signal."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from conftest import REPO, leave_dead_temporary, left_behind
from test_batch import _kernel_available, _small_data

FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
GONE_WITHIN_S = 5.0
pytestmark = pytest.mark.kernel


def _tree_when_kernels_run(proc: subprocess.Popen, kernels: int) -> list[psutil.Process]:
    """The command's descendants, once `kernels` kernels have started (so every kind of process exists)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        tree = psutil.Process(proc.pid).children(recursive=True)
        if sum("ipykernel_launcher" in " ".join(_cmdline(p)) for p in tree) >= kernels:
            return tree
        time.sleep(0.05)
    pytest.fail(f"the command did not start {kernels} kernel(s) (exit {proc.poll()})")


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _alive(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{p.pid} {' '.join(p.cmdline())[:90]}")
        except psutil.NoSuchProcess:
            continue
    return alive


def _wait_all_gone(processes: list[psutil.Process]) -> list[str]:
    deadline = time.monotonic() + GONE_WITHIN_S
    while _alive(processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _alive(processes)
    for p in processes:  # never leave them to the next test
        try:
            p.kill()
        except psutil.Error:
            pass
    return left


def _temp_dirs_of(pids: set[int]) -> list[str]:
    """/tmp/fazhi-<what>-<pid>-… folders owned by these processes."""
    return sorted(name for name in os.listdir(tempfile.gettempdir())
                  if name.startswith("fazhi-") and any(f"-{pid}-" in name for pid in pids))


# A process started in the background by a shell without job control (`make test &`) inherits SIGINT ignored,
# and Python then keeps ignoring it: the batch starts through exec with SIGINT at its default, as from a terminal.
_SIGINT_DEFAULT = ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                         "os.execv(sys.argv[1], sys.argv[1:])", sys.executable]


def _batch_cmd(data: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, *_SIGINT_DEFAULT, *FAZHI[1:], "batch", "--data-dir", str(data), "--output-root", str(out),
            "--workers", "2", "--no-overview", *extra]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"])
def test_signalled_batch_leaves_no_process_and_no_temp_folder(signum, data_copy: Path, tmp_path: Path) -> None:
    """`fazhi batch --force --workers 2 & kill -<SIG> $!` (the parent only, as a shell or systemd would):
    within 5 s no forkserver, resource tracker, worker or kernel remains, and no temporary file either in
    the output root or in /tmp."""
    _kernel_available()
    data = _small_data(data_copy, ["示例镇甲", "示例镇乙"])
    out = tmp_path / "out"
    proc = subprocess.Popen(_batch_cmd(data, out, "--force"), cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    tree = _tree_when_kernels_run(proc, kernels=2)
    assert len(tree) >= 6  # resource tracker, forkserver, 2 workers, 2 kernels
    os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=30)
    assert _wait_all_gone(tree) == []
    assert "Traceback" not in err
    if signum != signal.SIGKILL:
        assert proc.returncode == 128 + signum and "已中断" in err, (proc.returncode, err)
    assert _temp_dirs_of({proc.pid, *(p.pid for p in tree)}) == []
    assert left_behind(out) == []


def test_killed_batch_rerun_tidies_what_a_dead_run_left(data_copy: Path, tmp_path: Path) -> None:
    """A scratch notebook and a temporary HTML left by a run that died (in a folder whose report is up to
    date, so the rerun builds nothing there) are removed by the next batch."""
    _kernel_available()
    data = _small_data(data_copy, [])
    out = tmp_path / "out"
    first = subprocess.run(_batch_cmd(data, out), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    (html,) = out.rglob("*数据分析.html")
    left = [leave_dead_temporary(html.parent, ".running.ipynb"), leave_dead_temporary(html.parent)]
    rerun = subprocess.run(_batch_cmd(data, out), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "生成 0，" in rerun.stdout
    assert [p for p in left if p.exists()] == []


def test_killed_report_leaves_no_kernel_and_next_run_removes_its_folder(tmp_path: Path) -> None:
    """SIGKILL gives `fazhi report` no chance to clean up: its kernel still dies with it (PR_SET_PDEATHSIG),
    and the next run removes the kernel's /tmp/fazhi-k-<pid>-… folder, since its owner is dead."""
    _kernel_available()
    out = tmp_path / "out"
    proc = subprocess.Popen([*FAZHI, "report", "--output-root", str(out)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    tree = _tree_when_kernels_run(proc, kernels=1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _wait_all_gone(tree) == []
    assert _temp_dirs_of({proc.pid}), "SIGKILL left the kernel folder (the case the next run must tidy)"
    again = subprocess.run([*FAZHI, "report", "--output-root", str(out)], cwd=REPO, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert _temp_dirs_of({proc.pid}) == []
    assert left_behind(out) == []


def test_temp_folder_of_a_live_owner_is_kept(tmp_path: Path) -> None:
    """Tidying never touches a folder whose owner runs (this process), nor a name it does not know."""
    from fazhi_analysis import procs

    mine = procs.make_temp_dir("t")
    foreign = Path(tempfile.mkdtemp(prefix="fazhi-k-"))  # an older run's name without an owner
    try:
        procs.tidy_dead_temp_dirs()
        assert mine.is_dir() and foreign.is_dir()
        assert procs.owner_is_dead(f"fazhi-k-{os.getpid()}-1-x")  # same pid, another start time: reused pid
    finally:
        shutil.rmtree(mine, ignore_errors=True)
        shutil.rmtree(foreign, ignore_errors=True)
