"""One annual report: parameterize and execute the notebook with papermill on a warm kernel, export it
with nbconvert, write atomically under outputs/<body>/<year>/.

`build_report(job, kernel)` is a function of (notebook, parameters, data directory, output root) and
the kernel it is lent; it holds no other state, so a batch can run it in any executor. A job is a
`ReportJob` (one body × year, notebooks/annual_report.ipynb) or an `OverviewJob` (one multi-body
notebook × year); both give the notebook's parameters and where the outputs go.
When a cell fails: the executed notebook (with papermill's error banner) is kept beside the outputs as
`*.failed.ipynb`, and the previous good HTML, if any, is left untouched.
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_text_atomic
from .params import RunParameters
from .slugs import contained, safe_slug

if TYPE_CHECKING:  # jupyter_client costs ~0.3 s to import; planning a batch needs only the job classes
    from .kernel import WarmKernel

REPORT_KIND = "法治政府建设数据分析"
OVERVIEW_KIND = "法治政府建设汇总"
OVERVIEW_DIR = "district"
LEFTOVER_PATTERNS = (".*.tmp", ".*.running.ipynb")  # what a killed run can leave in an output folder


class _OutputFiles:
    """The files a job writes, all named from its `out_dir` and `stem`."""

    out_dir: Path
    stem: str

    @property
    def html_path(self) -> Path:
        return self.out_dir / f"{self.stem}.html"

    @property
    def notebook_path(self) -> Path:
        return self.out_dir / f"{self.stem}.ipynb"

    @property
    def failed_notebook_path(self) -> Path:
        return self.out_dir / f"{self.stem}.failed.ipynb"


@dataclass(frozen=True)
class ReportJob(_OutputFiles):
    notebook: Path
    params: RunParameters
    province: str
    district: str
    body: str
    output_root: Path

    @property
    def slug(self) -> str:
        return safe_slug(self.district, self.body)

    @property
    def out_dir(self) -> Path:
        return contained(self.output_root, self.slug, str(self.params.year))

    @property
    def stem(self) -> str:
        return f"{self.slug}-{self.params.year}-{REPORT_KIND}"

    @property
    def title(self) -> str:
        return f"{self.province}{self.district}{self.body}{self.params.year}年法治政府建设情况数据分析"

    def notebook_parameters(self) -> dict:
        return self.params.notebook_parameters()


@dataclass(frozen=True)
class OverviewJob(_OutputFiles):
    """A multi-body notebook for one year; `group` is "all", a district name or a comma-separated list."""

    notebook: Path
    year: int
    group: str
    data_dir: str | None
    output_root: Path

    @property
    def slug(self) -> str:
        return safe_slug(self.group)

    @property
    def out_dir(self) -> Path:
        return contained(self.output_root, OVERVIEW_DIR, str(self.year))

    @property
    def stem(self) -> str:
        return f"{self.slug}-{self.year}-{OVERVIEW_KIND}"

    @property
    def title(self) -> str:
        shown = "全部主体" if self.group == "all" else self.group
        return f"{self.year}年法治政府建设情况汇总（{shown}）"

    def notebook_parameters(self) -> dict:
        return {"year": self.year, "group": self.group, "data_dir": self.data_dir}


@dataclass(frozen=True)
class ReportResult:
    job: "ReportJob | OverviewJob"
    ok: bool
    seconds: float
    error: str = ""  # the failing cell's error, for the summary


def build_report(job: "ReportJob | OverviewJob", kernel: "WarmKernel") -> ReportResult:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import papermill_engine
    from .export import notebook_to_html
    from .kernel import KERNEL_NAME

    papermill_engine.register()
    started = time.perf_counter()
    kernel.prepare_run()
    job.out_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(job.out_dir)
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
        return ReportResult(job, False, time.perf_counter() - started, f"{exc.ename}: {exc.evalue}")
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    _stable_cell_ids(nb)
    write_text_atomic(job.html_path, notebook_to_html(nb, job.title))
    write_text_atomic(job.out_dir / f"{job.stem}-analyst.html", notebook_to_html(nb, job.title, variant="analyst"))
    _move_synced(scratch, job.notebook_path)  # the notebook papermill wrote, not serialized a second time
    job.failed_notebook_path.unlink(missing_ok=True)
    return ReportResult(job, True, time.perf_counter() - started)


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files a killed run left (never a final path): the rerun tidies them away."""
    for pattern in LEFTOVER_PATTERNS:
        for path in out_dir.glob(pattern):
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
