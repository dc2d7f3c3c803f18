"""Many pages in parallel: each one is `run_item(item)`, a function of (notebook, parameters, data
snapshot, output root) with no shared mutable state, handed to a `concurrent.futures.Executor`. The only
per-process state is the warm kernel a worker lazily starts and keeps; IPC transport means kernels of
parallel workers cannot race for ports.
"""

import atexit
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING

from .. import pages, paths, procs
from ..errors import FazhiError, OutputError
from .fingerprint import sidecar_outputs
from .plan import BatchItem, ItemResult

if TYPE_CHECKING:
    from ..render.build import BuildResult

# --- one report, in a worker process ------------------------------------------------------------------
_worker_kernel = None
_exit_hooks = False


def worker_kernel():
    """This process's warm kernel, started on first use and shut down when the process exits."""
    global _worker_kernel, _exit_hooks
    if _worker_kernel is None:
        from ..render.kernel import WarmKernel

        _worker_kernel = WarmKernel(cwd=paths.NOTEBOOKS_DIR, warm_code=pages.KERNEL_WARM_CODE).start()
        if not _exit_hooks:  # once per process, however often the kernel is restarted
            atexit.register(shutdown_worker_kernel)
            multiprocessing.util.Finalize(None, shutdown_worker_kernel, exitpriority=10)
            _exit_hooks = True
    return _worker_kernel


def shutdown_worker_kernel() -> None:
    global _worker_kernel
    kernel, _worker_kernel = _worker_kernel, None
    if kernel is not None:
        kernel.shutdown()


def init_worker() -> None:
    """Ctrl+C is the fazhi command's to handle (it stops the workers); SIGTERM or the command's death
    ends this worker at once, with its kernel and scratch files."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: _die(128 + signum))
    procs.watch_parent(lambda: _die(1))


def _die(code: int) -> None:
    from ..render.build import remove_live_scratch
    from ..render.kernel import WarmKernel

    WarmKernel.kill_all_now()
    remove_live_scratch()
    os._exit(code)


def warm_worker() -> int:
    """Start this worker's kernel, and import papermill and nbconvert while it boots."""
    worker_kernel()
    from ..render.imports import decline_slow_optional_imports

    decline_slow_optional_imports()
    from ..render import build, engine, export  # noqa: F401  (imports are the point)

    return os.getpid()


def run_item(item: BatchItem, cell_timeout_s: float | None = None) -> ItemResult:
    """Build one page and record its fingerprint; any error becomes a failed result, never a crash."""
    from ..render.build import DEFAULT_CELL_TIMEOUT_S, build_page

    started = time.perf_counter()
    job = item.job
    try:
        kernel = worker_kernel()
        result = build_page(job, kernel, extra_outputs=sidecar_outputs(job.html_path, item.fingerprint),
                            cell_timeout_s=cell_timeout_s or DEFAULT_CELL_TIMEOUT_S)
    except OutputError as exc:  # the disk, not the kernel: keep the warm kernel
        return ItemResult(item, "failed", time.perf_counter() - started, str(exc), place_unusable=exc.place_unusable)
    except Exception as exc:  # a kernel that could not start or died: this report fails, the batch goes on
        shutdown_worker_kernel()
        shown = str(exc) if isinstance(exc, FazhiError) else f"{type(exc).__name__}: {exc}"
        return ItemResult(item, "failed", time.perf_counter() - started, shown)
    return record(item, result)


def record(item: BatchItem, result: "BuildResult") -> ItemResult:
    """A committed build as the batch reports it; a built page gets its fingerprint sidecar, after it."""
    if not result.ok:
        return ItemResult(item, "failed", result.seconds, result.error)
    return ItemResult(item, "built", result.seconds)


# --- the batch -------------------------------------------------------------------------------------
def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# Only fazhi's light modules: a worker must fork at once and launch its kernel before it imports
# papermill/nbconvert (warm_worker), or the kernel's warm-up starts late (benchmarks/batch_speed.py).
WORKER_PRELOAD = ["fazhi_analysis.batch.pool", "fazhi_analysis.render.build", "fazhi_analysis.render.kernel"]


def process_pool(workers: int) -> Executor:
    """Workers forked from a clean forkserver (never from this possibly threaded parent)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker)


STOP_GRACE_S = 3.0
DEFAULT_STALL_TIMEOUT_S = 1800.0  # longer than any page's cell limit (600 s) plus a kernel restart


def stop_workers(executor: Executor) -> None:
    """On Ctrl+C or SIGTERM: cancel what has not started and end every worker (each kills its kernel);
    a worker that has not gone after STOP_GRACE_S is killed."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)
    executor.shutdown(wait=True, cancel_futures=True)


def run_items(items: list[BatchItem], executor: Executor, warm_workers: int = 0,
              before_run: Callable[[], None] | None = None,
              on_result: Callable[[ItemResult], None] | None = None,
              cell_timeout_s: float | None = None,
              stall_timeout_s: float = DEFAULT_STALL_TIMEOUT_S) -> list[ItemResult]:
    """Submit every item; `before_run` (e.g. data validation) runs while the workers warm up, and may
    raise to stop the batch before any report starts. When no report finishes for `stall_timeout_s`
    (workers stopped or stuck), the rest fail with a message instead of being waited for; the caller
    then stops the workers."""
    warmups = [executor.submit(warm_worker) for _ in range(warm_workers)]
    if before_run is not None:
        try:
            before_run()
        except BaseException:
            for future in warmups:
                future.cancel()
            raise
    futures = {executor.submit(run_item, item, cell_timeout_s): item for item in items}
    results = []
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=stall_timeout_s, return_when=FIRST_COMPLETED)
        if not done:
            for future in pending:
                future.cancel()
            results += stalled([futures[f] for f in pending], stall_timeout_s, on_result)
            break
        for future in done:
            if future.cancelled():
                continue
            try:
                result = future.result()
            except Exception as exc:  # the worker process itself died
                result = ItemResult(futures[future], "failed", 0.0, f"{type(exc).__name__}: {exc}")
            results.append(result)
            if on_result is not None:
                on_result(result)
            if result.place_unusable:  # a full or read-only output root: every other report would fail alike
                for other in futures:
                    other.cancel()
    return results


def stall_message(stall_timeout_s: float) -> str:
    return f"{stall_timeout_s:g} 秒内没有任何报告完成（--stall-timeout）：工作进程或集群停滞，本报告未生成"


def stalled(items: list[BatchItem], stall_timeout_s: float,
            on_result: Callable[[ItemResult], None] | None) -> list[ItemResult]:
    """Every report not built when the run stopped making progress, as a failed result."""
    results = []
    for item in sorted(items, key=lambda i: i.caption):
        result = ItemResult(item, "failed", 0.0, stall_message(stall_timeout_s), stalled=True)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
