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
- A cell that fails, runs past its time limit or kills its kernel is a result (status failed,
  `*.failed.ipynb` kept), never an exception, so Dask does not retry it; the worker's next report gets a
  fresh kernel. A kernel that cannot start raises: Dask retries the report (`RETRIES`) on a fresh kernel.
  A worker process that dies: the scheduler reschedules its tasks (Dask's `allowed-failures`).
- The client waits for nothing without a deadline: the scheduler must say who it is within
  CONNECT_DEADLINE_S, and when no report finishes for the stall timeout (a worker stopped with SIGSTOP,
  on which Dask's own calls wait forever) the remaining reports fail with a message.
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
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from distributed import Client, WorkerPlugin, as_completed, get_worker

from .. import paths
from ..atomic import read_regular
from ..data.csv_input import MAX_TABLE_BYTES
from ..data.store import MANIFEST, STORE_DIR, ensure_store, in_use
from ..errors import FazhiError, ParameterError
from ..render.build import DEFAULT_CELL_TIMEOUT_S, BuildResult, PageFiles, commit_page, execute_page
from ..render.locations import MAX_NOTEBOOK_BYTES
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
    kept as received (part 五 is quoted). Inputs are read bounded (`atomic.read_regular`); the store's
    files are fazhi's own and read whole."""
    names = list(DATA_FILES)
    stored: list[str] = []
    if in_use(data_dir):
        manifest = ensure_store(data_dir)
        names = [n for n in names if n != paths.OBSERVATIONS_FILE]
        stored = [f"{STORE_DIR}/{n}" for n in (MANIFEST, manifest["observations"], manifest["bodies"])]
    names += [f"raw/{path.name}" for path in sorted((data_dir / "raw").glob("*.txt"))]
    data = tuple((name, blob) for name in names if (blob := _bounded_read(data_dir / name)) is not None)
    data += tuple((name, (data_dir / name).read_bytes()) for name in stored)
    books = tuple((str(path), read_regular(path, MAX_NOTEBOOK_BYTES)) for path in sorted(notebooks))
    digest = hashlib.sha256()
    for name, blob in (*data, *books):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(blob).digest())
    return Snapshot(str(data_dir), data, books, code_digests(), digest.hexdigest())


def _bounded_read(path: Path) -> bytes | None:
    """A data file's bytes when it is a regular file within the loader's bound; else None, as a local
    run would also not read it (the data check reports it)."""
    try:
        return read_regular(path, MAX_TABLE_BYTES)
    except (OSError, FazhiError):
        return None


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


def build_remote(job, snapshot: Snapshot, cell_timeout_s: float | None = None) -> PageFiles:
    """One page on a worker, returned as bytes; nothing is written under the client's output root."""
    if snapshot.code != code_digests():
        return PageFiles(False, {}, 0.0, f"工作节点 {_where()} 的 fazhi 代码或库版本与发起批处理的机器不同，未生成")
    with _run_lock:
        notebooks = _materialise(snapshot)
        local_job = dataclasses.replace(job, notebook=notebooks[str(job.notebook)])
        with tempfile.TemporaryDirectory(prefix="run-", dir=_worker_dir()) as scratch:
            try:
                return execute_page(local_job, pool.worker_kernel(), Path(scratch),
                                    cell_timeout_s=cell_timeout_s or DEFAULT_CELL_TIMEOUT_S)
            except Exception:
                pool.shutdown_worker_kernel()  # a kernel that died: the retry starts a fresh one
                raise


def _where() -> str:
    try:
        return get_worker().address
    except ValueError:
        return f"pid {os.getpid()}"


# --- on the client ----------------------------------------------------------------------------------
CONNECT_DEADLINE_S = 10.0  # a scheduler on the office network answers in milliseconds
CLOSE_DEADLINE_S = 10.0
STALLED_CLOSE_S = 2.0
POLL_S = 0.05


class _Stalled(Exception):
    """A call to the cluster that did not return within its deadline."""


class _Call:
    """`call()` running in a daemon thread; `result(seconds)` waits for it at most that long. Dask's own
    blocking calls (Client(), Client.run, register_plugin) wait forever for a server that accepts and
    never answers, or for a worker that was stopped (SIGSTOP); such a call is abandoned, not waited on."""

    def __init__(self, call: Callable[[], object]):
        self._box: dict = {}
        self._thread = threading.Thread(target=self._run, args=(call,), name="fazhi-cluster-call", daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], object]) -> None:
        try:
            self._box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 — handed to the waiting thread
            self._box["error"] = exc

    def result(self, seconds: float):
        self._thread.join(seconds)
        if self._thread.is_alive():
            raise _Stalled()
        if "error" in self._box:
            raise self._box["error"]
        return self._box.get("value")


