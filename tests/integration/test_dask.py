"""fazhi batch on a Dask cluster: byte-identical to a local batch, a cell failure is a failed result (not
retried), a SIGKILLed worker loses no report and leaves no kernel, an unreachable scheduler stops the run
before anything is written, and the local path never imports distributed. All on 127.0.0.1, dashboards
off. The in-suite cluster is a `LocalCluster` of 2 processes; the `slow` test starts `dask scheduler` and
two `dask worker` from Dask's own CLI.

Processes are found by a tag in their environment (set here, inherited by workers and their kernels),
so other work on the machine is never counted."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import REPO, left_behind, require
from test_batch import BROKEN_BODY, _broken_notebook, _htmls, _small_data

TAG_ENV = "FAZHI_TEST_PROCESS_TAG"
BODIES = ["示例镇甲", "示例镇乙", BROKEN_BODY]  # + the seed: 4 annual pages; 2 district pages and 1 city page
N_PAGES = 7
BATCH_TIMEOUT_S = 240
GONE_TIMEOUT_S = 20

pytestmark = pytest.mark.kernel


def _require_distributed() -> None:
    require(importlib.util.find_spec("distributed") is not None,
            "distributed is not installed (pip install -e .): no Dask cluster")
    require(importlib.util.find_spec("ipykernel") is not None, "ipykernel is not installed: no Jupyter kernel")


def _tagged(tag: str, needle: str = "") -> list:
    """Live processes carrying `tag` in their environment (and `needle` in their command line)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if proc.pid == os.getpid() or proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if needle not in " ".join(proc.info["cmdline"] or []):
                continue
            if proc.environ().get(TAG_ENV) == tag:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _kernels(tag: str) -> list:
    return _tagged(tag, "ipykernel_launcher")


