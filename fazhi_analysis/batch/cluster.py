"""`fazhi batch --scheduler tcp://HOST:PORT`: the same reports on a Dask cluster (`dask scheduler`, `dask worker`).

The machine that runs `fazhi batch` (the client) plans, skips, shows progress and owns the output root, as
in a local run. Workers need the same environment and project checkout but no shared file system:
- The client ships a `Snapshot` (the data files and notebooks as bytes, keyed by their SHA-256) once, as a
  task of its own rather than `scatter`ed data, so the scheduler can recompute it if every worker that
  held it dies.
- Each worker keeps one warm kernel (`WarmKernelPlugin`, the local pool's kernel code) and writes a
  snapshot once into its Dask local directory. The notebook still names the client's data directory, so
  the page is byte-identical to a local build; paths.data_dir maps that name to the worker's copy.
- A worker returns the page's files as bytes (`render.build.PageFiles`); the client writes them
  atomically, then the fingerprint sidecar, as `pool.run_item` does.
- A cell that fails is a result (status failed, `*.failed.ipynb` kept), never an exception, so Dask does
  not retry it. A kernel that dies raises: Dask retries the report (`RETRIES`) on a fresh kernel. A worker
  process that dies: the scheduler reschedules its tasks (Dask's `allowed-failures`).
Importing this module loads `distributed`; `fazhi batch` without --scheduler never does.
"""

import asyncio
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import dask
from distributed import Client, WorkerPlugin, as_completed, get_worker

from .. import paths
from ..data.store import MANIFEST, STORE_DIR, ensure_store, in_use
from ..errors import ParameterError
from ..render.build import BuildResult, PageFiles, commit_page, execute_page
from . import pool
from .fingerprint import libraries_digest, package_digest, sidecar_outputs
from .plan import BatchItem, ItemResult

ADDRESS_SCHEMES = ("tcp://",)
PLUGIN_NAME = "fazhi-warm-kernel"
RETRIES = 2  # a report whose kernel died is tried on a fresh kernel this many times more
WAIT_FOR_WORKERS_S = 60
DATA_FILES = (paths.CATALOGUE_FILE, paths.OBSERVATIONS_FILE, paths.SOURCES_FILE)


# --- what a worker is sent ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """The data and notebooks of one batch as bytes, and the code digests the client built them with."""

    data_dir: str  # the client's data directory, as the notebook parameters name it
    data: tuple[tuple[str, bytes], ...]  # (file name, bytes)
    notebooks: tuple[tuple[str, bytes], ...]  # (the client's path, bytes)
    code: tuple[str, str]  # (package digest, libraries digest)
    digest: str


def make_snapshot(data_dir: Path, notebooks: set[Path]) -> Snapshot:
    """What a page reads: the tables (past a district's size, the store instead of observations.csv: a
    worker then reads a page's rows from it as the client would), the sources' titles, and the reports
    kept as received (part 五 is quoted)."""
    names = [name for name in DATA_FILES if (data_dir / name).is_file()]
    if in_use(data_dir):
        manifest = ensure_store(data_dir)
        names = [n for n in names if n != paths.OBSERVATIONS_FILE]
        names += [f"{STORE_DIR}/{n}" for n in (MANIFEST, manifest["observations"], manifest["bodies"])]
    names += [f"raw/{path.name}" for path in sorted((data_dir / "raw").glob("*.txt"))]
    data = tuple((name, (data_dir / name).read_bytes()) for name in names)
    books = tuple((str(path), path.read_bytes()) for path in sorted(notebooks))
    digest = hashlib.sha256()
    for name, blob in (*data, *books):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(blob).digest())
    return Snapshot(str(data_dir), data, books, code_digests(), digest.hexdigest())


def code_digests() -> tuple[str, str]:
    """This process's fazhi source and output-shaping library versions (what a fingerprint records)."""
    return package_digest(), libraries_digest()


def _identity(value):
    return value


# --- on a worker ------------------------------------------------------------------------------------
_run_lock = threading.Lock()  # one kernel per worker: reports run one at a time even with several threads
_worker_root: Path | None = None  # set by the plugin's setup
_written: dict[str, int] = {}  # snapshot digest → times this worker process wrote it out (once, by design)


def snapshots_written() -> dict[str, int]:
    """For `client.run`: how often this worker wrote each snapshot it was sent (benchmarks check it is once)."""
    return dict(_written)


def _worker_dir() -> Path:
    """This worker's private directory for snapshots, inside Dask's own local directory (which Dask
    cleans up, also after a worker was killed)."""
    base = _worker_root or Path(tempfile.gettempdir())  # outside a worker: a direct call in a test
    return base / f"fazhi-{os.getpid()}"


class WarmKernelPlugin(WorkerPlugin):
    """Starts the worker's warm kernel on setup and shuts it down on teardown, as a local pool process
    does. The kernel is the worker process's child and watches it (JPY_PARENT_PID): if the worker is
    killed, the kernel exits by itself."""

    idempotent = True

    async def setup(self, worker) -> None:
        global _worker_root
        _worker_root = Path(worker.local_directory)
        directory = _worker_dir()
        directory.mkdir(parents=True, exist_ok=True)
        os.environ[paths.SNAPSHOTS_ENV] = str(directory / "snapshots.json")  # inherited by the kernel
        # off the event loop: the imports take seconds, and a blocked loop misses the scheduler's heartbeats
        await asyncio.get_running_loop().run_in_executor(None, pool.warm_worker)

    def teardown(self, worker) -> None:
        with _run_lock:
            pool.shutdown_worker_kernel()
            shutil.rmtree(_worker_dir(), ignore_errors=True)


