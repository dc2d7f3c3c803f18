"""papermill, extended the way papermill means to be extended: an engine and a translator.

- `WarmKernelEngine` runs a notebook on an already-started kernel through its already-connected client
  (see kernel.py), so no kernel start and no client handshake per report; papermill still
  parameterizes, records cell status and errors.
- Every cell has a time limit (`execution_timeout`, from `--cell-timeout`), and a kernel that dies is
  noticed within a second: both end the run with `CellStopped`, naming the cell. This needs the
  kernel's client to be asynchronous (kernel.py): with a blocking client nbclient's wait for output
  blocks its event loop, so neither its timeout nor its liveness check ever runs (a cell that sleeps
  forever, or a kernel killed mid-cell, stalled the run).
- `LiteralPythonTranslator` injects parameters with `repr()`: always an inert Python literal, and
  readable for Chinese text (papermill's default writes \\uXXXX escapes).
"""

import asyncio
import logging

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync  # jupyter_core's, as nbclient re-exports it
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.translators import PythonTranslator, papermill_translators

ENGINE_NAME = "fazhi-warm"
# nbclient logs "Kernel died …" / "Timeout waiting …" in English on stderr; fazhi reports both itself
_QUIET_LOG = logging.getLogger("fazhi.nbclient")
_QUIET_LOG.addHandler(logging.NullHandler())
_QUIET_LOG.propagate = False
SOURCE_SHOWN_CHARS = 60


class CellStopped(Exception):
    """A cell that ran past its time limit, or whose kernel died: the page fails, and the kernel (dead,
    or still busy in that cell) must be replaced before the next page."""

    def __init__(self, message: str, timed_out: bool, nb):
        super().__init__(message)
        self.timed_out = timed_out
        self.nb = nb  # the notebook as far as it ran, kept as the page's *.failed.ipynb


class LiteralPythonTranslator(PythonTranslator):
    @classmethod
    def translate_str(cls, val: str) -> str:
        return repr(val)

    @classmethod
    def translate_escaped_str(cls, str_val) -> str:
        return repr(str_val) if isinstance(str_val, str) else f'"{str_val}"'


class _BoundedClient(PapermillNotebookClient):
    """papermill's client that remembers which cell runs, and after a timeout or a dead kernel cancels
    nbclient's own polling tasks (left pending, they would read the next page's messages)."""

    running_cell = -1

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.running_cell = cell_index
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except (CellTimeoutError, DeadKernelError):
            current = asyncio.current_task()
            for task in asyncio.all_tasks():
                if task is not current:
                    task.cancel()
            raise

    execute_cell = run_sync(async_execute_cell)


def _stopped(exc: Exception, nb, index: int, timeout_s: float | None) -> CellStopped:
    cell = nb.cells[index] if 0 <= index < len(nb.cells) else None
    lines = [line.strip() for line in (cell.source if cell else "").splitlines() if line.strip()]
    first = next((line for line in lines if not line.startswith("#")), lines[0] if lines else "")
    shown = first if len(first) <= SOURCE_SHOWN_CHARS else first[:SOURCE_SHOWN_CHARS - 1] + "…"
    where = f"第{index + 1}个单元格" + (f"（{shown}）" if shown else "")
    if isinstance(exc, CellTimeoutError):
        return CellStopped(f"{where}运行超过 {timeout_s:g} 秒（--cell-timeout），已停止", True, nb)
    return CellStopped(f"{where}运行时内核意外退出（被强制结束、崩溃或内存不足），已停止", False, nb)


class WarmKernelEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, km=None, kc=None, **kwargs):
        client = _BoundedClient(
            nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout, startup_timeout=start_timeout,
            log=_QUIET_LOG, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
        )
        client.kc = kc  # set: nbclient skips its own client start; km given: it leaves kernel and client alive
        try:
            return client.execute()
        except (CellTimeoutError, DeadKernelError) as exc:
            raise _stopped(exc, nb_man.nb, client.running_cell, execution_timeout) from None


def register() -> None:
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    papermill_translators.register("python", LiteralPythonTranslator)
