"""One build: parameterize and execute a page's notebook with papermill on a warm kernel, export it with
nbconvert, write atomically under outputs/<body>/<year>/ (or outputs/overview/<year>/).

`build_page(job, kernel)` is a function of (notebook, parameters, data directory, output root) and the
kernel it is lent; it holds no other state, so a batch can run it in any executor. It is two steps:
`execute_page` returns the files as bytes and writes nothing under the output root but its own scratch
notebook, `commit_page` writes them all together under the output folder's lock (a second run on the
same page waits); a cluster worker runs the first and the machine that owns the outputs the second.
When a cell fails, runs past its time limit (`cell_timeout_s`) or its kernel dies: the executed notebook
(with papermill's error banner for a failing cell) is kept beside the outputs as `*.failed.ipynb`, the
previous good HTML, if any, is left untouched, and a kernel that is dead or still busy is replaced.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import SCRATCH_SUFFIX, commit_files, new_temp, tidy_dead_temporaries
from ..errors import os_error
from ..locks import FolderLock
from .jobs import AnnualJob, OverviewJob

if TYPE_CHECKING:  # jupyter_client is heavy; importing this module must not load it
    from .kernel import WarmKernel

DEFAULT_CELL_TIMEOUT_S = 600.0  # a page's slowest cell takes seconds; ten minutes means it never returns
_live_scratch: set[Path] = set()  # this process's scratch notebooks, for remove_live_scratch()
ExtraOutputs = Callable[[bytes], dict[Path, bytes]]  # from the HTML's bytes, more files to commit with it


@dataclass(frozen=True)
class BuildResult:
    job: "AnnualJob | OverviewJob"
    ok: bool
    seconds: float
    error: str = ""  # the failing cell's error, for the summary


@dataclass(frozen=True)
class PageFiles:
    """What one build made, as bytes by file name in the job's output folder: a worker on another machine
    returns this, and the machine that owns the output root commits it (`commit_page`)."""

    ok: bool
    files: dict[str, bytes]
    seconds: float
    error: str = ""


def expected_names(job: "AnnualJob | OverviewJob", ok: bool) -> set[str]:
    """The only names a build may write: the HTML variants and the notebook, or the failed notebook."""
    if not ok:
        return {job.failed_notebook_path.name}
    return {job.html_path.name, job.analyst_html_path.name, job.notebook_path.name}


def build_page(job: "AnnualJob | OverviewJob", kernel: "WarmKernel", extra_outputs: ExtraOutputs | None = None,
               cell_timeout_s: float = DEFAULT_CELL_TIMEOUT_S) -> BuildResult:
    """Execute, export and commit one page, all under its output folder's lock. The HTML, analyst HTML,
    notebook and `extra_outputs(html_bytes)` (a batch's fingerprint) are committed together or not at
    all. A failed write raises OutputError naming the path; the previous files stay."""
    with FolderLock(job.out_dir):
        tidy_dead_temporaries(job.out_dir)  # what runs that died here left (their owner is gone)
        return _commit(job, execute_page(job, kernel, job.out_dir, cell_timeout_s=cell_timeout_s), extra_outputs)


def commit_page(job: "AnnualJob | OverviewJob", page: PageFiles,
                extra_outputs: ExtraOutputs | None = None) -> BuildResult:
    """Write a build made elsewhere (a cluster worker) under the job's output folder's lock."""
    with FolderLock(job.out_dir):
        tidy_dead_temporaries(job.out_dir)
        return _commit(job, page, extra_outputs)


def execute_page(job: "AnnualJob | OverviewJob", kernel: "WarmKernel", scratch_dir: Path,
                 leadership_only: bool = False, cell_timeout_s: float = DEFAULT_CELL_TIMEOUT_S) -> PageFiles:
    """Run the notebook and export both HTML variants, writing nothing but papermill's scratch notebook in
    `scratch_dir` (unique to this run, removed before returning). A failing cell, a cell that runs
    longer than `cell_timeout_s` and a kernel that dies are results, not exceptions. `leadership_only`
    (a live preview, which commits nothing) exports the leadership HTML only."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import engine as papermill_engine
    from .export import notebook_to_html
    from .kernel import KERNEL_NAME

    papermill_engine.register()
    started = time.perf_counter()
    kernel.prepare_run()
    scratch = _new_scratch(job, scratch_dir)  # papermill writes the executed notebook here once
    _live_scratch.add(scratch)
    try:
        try:
            nb = papermill.execute_notebook(
                str(job.notebook), str(scratch), parameters=job.notebook_parameters(),
                engine_name=papermill_engine.ENGINE_NAME, kernel_name=KERNEL_NAME, km=kernel.km, kc=kernel.kc,
                progress_bar=False, request_save_on_cell_execute=False, cwd=str(job.notebook.parent),
                execution_timeout=cell_timeout_s,
            )
        except PapermillExecutionError as exc:
            failed = {job.failed_notebook_path.name: scratch.read_bytes()}
            kernel.restart()  # a failed run may leave the kernel in any state
            return PageFiles(False, failed, time.perf_counter() - started, f"{exc.ename}: {exc.evalue}")
        except papermill_engine.CellStopped as exc:  # too slow, or the kernel died: never wait on it
            failed = {job.failed_notebook_path.name: nbformat.writes(exc.nb).encode("utf-8")}
            kernel.restart()
            return PageFiles(False, failed, time.perf_counter() - started, str(exc))
        except OSError as exc:  # papermill could not write its notebook: the disk, not the kernel
            raise os_error(exc, job.notebook_path) from None
        _stable_cell_ids(nb)
        if leadership_only:
            return PageFiles(True, {job.html_path.name: notebook_to_html(nb, job.title).encode("utf-8")},
                             time.perf_counter() - started)
        files = {
            job.html_path.name: notebook_to_html(nb, job.title).encode("utf-8"),
            job.analyst_html_path.name: notebook_to_html(nb, job.title, variant="analyst").encode("utf-8"),
            job.notebook_path.name: scratch.read_bytes(),  # the notebook papermill wrote, not serialized again
        }
        return PageFiles(True, files, time.perf_counter() - started)
    finally:
        scratch.unlink(missing_ok=True)
        _live_scratch.discard(scratch)


def _commit(job: "AnnualJob | OverviewJob", page: PageFiles, extra_outputs: ExtraOutputs | None) -> BuildResult:
    """On success the notebook, analyst HTML, HTML and extra outputs renamed in that order (a fingerprint
    last, so a half-renamed set is rebuilt), then an old failed notebook dropped; on failure only the failed
    notebook, so the previous good HTML stays. Refuses any other file name (a worker is not trusted with
    paths)."""
    names, allowed = set(page.files), expected_names(job, page.ok)
    if names != allowed if page.ok else not names <= allowed:  # a failure before any cell ran has no notebook
        raise ValueError(f"unexpected files for {job.stem}: {sorted(page.files)}")
    if not page.ok:
        if names:
            commit_files({job.failed_notebook_path: page.files[job.failed_notebook_path.name]})
        return BuildResult(job, False, page.seconds, page.error)
    html = page.files[job.html_path.name]
    commit_files({
        job.notebook_path: page.files[job.notebook_path.name],
        job.analyst_html_path: page.files[job.analyst_html_path.name],
        job.html_path: html,
        **(extra_outputs(html) if extra_outputs else {}),
    })
    try:
        job.failed_notebook_path.unlink(missing_ok=True)
    except OSError as exc:
        raise os_error(exc, job.failed_notebook_path, "删除") from None
    return BuildResult(job, True, page.seconds)


def remove_live_scratch() -> None:
    """For a process about to die on a signal: its half-written scratch notebooks (the next run under the
    folder's lock would remove them too)."""
    for scratch in list(_live_scratch):
        scratch.unlink(missing_ok=True)
    _live_scratch.clear()


def _new_scratch(job: "AnnualJob | OverviewJob", directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, path = new_temp(directory, SCRATCH_SUFFIX)
    except OSError as exc:
        raise os_error(exc, job.notebook_path) from None
    os.close(fd)
    return path


def _stable_cell_ids(nb) -> None:
    """papermill gives the cell it injects a random id, which nbconvert writes into the HTML; a fixed one
    keeps the same inputs giving byte-identical HTML."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
