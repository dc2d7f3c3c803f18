"""One build: parameterize and execute a page's notebook with papermill on a warm kernel, export it with
nbconvert, write atomically under outputs/<body>/<year>/ (or outputs/overview/<year>/).

`build_page(job, kernel)` is a function of (notebook, parameters, data directory, output root) and the
kernel it is lent; it holds no other state, so a batch can run it in any executor.
When a cell fails: the executed notebook (with papermill's error banner) is kept beside the outputs as
`*.failed.ipynb`, and the previous good HTML, if any, is left untouched.
"""

import glob
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_text_atomic
from .jobs import AnnualJob, OverviewJob

if TYPE_CHECKING:  # jupyter_client is heavy; importing this module must not load it
    from .kernel import WarmKernel

# what a killed run of one job can leave: its own temporary files only, since overview pages of a year share
# a folder and another job's files there may belong to a build running right now
LEFTOVER_PATTERNS = (".{stem}.*.tmp", ".{stem}-analyst.html.*.tmp", ".{stem}.running.ipynb")


@dataclass(frozen=True)
class BuildResult:
    job: "AnnualJob | OverviewJob"
    ok: bool
    seconds: float
    error: str = ""  # the failing cell's error, for the summary


def build_page(job: "AnnualJob | OverviewJob", kernel: "WarmKernel") -> BuildResult:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import engine as papermill_engine
    from .export import notebook_to_html
    from .kernel import KERNEL_NAME

    papermill_engine.register()
    started = time.perf_counter()
    kernel.prepare_run()
    job.out_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(job.out_dir, job.stem)
    scratch = job.out_dir / f".{job.stem}.running.ipynb"  # papermill writes the executed notebook here once
    try:
        nb = papermill.execute_notebook(
            str(job.notebook), str(scratch), parameters=job.notebook_parameters(),
            engine_name=papermill_engine.ENGINE_NAME, kernel_name=KERNEL_NAME, km=kernel.km, kc=kernel.kc,
            progress_bar=False, request_save_on_cell_execute=False, cwd=str(job.notebook.parent),
        )
    except PapermillExecutionError as exc:
        _move_synced(scratch, job.failed_notebook_path)
        kernel.restart()  # a failed run may leave the kernel in any state
        return BuildResult(job, False, time.perf_counter() - started, f"{exc.ename}: {exc.evalue}")
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    _stable_cell_ids(nb)
    write_text_atomic(job.html_path, notebook_to_html(nb, job.title))
    write_text_atomic(job.out_dir / f"{job.stem}-analyst.html", notebook_to_html(nb, job.title, variant="analyst"))
    _move_synced(scratch, job.notebook_path)  # the notebook papermill wrote, not serialized a second time
    job.failed_notebook_path.unlink(missing_ok=True)
    return BuildResult(job, True, time.perf_counter() - started)


def _remove_leftovers(out_dir: Path, stem: str) -> None:
    """Temporary files a killed run of this job left (never a final path): the rerun tidies them away."""
    for pattern in LEFTOVER_PATTERNS:
        for path in out_dir.glob(pattern.format(stem=glob.escape(stem))):
            path.unlink(missing_ok=True)


def _move_synced(scratch: Path, final: Path) -> None:
    """Flush papermill's file to disk, then rename it into place (atomic, like atomic.py's writes)."""
    with scratch.open("rb+") as handle:
        os.fsync(handle.fileno())
    scratch.replace(final)


def _stable_cell_ids(nb) -> None:
    """papermill gives the cell it injects a random id, which nbconvert writes into the HTML; a fixed one
    keeps the same inputs giving byte-identical HTML."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
