"""Nothing waits forever: a cell that never returns, a kernel that dies, a scheduler that is not one, a
cluster that stops, a file that blocks whoever opens it."""

import logging
import os
import signal
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
from cases import all_of, batch, case, expect, notebook_with, pages, that
from sandbox import SEED_RAW, Sandbox

FIXTURE = (("测试区", "示例镇甲"),)
HANG_CELL = '__import__("time").sleep(10**6) if "峡口" in body else None'
DIE_CELL = '__import__("os")._exit(1) if "峡口" in body else None'
SCHEDULER_WITHIN_S = 30  # the deadline is 10 s; the rest is starting Python


# --- cells and kernels ----------------------------------------------------------------------------------------
@case("time", issue=True, needs=("kernel",), bodies=FIXTURE)
def cell_that_never_returns(box: Sandbox):
    """A cell that sleeps forever (`time.sleep(10**6)` in a --notebook) fails its report at --cell-timeout,
    naming the cell; the next report runs on a fresh kernel."""
    run = batch(box, "--notebook", str(notebook_with(box, HANG_CELL)), "--no-overview", "--workers", "1",
                "--cell-timeout", "3")
    return all_of(expect(run, 1, "运行超过 3 秒", "time\").sleep(10**6)"),
                  that([p.parent.parent.name for p in pages(box)] == ["测试区-示例镇甲"], "the other page built"))


@case("time", issue=True, needs=("kernel",), bodies=FIXTURE)
def kernel_exits_mid_cell(box: Sandbox):
    """A kernel that dies in mid-cell (`os._exit(1)`) fails that report at once; the batch goes on with a
    fresh kernel."""
    run = batch(box, "--notebook", str(notebook_with(box, DIE_CELL)), "--no-overview", "--workers", "1")
    return all_of(expect(run, 1, "内核意外退出", "_exit(1)", within_s=90),
                  that([p.parent.parent.name for p in pages(box)] == ["测试区-示例镇甲"], "the other page built"))


@case("time", needs=("kernel",), bodies=(*FIXTURE, ("测试区", "示例镇乙")))
def every_kernel_dies(box: Sandbox):
    """Every report's kernel dies (峡口镇 and two fixture bodies, `os._exit(1)` in all): each fails, none
    waits, two workers."""
    nb = notebook_with(box, '__import__("os")._exit(1)')
    return expect(batch(box, "--notebook", str(nb), "--no-overview"), 1, "失败 3", within_s=120)


def _kernel_of(proc) -> psutil.Process | None:
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            continue
    return None


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@case("time", issue=True, needs=("kernel",))
def kernel_killed_during_report(box: Sandbox):
    """`kill -9` of the kernel while `fazhi report` runs its cells: exit 1 naming the cell, no wait."""
    proc = box.start("report", "--data-dir", str(box.data), "--output-root", str(box.out))
    folder = box.out / "南岸区-峡口镇" / "2023"
    running = _wait_for(lambda: folder.is_dir() and any(folder.glob(".fazhi-*.running.ipynb")), 90)
    kernel = _kernel_of(proc)
    if kernel is not None:
        kernel.kill()
    run = box.finish(proc)
    return all_of(that(running and kernel is not None, "the report reached its cells"),
                  expect(run, 1, "内核意外退出", within_s=90))


@case("tracebacks", issue=True, needs=("kernel",))
def kernel_killed_while_starting(box: Sandbox):
    """The kernel is killed while it starts (before it answers): a message and exit 1, no traceback."""
    proc = box.start("report", "--data-dir", str(box.data), "--output-root", str(box.out))
    found = _wait_for(lambda: _kernel_of(proc) is not None, 60)
    kernel = _kernel_of(proc)
    if kernel is not None:
        kernel.kill()
    return all_of(that(found, "a kernel started"), expect(box.finish(proc), 1, "内核"))


# --- files that block ------------------------------------------------------------------------------------------
def _raw_fifo(box: Sandbox) -> None:
    raw = box.data / "raw" / SEED_RAW
    raw.unlink()
    os.mkfifo(raw)
    box.settle()


@case("time", issue=True, needs=("kernel",))
def raw_report_is_a_fifo(box: Sandbox):
    """A data/raw/ report that is a FIFO: `fazhi report` says so (exit 2) instead of blocking on it."""
    _raw_fifo(box)
    run = box.fazhi("report", "--data-dir", str(box.data), "--output-root", str(box.out), deadline_s=60)
    return expect(run, 2, "file_is_regular", SEED_RAW, within_s=30)


@case("time")
def raw_report_is_a_fifo_validate(box: Sandbox):
    """The same FIFO through `fazhi validate`, which lists it as a problem."""
    _raw_fifo(box)
    return expect(box.fazhi("validate", str(box.data), deadline_s=60), 2, "file_is_regular", within_s=30)


@case("time")
def raw_report_is_a_fifo_draft(box: Sandbox):
    """The same FIFO through `fazhi draft`, which quotes part 五 from the raw report."""
    _raw_fifo(box)
    run = box.fazhi("draft", "--data-dir", str(box.data), "--output-root", str(box.out), deadline_s=60)
    return expect(run, 2, "file_is_regular", within_s=30)


@case("time")
def raw_report_is_a_fifo_batch(box: Sandbox):
    """The same FIFO through `fazhi batch` (planning fingerprints the raw reports)."""
    _raw_fifo(box)
    return expect(batch(box, deadline_s=60), 2, "file_is_regular", within_s=40)


@case("time")
def observations_is_a_fifo(box: Sandbox):
    """data/observations.csv is a FIFO: validate says so."""
    path = box.data / "observations.csv"
    path.unlink()
    os.mkfifo(path)
    box.settle()
    return expect(box.fazhi("validate", str(box.data), deadline_s=60), 2, "file_is_regular", within_s=30)


