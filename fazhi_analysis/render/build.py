"""One build: parameterize and execute a page's notebook with papermill on a warm kernel, export it with
nbconvert, write atomically under outputs/<body>/<year>/ (or outputs/overview/<year>/).

`build_page(job, kernel)` is a function of (notebook, parameters, data directory, output root) and the
kernel it is lent; it holds no other state, so a batch can run it in any executor.
When a cell fails: the executed notebook (with papermill's error banner) is kept beside the outputs as
`*.failed.ipynb`, and the previous good HTML, if any, is left untouched.
"""

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import commit_files, default_mode
from ..errors import os_error
from ..locks import FolderLock, remove_leftovers
from .jobs import AnnualJob, OverviewJob

if TYPE_CHECKING:  # jupyter_client is heavy; importing this module must not load it
    from .kernel import WarmKernel

SCRATCH_SUFFIX = ".running.ipynb"
_live_scratch: set[Path] = set()  # this process's scratch notebooks, for remove_live_scratch()


@dataclass(frozen=True)
class BuildResult:
    job: "AnnualJob | OverviewJob"
    ok: bool
    seconds: float
    error: str = ""  # the failing cell's error, for the summary


def build_page(job: "AnnualJob | OverviewJob", kernel: "WarmKernel",
               extra_outputs: Callable[[bytes], dict[Path, bytes]] | None = None) -> BuildResult:
    """Build one page under its output folder's lock (a second run on the same page waits). The HTML,
    analyst HTML, notebook and `extra_outputs(html_bytes)` (a batch's fingerprint) are committed together
    or not at all. A failed write raises OutputError naming the path; the previous files stay."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import engine as papermill_engine
    from .export import notebook_to_html
    from .kernel import KERNEL_NAME

    papermill_engine.register()
    started = time.perf_counter()
    kernel.prepare_run()
    with FolderLock(job.out_dir):
        remove_leftovers(job.out_dir)  # under the lock, anything temporary here was left by a dead run
        scratch = _new_scratch(job)  # papermill writes the executed notebook here once; unique to this run
        _live_scratch.add(scratch)
        try:
            try:
                nb = papermill.execute_notebook(
                    str(job.notebook), str(scratch), parameters=job.notebook_parameters(),
                    engine_name=papermill_engine.ENGINE_NAME, kernel_name=KERNEL_NAME, km=kernel.km, kc=kernel.kc,
                    progress_bar=False, request_save_on_cell_execute=False, cwd=str(job.notebook.parent),
                )
            except PapermillExecutionError as exc:
                commit_files({job.failed_notebook_path: scratch})
                kernel.restart()  # a failed run may leave the kernel in any state
                return BuildResult(job, False, time.perf_counter() - started, f"{exc.ename}: {exc.evalue}")
            except OSError as exc:  # papermill could not write its notebook: the disk, not the kernel
                raise os_error(exc, job.notebook_path) from None
            _stable_cell_ids(nb)
            html = notebook_to_html(nb, job.title).encode("utf-8")
            analyst = notebook_to_html(nb, job.title, variant="analyst").encode("utf-8")
            commit_files({  # renamed in this order; a fingerprint last, so a half-renamed set is rebuilt
                job.notebook_path: scratch,  # the notebook papermill wrote, not serialized a second time
                job.out_dir / f"{job.stem}-analyst.html": analyst,
                job.html_path: html,
                **(extra_outputs(html) if extra_outputs else {}),
            })
        finally:
            scratch.unlink(missing_ok=True)
            _live_scratch.discard(scratch)
        try:
            job.failed_notebook_path.unlink(missing_ok=True)
        except OSError as exc:
            raise os_error(exc, job.failed_notebook_path, "删除") from None
    return BuildResult(job, True, time.perf_counter() - started)


def remove_live_scratch() -> None:
    """For a process about to die on a signal: its half-written scratch notebooks (the next run under the
    folder's lock would remove them too)."""
    for scratch in list(_live_scratch):
        scratch.unlink(missing_ok=True)
    _live_scratch.clear()


def _new_scratch(job: "AnnualJob | OverviewJob") -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{job.stem}.{os.getpid()}.", suffix=SCRATCH_SUFFIX, dir=job.out_dir)
    except OSError as exc:
        raise os_error(exc, job.notebook_path) from None
    os.fchmod(fd, default_mode())  # the kept notebook gets the usual permissions, not mkstemp's private ones
    os.close(fd)
    return Path(name)


def _stable_cell_ids(nb) -> None:
    """papermill gives the cell it injects a random id, which nbconvert writes into the HTML; a fixed one
    keeps the same inputs giving byte-identical HTML."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