def _materialise(snapshot: Snapshot) -> dict[str, Path]:
    """Write the snapshot's files once under the worker directory; point the kernel's data directory at
    them. Returns the local path of each of the client's notebooks."""
    root = _worker_dir() / snapshot.digest
    if not root.is_dir():
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root.parent))
        (staging / "data").mkdir()
        for name, blob in snapshot.data:
            (staging / "data" / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / "data" / name).write_bytes(blob)
        for i, (client_path, blob) in enumerate(snapshot.notebooks):
            (staging / f"notebook-{i}").mkdir()
            (staging / f"notebook-{i}" / Path(client_path).name).write_bytes(blob)
        staging.rename(root)
        _written[snapshot.digest] = _written.get(snapshot.digest, 0) + 1
    listing = Path(os.environ.get(paths.SNAPSHOTS_ENV) or root.parent / "snapshots.json")
    os.environ[paths.SNAPSHOTS_ENV] = str(listing)
    wanted = {snapshot.data_dir: str(root / "data")}
    try:
        current = json.loads(listing.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    if current != wanted:
        listing.write_text(json.dumps(wanted, ensure_ascii=False), encoding="utf-8")
    return {client: root / f"notebook-{i}" / Path(client).name for i, (client, _) in enumerate(snapshot.notebooks)}


def build_remote(job, snapshot: Snapshot) -> PageFiles:
    """One page on a worker, returned as bytes; nothing is written under the client's output root."""
    if snapshot.code != code_digests():
        return PageFiles(False, {}, 0.0, f"工作节点 {_where()} 的 fazhi 代码或库版本与发起批处理的机器不同，未生成")
    with _run_lock:
        notebooks = _materialise(snapshot)
        local_job = dataclasses.replace(job, notebook=notebooks[str(job.notebook)])
        with tempfile.TemporaryDirectory(prefix="run-", dir=_worker_dir()) as scratch:
            try:
                return execute_page(local_job, pool.worker_kernel(), Path(scratch))
            except Exception:
                pool.shutdown_worker_kernel()  # a kernel that died: the retry starts a fresh one
                raise


def _where() -> str:
    try:
        return get_worker().address
    except ValueError:
        return f"pid {os.getpid()}"


# --- on the client ----------------------------------------------------------------------------------
def connect(address: str) -> Client:
    """A client of the scheduler at `address`, or a ParameterError (exit 2) naming what is wrong."""
    if not address.startswith(ADDRESS_SCHEMES):
        raise ParameterError(f"调度器地址 {address!r} 不正确：应为 tcp://主机:端口，如 tcp://192.168.1.10:8786")
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ParameterError(f"连接不上调度器 {address}（{timeout} 内无应答: {exc}）。"
                             "请先在该机器上运行 dask scheduler，并检查地址、端口和防火墙") from None


def check_workers(client: Client) -> None:
    """At least one worker, and every worker on this machine's code and library versions."""
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
    except TimeoutError:
        raise ParameterError(f"调度器 {client.scheduler.address} 上没有工作节点（等待了 {WAIT_FOR_WORKERS_S} 秒）。"
                             "请在各机器上运行 dask worker") from None
    mine = code_digests()
    differing = sorted(addr for addr, theirs in client.run(code_digests).items() if tuple(theirs) != mine)
    if differing:
        raise ParameterError("这些工作节点的 fazhi 代码或库版本与本机不同（需要相同的环境和项目代码；"
                             "代码更新后请重启 dask worker）: " + "、".join(differing))


def run_on_cluster(items: list[BatchItem], client: Client, data_dir: Path,
                   before_run: Callable[[], None] | None = None,
                   on_result: Callable[[ItemResult], None] | None = None) -> list[ItemResult]:
    """Build `items` on the cluster, committing each page here as it arrives. `before_run` (data
    validation) runs while the workers start their kernels and may raise to stop before any report."""
    check_workers(client)
    snapshot = make_snapshot(data_dir, {item.job.notebook for item in items})
    with ThreadPoolExecutor(1) as starter:
        warming = starter.submit(client.register_plugin, WarmKernelPlugin(), name=PLUGIN_NAME)
        try:
            if before_run is not None:
                before_run()
            warming.result()
            return _submit_and_commit(items, client, snapshot, on_result)
        finally:
            wait([warming])
            with suppress(Exception):  # best effort: a kernel also exits with its worker
                client.unregister_worker_plugin(PLUGIN_NAME)  # every worker shuts its kernel down


def _submit_and_commit(items: list[BatchItem], client: Client, snapshot: Snapshot,
                       on_result: Callable[[ItemResult], None] | None) -> list[ItemResult]:
    """One task per report, keyed by its fingerprint; each page is committed as it arrives and then
    released, so the workers hold no finished page for long."""
    shipped = client.submit(_identity, snapshot, key=f"fazhi-snapshot-{snapshot.digest}", pure=False)
    futures = {client.submit(build_remote, item.job, shipped, key=f"fazhi-page-{item.fingerprint.digest}",
                             pure=False, retries=RETRIES): item for item in items}
    results = []
    for future in as_completed(futures, loop=client.loop):
        item = futures.pop(future)
        result = _commit(item, future)
        future.release()
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _commit(item: BatchItem, future) -> ItemResult:
    """Write what a worker returned, as a local run would; any error is this report's failure."""
    try:
        page: PageFiles = future.result()
        build: BuildResult = commit_page(item.job, page, sidecar_outputs(item.job.html_path, item.fingerprint))
        return pool.record(item, build)
    except Exception as exc:  # retries used up, a worker killed too often, a disk that is full
        return ItemResult(item, "failed", 0.0, f"{type(exc).__name__}: {exc}")