@case("time")
def notebook_is_a_fifo(box: Sandbox):
    """`batch --notebook x.ipynb` where x.ipynb is a FIFO: refused as not a notebook."""
    os.mkfifo(box.root / "x.ipynb")
    box.settle()
    return expect(batch(box, "--notebook", str(box.root / "x.ipynb"), deadline_s=60), 2, "notebook_is_ipynb",
                  within_s=30)


@case("time")
def text_report_is_a_fifo(box: Sandbox):
    """`fazhi extract report.txt` where report.txt is a FIFO."""
    os.mkfifo(box.here / "report.txt")
    box.settle()
    run = box.fazhi("extract", "report.txt", "--unit", "峡口镇", "--year", "2023", deadline_s=60)
    return expect(run, 2, "file_is_regular", within_s=30)


@case("time")
def workbook_is_a_fifo(box: Sandbox):
    """`fazhi import t.xlsx` where t.xlsx is a FIFO."""
    os.mkfifo(box.here / "t.xlsx")
    box.settle()
    return expect(box.fazhi("import", "t.xlsx", "--data-dir", str(box.data), deadline_s=60), 2, "file_is_regular",
                  within_s=30)


@case("time")
def stdin_that_never_ends(box: Sandbox):
    """`fazhi extract -` reading /dev/zero on stdin: read up to its bound, then refused."""
    with open("/dev/zero", "rb") as zero:
        proc = box.start("extract", "-", "--unit", "峡口镇", "--year", "2023", stdin=zero)
        return expect(box.finish(proc, deadline_s=60), 2, "file_size", within_s=30)


# --- schedulers that are not one, clusters that stop ---------------------------------------------------------
@contextmanager
def _server(kind: str):
    """A local server on a free port: 'http' (a plain web server), 'silent' (accepts, never answers),
    'garbage' (answers random bytes), 'closed' (nothing listens)."""
    if kind == "http":
        class Quiet(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    if kind == "closed":
        listener.close()
        yield port
        return
    listener.listen(8)
    held = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            if kind == "garbage":
                conn.sendall(os.urandom(4096))

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield port
    finally:
        listener.close()
        for conn in held:
            conn.close()


def _scheduler_case(kind: str):
    def run(box: Sandbox):
        with _server(kind) as port:
            result = batch(box, "--scheduler", f"tcp://127.0.0.1:{port}", deadline_s=90)
        return expect(result, 2, "连接不上调度器", within_s=SCHEDULER_WITHIN_S)
    return run


case("time", issue=True, needs=("distributed",), name="scheduler_is_a_web_server",
     about="--scheduler pointing at a plain HTTP server: exit 2 in seconds.")(_scheduler_case("http"))
case("time", issue=True, needs=("distributed",), name="scheduler_never_answers",
     about="--scheduler at a port that accepts and never answers: exit 2 in seconds.")(_scheduler_case("silent"))
case("time", needs=("distributed",), name="scheduler_answers_garbage",
     about="--scheduler at a port that answers random bytes: exit 2.")(_scheduler_case("garbage"))
case("time", needs=("distributed",), name="scheduler_port_closed",
     about="--scheduler at a port nothing listens on: exit 2 within the deadline.")(_scheduler_case("closed"))


@case("tracebacks", issue=True, needs=("distributed",))
def scheduler_address_malformed(box: Sandbox):
    """Malformed --scheduler addresses: exit 2 naming the expected form, no traceback."""
    runs = [batch(box, "--scheduler", address, deadline_s=60)
            for address in ("tcp://[::1", "tcp://host:port", "tcp://", "tcp://127.0.0.1:99999", "http://127.0.0.1:8786")]
    return all_of(*(expect(run, 2, "tcp://主机:端口", within_s=30) for run in runs))


def _stopped_cluster_case(when: str):
    def run(box: Sandbox):
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, local_directory=str(box.root.parent / "dask-space"),
                               silence_logs=logging.CRITICAL)  # a stopped worker is the point, not news
        client = Client(cluster, set_as_default=False)
        worker_pid = next(iter(client.run(os.getpid).values()))
        try:
            # stopped before: 2 s; stopped mid-run: 10 s, so that starting the worker's kernel is not a stall
            stall = "2" if when == "before" else "10"
            args = ("--scheduler", cluster.scheduler_address, "--no-overview", "--stall-timeout", stall)
            if when == "before":
                os.kill(worker_pid, signal.SIGSTOP)
                result = batch(box, *args, deadline_s=90)
            else:
                proc = box.start("batch", "--data-dir", str(box.data), "--output-root", str(box.out), *args)
                busy = _wait_for(lambda: proc.poll() is not None or any(
                    str(k).startswith("fazhi-page-") for keys in client.processing().values() for k in keys), 90)
                busy = busy and proc.poll() is None
                os.kill(worker_pid, signal.SIGSTOP)
                result = box.finish(proc, deadline_s=90)
                if not busy:
                    return False, "the batch never reached a report"
        finally:
            os.kill(worker_pid, signal.SIGCONT)
            client.close()
            cluster.close()
        return expect(result, 1, "--stall-timeout", "批处理已结束", within_s=40)
    return run


case("time", issue=True, needs=("cluster", "kernel"), name="cluster_worker_stopped",
     about="A cluster whose only worker is stopped (SIGSTOP): after --stall-timeout the reports fail with a "
           "message, exit 1.")(_stopped_cluster_case("before"))
case("time", needs=("cluster", "kernel"), name="cluster_worker_stopped_mid_run",
     about="The only worker is stopped in the middle of a report: the same.")(_stopped_cluster_case("during"))
