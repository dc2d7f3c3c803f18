"""A Jupyter kernel of this project's own interpreter, started once and reused across reports.

Why: starting a kernel and importing pandas/matplotlib costs ~2 s, more than a whole report's work.
- The kernel command is this interpreter (`sys.executable -m ipykernel_launcher`), never a kernelspec
  name that could resolve to another Python (papermill #251, #761).
- Transport is IPC (Unix sockets in a private directory), so kernels started at the same moment
  cannot race for TCP ports (papermill #511, #239, #776).
- Between reports the user namespace is reset; imported modules stay warm.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

KERNEL_NAME = "fazhi-project-python"
START_TIMEOUT_S = 60
WARM_CODE = (
    "import fazhi_analysis.report, fazhi_analysis.charts\n"
    "fazhi_analysis.charts.ensure_cjk_font()\n"
)
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"


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
    def __init__(self, cwd: Path):
        self._socket_dir = Path(tempfile.mkdtemp(prefix="fazhi-k-"))
        self.km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=ProjectKernelSpecs(),
                                transport="ipc", ip=str(self._socket_dir / "k"))
        self.km.connection_file = str(self._socket_dir / "connection.json")
        self._cwd = cwd
        self._warmup_client = None

    def start(self) -> "WarmKernel":
        """Start the kernel and queue the warm-up imports without waiting for them."""
        self.km.start_kernel(cwd=str(self._cwd), extra_arguments=["--HistoryManager.enabled=False"])
        self._warmup_client = self.km.client()
        self._warmup_client.start_channels()
        self._warmup_client.wait_for_ready(timeout=START_TIMEOUT_S)
        self._warmup_client.execute(WARM_CODE, silent=True, store_history=False)
        return self

    def prepare_run(self) -> None:
        """Called before each report. A blocking client does not survive papermill's event loop, so each
        use gets a short-lived client of its own: the warm-up one is closed here (its request is
        already queued in the kernel), and later runs reset the namespace first."""
        if self._warmup_client is not None:
            self._warmup_client.stop_channels()
            self._warmup_client = None
            return
        client = self.km.client()
        client.start_channels()
        try:
            reply = client.execute_interactive(RESET_CODE, silent=True, store_history=False, timeout=60)
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            raise RuntimeError("kernel reset failed")

    def restart(self) -> None:
        """After a failed report the kernel's state is suspect: start afresh."""
        self.shutdown()
        self.__init__(self._cwd)
        self.start()

    def shutdown(self) -> None:
        try:
            if self._warmup_client is not None:
                self._warmup_client.stop_channels()
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    def __enter__(self) -> "WarmKernel":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()