def _within(seconds: float, call: Callable[[], object]):
    return _Call(call).result(seconds)


def connect(address: str, deadline_s: float = CONNECT_DEADLINE_S) -> Client:
    """A client of the scheduler at `address`, or a ParameterError (exit 2) naming what is wrong, within
    `deadline_s`: the address is parsed, then asked who it is (a plain web server, a port that accepts
    and never answers, a Dask worker, a machine that is off are all refused) before a Client is made."""
    from distributed.comm.addressing import parse_address, parse_host_port

    example = "应为 tcp://主机:端口，如 tcp://192.168.1.10:8786"
    if not address.startswith(ADDRESS_SCHEMES):
        raise ParameterError(f"调度器地址 {address!r} 不正确：{example}")
    try:
        host, port = parse_host_port(parse_address(address)[1])
        if not host or not 0 < int(port) < 65536:
            raise ValueError(f"端口 {port} 不在 1–65535 之间" if host else "缺少主机名")
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"调度器地址 {address!r} 不正确（{exc}）：{example}") from None
    advice = "请先在该机器上运行 dask scheduler，并检查地址、端口和防火墙"
    try:
        identity = asyncio.run(asyncio.wait_for(_identity_of(address, deadline_s), deadline_s))
    except TimeoutError:
        raise ParameterError(f"连接不上调度器 {address}（{deadline_s:g} 秒内没有 Dask 调度器应答）。{advice}") from None
    except Exception as exc:  # noqa: BLE001 — whatever answered is not a Dask scheduler
        raise ParameterError(f"连接不上调度器 {address}：对方的应答不是 Dask 调度器的（{type(exc).__name__}: "
                             f"{str(exc)[:100]}）。{advice}") from None
    kind = identity.get("type") if isinstance(identity, dict) else None
    if kind != "Scheduler":
        raise ParameterError(f"{address} 不是 Dask 调度器（它说自己是 {kind!r}）。请给出 dask scheduler 的地址，"
                             "而不是工作节点或其他服务的地址")
    try:
        return _within(deadline_s, lambda: Client(address, timeout=deadline_s, set_as_default=False))
    except (_Stalled, OSError, TimeoutError) as exc:
        raise ParameterError(f"连接不上调度器 {address}（{deadline_s:g} 秒内未完成连接: {exc}）。{advice}") from None


async def _identity_of(address: str, deadline_s: float) -> dict:
    """What the server at `address` says it is (Dask's `identity` call), over one short-lived comm."""
    from distributed.comm import connect as open_comm

    comm = await open_comm(address, timeout=deadline_s)
    try:
        await comm.write({"op": "identity"})
        return await comm.read()
    finally:
        comm.abort()


def close(client: Client) -> None:
    """Close the client without waiting on a stalled cluster for longer than CLOSE_DEADLINE_S."""
    with suppress(Exception):
        _within(CLOSE_DEADLINE_S, lambda: client.close(timeout=CLOSE_DEADLINE_S))