def _wait_until(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for: {what}")
        time.sleep(0.1)


def _cli(data: Path, out: Path, *extra: str, env: dict | None = None, **popen):
    cmd = [sys.executable, "-m", "fazhi_analysis.cli.main", "batch", "--data-dir", str(data),
           "--output-root", str(out), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=BATCH_TIMEOUT_S, cwd=REPO,
                          env=env or os.environ.copy(), **popen)


def _busy_worker(client, batch: subprocess.Popen) -> str:
    """The address of a worker that is running a report of `batch` (which must still be running)."""
    def busy() -> str | None:
        return next((addr for addr, keys in client.processing().items()
                     if any(str(k).startswith("fazhi-page-") for k in keys)), None)

    _wait_until(lambda: busy() is not None or batch.poll() is not None, BATCH_TIMEOUT_S, "a report running")
    assert batch.poll() is None, "the batch ended before a worker could be killed"
    return busy()


def _no_leftovers(out: Path) -> None:
    """Every HTML complete, every page with its sidecar, no temporary file."""
    for html in out.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    assert not left_behind(out)


# --- shared fixtures (module scope: one data set, one local reference, one cluster) ----------------------
@pytest.fixture(scope="module")
def tag():
    """Every process started from here on (workers, their kernels, batch CLIs) carries this tag."""
    value = uuid.uuid4().hex
    old = os.environ.get(TAG_ENV)
    os.environ[TAG_ENV] = value
    yield value
    if old is None:
        os.environ.pop(TAG_ENV, None)
    else:
        os.environ[TAG_ENV] = old


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    import shutil

    target = tmp_path_factory.mktemp("dask") / "data"
    shutil.copytree(REPO / "data", target)
    return _small_data(target, BODIES)


@pytest.fixture(scope="module")
def reference(data: Path, tmp_path_factory) -> dict[str, bytes]:
    """The HTML of a local `fazhi batch` (process pool) on the same data: what the cluster must match."""
    _require_distributed()
    out = tmp_path_factory.mktemp("local") / "out"
    result = _cli(data, out, "--workers", "2", "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    htmls = _htmls(out)
    assert len(htmls) == 2 * N_PAGES
    return htmls


@pytest.fixture(scope="module")
def cluster(tag, tmp_path_factory):
    """A LocalCluster of 2 worker processes (1 thread each) on loopback, and a client to watch it."""
    _require_distributed()
    from distributed import Client, LocalCluster

    local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None, local_directory=str(tmp_path_factory.mktemp("dask-space")))
    client = Client(local, set_as_default=False)
    yield local, client
    client.close()
    local.close()
    _wait_until(lambda: not _tagged(tag, "spawn_main") and not _kernels(tag), GONE_TIMEOUT_S,
                "no worker or kernel process after the LocalCluster closed")


# --- in-suite: LocalCluster ---------------------------------------------------------------------------
def test_cluster_batch_is_byte_identical_to_local_and_a_rerun_skips(cluster, reference, data, tmp_path, tag):
    local, _ = cluster
    out = tmp_path / "out"
    result = _cli(data, out, "--scheduler", local.scheduler_address)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"生成 {N_PAGES}，未变跳过 0，失败 0" in result.stdout
    assert _htmls(out) == reference
    assert len(list(out.rglob("*.fingerprint.json"))) == N_PAGES and (out / "index.html").is_file()
    _no_leftovers(out)
    assert not _kernels(tag), "the batch ends with every worker's kernel shut down (plugin teardown)"

    rerun = _cli(data, out, env={**os.environ, "FAZHI_SCHEDULER": local.scheduler_address})
    assert rerun.returncode == 0, rerun.stderr
    assert f"生成 0，未变跳过 {N_PAGES}，失败 0" in rerun.stdout


def test_a_cell_failure_is_a_failed_result_not_retried(cluster, data, tmp_path):
    from fazhi_analysis.batch import cluster as dask_batch
    from fazhi_analysis.batch.plan import Selection, plan_batch

    local, client = cluster
    notebook = _broken_notebook(tmp_path)
    out = tmp_path / "out"
    result = _cli(data, out, "--scheduler", local.scheduler_address, "--notebook", str(notebook),
                  "--unit", f"峡口镇,{BROKEN_BODY}", "--no-overview")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "fixture: broken on purpose" in result.stdout
    failed = list(out.rglob("*.failed.ipynb"))
    assert [p.parent.parent.name for p in failed] == [f"测试区-{BROKEN_BODY}"]
    assert not list(failed[0].parent.glob("*.html"))
    assert len(list(out.rglob("*数据分析.html"))) == 1

    # on the worker, the failure comes back as a value: Dask has nothing to retry
    _, items = plan_batch(data, out, Selection(units=(BROKEN_BODY,), overview=False), notebook=notebook)
    snapshot = dask_batch.make_snapshot(data, {notebook})
    client.register_plugin(dask_batch.WarmKernelPlugin(), name=dask_batch.PLUGIN_NAME)
    try:
        future = client.submit(dask_batch.build_remote, items[0].job, snapshot, pure=False, retries=2)
        page = future.result(timeout=BATCH_TIMEOUT_S)
        assert future.status == "finished"
        assert not page.ok and "fixture: broken on purpose" in page.error
        assert list(page.files) == [items[0].job.failed_notebook_path.name]
    finally:
        client.unregister_worker_plugin(dask_batch.PLUGIN_NAME)


def test_a_worker_sigkilled_mid_run_loses_no_report_and_leaves_no_kernel(cluster, reference, data, tmp_path, tag):
    import psutil

    local, client = cluster
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "fazhi_analysis.cli.main", "batch", "--data-dir", str(data), "--output-root",
           str(out), "--scheduler", local.scheduler_address, "--force"]
    batch = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    victim = _busy_worker(client, batch)
    worker_pid = client.run(os.getpid, workers=[victim])[victim]
    kernel_pids = [p.pid for p in _kernels(tag) if p.ppid() == worker_pid]
    assert kernel_pids, "the busy worker has its warm kernel"
    time.sleep(0.5)  # into the report
    os.kill(worker_pid, signal.SIGKILL)
    _wait_until(lambda: not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                                for pid in kernel_pids), GONE_TIMEOUT_S, "the killed worker's kernel to exit")

    stdout, stderr = batch.communicate(timeout=BATCH_TIMEOUT_S)
    assert batch.returncode == 0, stdout + stderr
    assert f"生成 {N_PAGES}，未变跳过 0，失败 0" in stdout
    assert _htmls(out) == reference
    _no_leftovers(out)
    assert not _kernels(tag)


