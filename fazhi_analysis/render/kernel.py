"""A Jupyter kernel of this project's own interpreter, started once and reused across reports.

Why: starting a kernel and importing pandas/matplotlib costs more than a whole page's work
(benchmarks/report_speed.py prints the phases).
- The kernel command is this interpreter (`sys.executable -m ipykernel_launcher`), never a kernelspec
  name that could resolve to another Python (papermill #251, #761).
- Transport is IPC (Unix sockets in a private directory), so kernels started at the same moment
  cannot race for TCP ports (papermill #511, #239, #776).
- One client stays connected for the kernel's life: a new client per report would wait each time,
  because jupyter_client's `wait_for_ready` drains IOPub until it falls silent. It is jupyter_client's
  asynchronous client, the kind nbclient is written for: its per-cell timeout and its check that the
  kernel still lives only run while it awaits messages (engine.py).
- A kernel that died (killed, out of memory, `os._exit` in a cell, or while starting) is replaced by a
  fresh one before the next report; a start that fails raises KernelStartError, a message, not a
  traceback.
- `start()` only launches; the kernel runs the caller's warm-up code (imports of pandas, matplotlib and
  the page modules) as it starts, and the wait for it happens at the first run, so the caller can
  import papermill/nbconvert meanwhile.
- Between reports the user namespace is reset; imported modules stay warm.
- The kernel dies with its owner: PR_SET_PDEATHSIG (procs.py) kills it when the process that launched it
  dies, even by SIGKILL; its private folder names the owner, so the next run removes a dead owner's.
"""

import os
import shutil
import signal
import sys
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbclient.util import run_sync  # jupyter_core's, as nbclient re-exports it

from .. import procs
from ..data.layout import RECEIPT_ENV
from ..errors import FazhiError

KERNEL_NAME = "fazhi-project-python"
KERNEL_STDERR_FILE = "kernel-stderr.log"
START_TIMEOUT_S = 60
RUN_SETUP_TIMEOUT_S = 120
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"
ASYNC_CLIENT = "jupyter_client.asynchronous.AsyncKernelClient"


class KernelStartError(FazhiError):
    """The kernel could not be started, or died before it answered."""


class ProjectKernelSpecs(KernelSpecManager):
    """Resolves exactly one kernel: this interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="fazhi (project Python)", language="python", env={"PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        )

    def find_kernel_specs(self) -> dict[str, str]:
        return {KERNEL_NAME: str(Path(sys.executable).parent)}


class WarmKernel:
    """`warm_code` is constant code the kernel runs as it starts (the caller's imports); nothing from data
    or parameters may ever be part of it."""

    _tidied = False  # what dead runs left in the temporary folder is removed once per process
    _live: set["WarmKernel"] = set()  # every kernel of this process not yet shut down, for kill_all_now()

    def __init__(self, cwd: Path, warm_code: str = ""):
        if not WarmKernel._tidied:
            WarmKernel._tidied = True
            procs.tidy_dead_temp_dirs()
        self._socket_dir = procs.make_temp_dir("k")
        WarmKernel._live.add(self)
        self.km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=ProjectKernelSpecs(),
                                transport="ipc", ip=str(self._socket_dir / "k"), client_class=ASYNC_CLIENT)
        self.km.connection_file = str(self._socket_dir / "connection.json")
        self.kc = None  # the one client, connected at the first run
        self._cwd = cwd
        self._warm_code = warm_code

    def start(self) -> "WarmKernel":
        """Launch the kernel, which runs the warm-up imports itself as it starts (IPython's exec_lines),
        and return at once: the caller imports papermill/nbconvert and checks data meanwhile.
        No client connects yet, so a launch that is shut down straight away leaves no client threads."""
        env = {**os.environ, RECEIPT_ENV: str(self.receipt_path)}
        warm = [f"--IPKernelApp.exec_lines={self._warm_code}"] if self._warm_code else []
        try:
            # the kernel's own stderr goes to its private folder: a kernel killed as it starts may print
            # "Fatal Python error … Traceback" there, never on the user's terminal (the command says what failed)
            with open(self._socket_dir / KERNEL_STDERR_FILE, "wb") as stderr:
                self.km.start_kernel(cwd=str(self._cwd), env=env, preexec_fn=procs.kill_with_parent_preexec(),
                                     stderr=stderr, extra_arguments=["--HistoryManager.enabled=False", *warm])
        except (OSError, RuntimeError) as exc:
            self.shutdown()
            raise KernelStartError(f"无法启动 Jupyter 内核（{type(exc).__name__}: {exc}）") from None
        return self

    @property
    def receipt_path(self) -> Path:
        """Where the launching process may vouch for data it has fully checked (receipts.vouch_for), in
        this kernel's private directory, so the kernel need not import pandera and check it again."""
        return self._socket_dir / "validated.json"

    def prepare_run(self) -> None:
        """Called before each report: the first time, connect and wait until the kernel (warm-up
        included) answers; afterwards, clear the previous report's namespace. A kernel that died since
        (killed between reports) is replaced first; one that dies while starting raises KernelStartError
        and is replaced, so the next report gets a fresh one."""
        if self.kc is not None and not self.km.is_alive():
            self.restart()
        try:
            if self.kc is None:
                self.kc = self.km.client()
                self.kc.start_channels()
                self.kc.allow_stdin = False
                run_sync(self.kc.wait_for_ready)(timeout=START_TIMEOUT_S)
            else:
                self._execute(RESET_CODE)
        except (RuntimeError, TimeoutError) as exc:
            self.restart()
            raise KernelStartError(f"Jupyter 内核启动或准备时出错（{exc}）；已换用新的内核，请重试") from None

    def _execute(self, code: str) -> None:
        reply = run_sync(self.kc.execute_interactive)(code, silent=True, store_history=False,
                                                       timeout=RUN_SETUP_TIMEOUT_S, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue', '')}")

    def restart(self) -> None:
        """After a failed report the kernel's state is suspect (or it is dead, or still busy in a cell
        that ran too long): kill it and start afresh."""
        self.shutdown()
        self.__init__(self._cwd, self._warm_code)
        self.start()

    def shutdown(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            WarmKernel._live.discard(self)

    def kill_now(self) -> None:
        """For a signal handler or a dying worker: SIGKILL the kernel's process group (it has its own
        session) and remove its folder, without talking to it."""
        process = getattr(self.km.provisioner, "process", None) if self.km.provisioner else None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(self._socket_dir, ignore_errors=True)
        WarmKernel._live.discard(self)

    @classmethod
    def kill_all_now(cls) -> None:
        """Every kernel of this process, also one still starting (for a worker that must die now)."""
        for kernel in list(cls._live):
            kernel.kill_now()

    def __enter__(self) -> "WarmKernel":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()