def check_workers(client: Client, stall_timeout_s: float = pool.DEFAULT_STALL_TIMEOUT_S) -> None:
    """At least one worker, and every worker on this machine's code and library versions. Raises
    _Stalled when the workers do not answer within `stall_timeout_s`."""
    try:
        _within(WAIT_FOR_WORKERS_S + CLOSE_DEADLINE_S, lambda: client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S))
    except (TimeoutError, _Stalled):
        raise ParameterError(f"调度器 {client.scheduler.address} 上没有工作节点（等待了 {WAIT_FOR_WORKERS_S} 秒）。"
                             "请在各机器上运行 dask worker") from None
    mine = code_digests()
    answers = _within(stall_timeout_s, lambda: client.run(code_digests))
    differing = sorted(addr for addr, theirs in answers.items() if tuple(theirs) != mine)
    if differing:
        raise ParameterError("这些工作节点的 fazhi 代码或库版本与本机不同（需要相同的环境和项目代码；"
                             "代码更新后请重启 dask worker）: " + "、".join(differing))


def run_on_cluster(items: list[BatchItem], client: Client, data_dir: Path,
                   before_run: Callable[[], None] | None = None,
                   on_result: Callable[[ItemResult], None] | None = None, cell_timeout_s: float | None = None,
                   stall_timeout_s: float = pool.DEFAULT_STALL_TIMEOUT_S) -> list[ItemResult]:
    """Build `items` on the cluster, committing each page here as it arrives. `before_run` (data
    validation) runs while the workers start their kernels and may raise to stop before any report.
    When the cluster makes no progress for `stall_timeout_s` (checking the workers, starting their
    kernels, or no report finishing), the reports not yet built fail with a message."""
    results: list[ItemResult] = []
    try:
        check_workers(client, stall_timeout_s)
    except _Stalled:
        return pool.stalled(items, stall_timeout_s, on_result)
    snapshot = make_snapshot(data_dir, {item.job.notebook for item in items})
    warming = _Call(lambda: client.register_plugin(WarmKernelPlugin(), name=PLUGIN_NAME))
    try:
        if before_run is not None:
            before_run()
        warming.result(stall_timeout_s)
        _submit_and_commit(items, client, snapshot, results, on_result, cell_timeout_s, stall_timeout_s)
    except _Stalled:
        done = {id(r.item) for r in results}
        results += pool.stalled([i for i in items if id(i) not in done], stall_timeout_s, on_result)
    finally:
        # best effort, and brief after a stall: a kernel also exits with its worker
        deadline_s = STALLED_CLOSE_S if any(r.stalled for r in results) else CLOSE_DEADLINE_S
        with suppress(Exception):
            warming.result(deadline_s)
            _within(deadline_s, lambda: client.unregister_worker_plugin(PLUGIN_NAME))
    return results


def _submit_and_commit(items: list[BatchItem], client: Client, snapshot: Snapshot, results: list[ItemResult],
                       on_result: Callable[[ItemResult], None] | None, cell_timeout_s: float | None,
                       stall_timeout_s: float) -> None:
    """One task per report, keyed by its fingerprint; each page is committed as it arrives (appended
    to `results`) and then released, so the workers hold no finished page for long. Raises _Stalled
    when no report finishes for `stall_timeout_s`."""
    shipped = client.submit(_identity, snapshot, key=f"fazhi-snapshot-{snapshot.digest}", pure=False)
    futures = {client.submit(build_remote, item.job, shipped, cell_timeout_s,
                             key=f"fazhi-page-{item.fingerprint.digest}", pure=False, retries=RETRIES): item
               for item in items}
    arriving = as_completed(futures, loop=client.loop)
    progress = time.monotonic()
    while not arriving.is_empty():
        done = arriving.next_batch(block=False)
        if not done:
            if time.monotonic() - progress > stall_timeout_s:
                raise _Stalled()
            time.sleep(POLL_S)
            continue
        progress = time.monotonic()
        for future in done:
            result = _commit(futures.pop(future), future)
            future.release()
            results.append(result)
            if on_result is not None:
                on_result(result)


def _commit(item: BatchItem, future) -> ItemResult:
    """Write what a worker returned, as a local run would; any error is this report's failure."""
    try:
        page: PageFiles = future.result()
        build: BuildResult = commit_page(item.job, page, sidecar_outputs(item.job.html_path, item.fingerprint))
        return pool.record(item, build)
    except Exception as exc:  # retries used up, a worker killed too often, a disk that is full
        return ItemResult(item, "failed", 0.0, f"{type(exc).__name__}: {exc}")