def test_unreachable_scheduler_exits_2_before_anything_is_planned(data, tmp_path):
    _require_distributed()
    out = tmp_path / "out"
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = _cli(data, out, "--scheduler", "tcp://127.0.0.1:9", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "连接不上调度器 tcp://127.0.0.1:9" in result.stderr
    assert not out.exists()
    wrong = _cli(data, out, "--scheduler", "http://127.0.0.1:8786")
    assert wrong.returncode == 2 and "tcp://主机:端口" in wrong.stderr and not out.exists()


def test_a_local_batch_never_imports_distributed(data, tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("unit,year\n不存在镇,2023\n", encoding="utf-8")
    code = ("import sys; from fazhi_analysis.cli.main import main; "
            f"code = main(['batch', '--data-dir', {str(data)!r}, '--manifest', {str(manifest)!r}]); "
            "print(code, 'distributed' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO,
                            env={k: v for k, v in os.environ.items() if k != "FAZHI_SCHEDULER"})
    assert result.stdout.split() == ["2", "False"], result.stdout + result.stderr


# --- slow: the cluster as users start it, with Dask's own CLI -----------------------------------------
@pytest.mark.slow
def test_dask_cli_cluster_matches_local_and_survives_a_lost_worker(reference, data, tmp_path):
    _require_distributed()
    from distributed import Client

    dask = str(Path(sys.executable).parent / "dask")
    require(Path(dask).is_file(), "the dask CLI is not installed (pip install -e .)")
    scheduler_file = tmp_path / "scheduler.json"
    started = []

    own_tag = uuid.uuid4().hex  # this cluster's processes only (the module's LocalCluster may still run)
    env = {**os.environ, TAG_ENV: own_tag}

    def start(*args: str) -> subprocess.Popen:
        proc = subprocess.Popen([dask, *args], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, env=env)
        started.append(proc)
        return proc

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(scheduler_file))
        _wait_until(scheduler_file.is_file, 60, "the scheduler file")
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        for i in (1, 2):
            start("worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-dashboard",
                  "--host", "127.0.0.1", "--local-directory", str(tmp_path / f"space-{i}"))

        out = tmp_path / "out"
        first = _cli(data, out, "--scheduler", address, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert _htmls(out) == reference

        # a forced rerun; in the middle of a report, one whole `dask worker` (nanny and worker) is SIGKILLed
        cmd = [sys.executable, "-m", "fazhi_analysis.cli.main", "batch", "--data-dir", str(data), "--output-root",
               str(out), "--scheduler", address, "--force"]
        rerun = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        with Client(address, set_as_default=False) as client:
            victim = _busy_worker(client, rerun)
            worker_pid = client.run(os.getpid, workers=[victim])[victim]
        time.sleep(0.5)  # into the report
        os.killpg(os.getpgid(worker_pid), signal.SIGKILL)  # its `dask worker` session: nanny and worker
        stdout, stderr = rerun.communicate(timeout=BATCH_TIMEOUT_S)
        assert rerun.returncode == 0, stdout + stderr
        assert f"生成 {N_PAGES}，未变跳过 0，失败 0" in stdout
        assert _htmls(out) == reference
        _no_leftovers(out)
    finally:
        for proc in reversed(started):  # workers first, then the scheduler, as a user stops them
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in started:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                raise
    _wait_until(lambda: not _tagged(own_tag), GONE_TIMEOUT_S,
                "no scheduler, worker or kernel process once the cluster is stopped")
