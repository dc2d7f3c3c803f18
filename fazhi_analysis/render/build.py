"""One build: parameterize and execute a page's notebook with papermill on a warm kernel, export it with
nbconvert, write atomically under outputs/<body>/<year>/ (or outputs/overview/<year>/).

`build_page(job, kernel)` is a function of (notebook, parameters, data directory, output root) and the
kernel it is lent; it holds no other state, so a batch can run it in any executor. It is two steps:
`execute_page` returns the files as bytes and writes nothing under the output root, `commit_page` writes
them atomically; a cluster worker runs the first and the machine that owns the outputs the second.
When a cell fails: the executed notebook (with papermill's error banner) is kept beside the outputs as
`*.failed.ipynb`, and the previous good HTML, if any, is left untouched.
"""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_bytes_atomic
from .jobs import AnnualJob, OverviewJob

if TYPE_CHECKING:  # jupyter_client is heavy; importing this module must not load it
    from .kernel import WarmKernel

LEFTOVER_PATTERNS = (".*.tmp", ".*.running.ipynb")  # what a killed run can leave in an output folder


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


def build_page(job: "AnnualJob | OverviewJob", kernel: "WarmKernel") -> BuildResult:
    """Execute, export and commit one page in its own output folder."""
    prepare_out_dir(job)
    return commit_page(job, execute_page(job, kernel, job.out_dir))


def prepare_out_dir(job: "AnnualJob | OverviewJob") -> None:
    job.out_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(job.out_dir)


def execute_page(job: "AnnualJob | OverviewJob", kernel: "WarmKernel", scratch_dir: Path) -> PageFiles:
    """Run the notebook and export both HTML variants, writing nothing but papermill's scratch notebook in
    `scratch_dir` (removed before returning). A failing cell is a result, not an exception."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import engine as papermill_engine
    from .export import notebook_to_html
    from .kernel import KERNEL_NAME

    papermill_engine.register()
    started = time.perf_counter()
    kernel.prepare_run()
    scratch = scratch_dir / f".{job.stem}.running.ipynb"  # papermill writes the executed notebook here once
    try:
        nb = papermill.execute_notebook(
            str(job.notebook), str(scratch), parameters=job.notebook_parameters(),
            engine_name=papermill_engine.ENGINE_NAME, kernel_name=KERNEL_NAME, km=kernel.km, kc=kernel.kc,
            progress_bar=False, request_save_on_cell_execute=False, cwd=str(job.notebook.parent),
        )
    except PapermillExecutionError as exc:
        failed = {job.failed_notebook_path.name: _take(scratch)}
        kernel.restart()  # a failed run may leave the kernel in any state
        return PageFiles(False, failed, time.perf_counter() - started, f"{exc.ename}: {exc.evalue}")
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    _stable_cell_ids(nb)
    files = {
        job.html_path.name: notebook_to_html(nb, job.title).encode("utf-8"),
        job.analyst_html_path.name: notebook_to_html(nb, job.title, variant="analyst").encode("utf-8"),
        job.notebook_path.name: _take(scratch),  # the notebook papermill wrote, not serialized a second time
    }
    return PageFiles(True, files, time.perf_counter() - started)


def commit_page(job: "AnnualJob | OverviewJob", page: PageFiles) -> BuildResult:
    """Write a build's files atomically under the job's output folder: on success the HTML first, then the
    notebook, then drop an old failed notebook; on failure only the failed notebook, so the previous good
    HTML stays untouched. Refuses any other file name (a worker's answer is not trusted with paths)."""
    names, allowed = set(page.files), expected_names(job, page.ok)
    if names != allowed if page.ok else not names <= allowed:  # a failure before any cell ran has no notebook
        raise ValueError(f"unexpected files for {job.stem}: {sorted(page.files)}")
    if page.ok:
        for name in (job.html_path.name, job.analyst_html_path.name, job.notebook_path.name):
            write_bytes_atomic(job.out_dir / name, page.files[name])
        job.failed_notebook_path.unlink(missing_ok=True)
    elif names:
        write_bytes_atomic(job.failed_notebook_path, page.files[job.failed_notebook_path.name])
    return BuildResult(job, page.ok, page.seconds, page.error)


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files a killed run left (never a final path): the rerun tidies them away."""
    for pattern in LEFTOVER_PATTERNS:
        for path in out_dir.glob(pattern):
            path.unlink(missing_ok=True)


def _take(scratch: Path) -> bytes:
    """papermill's file as bytes, and the file gone."""
    try:
        return scratch.read_bytes()
    finally:
        scratch.unlink(missing_ok=True)


def _stable_cell_ids(nb) -> None:
    """papermill gives the cell it injects a random id, which nbconvert writes into the HTML; a fixed one
    keeps the same inputs giving byte-identical HTML."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
