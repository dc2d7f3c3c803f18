"""What one build makes and where it goes: an annual page (one body × year) or an overview page (one
group × year). Both give the notebook's parameters and the output paths; a page's parameters name its
body (`resolve_run`), which must have data for the year and a folder of its own. Light, so planning a
batch never loads jupyter_client or papermill."""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import paths
from ..data.bodies import Body, resolve_body
from ..data.rules import rule_zh, year_without_data
from ..errors import DataError, ParameterError, Problem, display_path
from ..outputs import ANNUAL_KIND, DRAFT_KIND, OVERVIEW_DIR, OVERVIEW_KIND, colliding, contained, path_key, safe_slug
from .params import RunParameters, available_runs


class _OutputFiles:
    """The files a job writes, all named from its `out_dir` and `stem`. Names and paths are computed once
    per job (cached_property): a country's batch asks each of ~120,000 jobs for its paths several times
    (collision check, up-to-date check, index), and `contained` resolves a path with a system call per
    folder."""

    out_dir: Path
    stem: str

    @cached_property
    def html_path(self) -> Path:
        return self.out_dir / f"{self.stem}.html"

    @property
    def analyst_html_path(self) -> Path:
        return self.out_dir / f"{self.stem}-analyst.html"

    @property
    def notebook_path(self) -> Path:
        return self.out_dir / f"{self.stem}.ipynb"

    @cached_property
    def failed_notebook_path(self) -> Path:
        return self.out_dir / f"{self.stem}.failed.ipynb"


@dataclass(frozen=True)
class AnnualJob(_OutputFiles):
    """One body's annual page for one year (notebooks/annual_report.ipynb)."""

    notebook: Path
    params: RunParameters
    body: Body
    output_root: Path

    @cached_property
    def slug(self) -> str:
        return safe_slug(self.body.district, self.body.name)

    @cached_property
    def out_dir(self) -> Path:
        return contained(self.output_root, self.slug, str(self.params.year))

    @cached_property
    def stem(self) -> str:
        return f"{self.slug}-{self.params.year}-{ANNUAL_KIND}"

    @property
    def title(self) -> str:
        return f"{self.body.full_name}{self.params.year}年法治政府建设情况数据分析"

    @property
    def draft_path(self) -> Path:
        """The Word draft of the report itself (`fazhi draft`), beside the page."""
        return self.out_dir / f"{self.slug}-{self.params.year}-{DRAFT_KIND}.docx"

    def notebook_parameters(self) -> dict:
        return self.params.notebook_parameters()


@dataclass(frozen=True)
class OverviewJob(_OutputFiles):
    """A multi-body notebook for one year; `group` is "all", a province, a district or a comma-separated
    list. `scope` names what a batch plans: (province,) for the city page comparing districts,
    (province, district) for a district page comparing its bodies; empty for any other group."""

    notebook: Path
    year: int
    group: str
    data_dir: str | None
    output_root: Path
    scope: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        return {1: "city", 2: "district"}.get(len(self.scope), "group")

    @cached_property
    def slug(self) -> str:
        return safe_slug(*self.scope) if self.scope else safe_slug(self.group)

    @cached_property
    def out_dir(self) -> Path:
        return contained(self.output_root, OVERVIEW_DIR, str(self.year))

    @cached_property
    def stem(self) -> str:
        return f"{self.slug}-{self.year}-{OVERVIEW_KIND}"

    @property
    def title(self) -> str:
        if self.scope:
            return f"{self.year}年{self.scope[-1]}法治政府建设情况概览"
        shown = "全部镇街" if self.group == "all" else self.group
        return f"{self.year}年法治政府建设情况区域概览（{shown}）"

    def notebook_parameters(self) -> dict:
        return {"year": self.year, "group": self.group, "data_dir": self.data_dir}


def shown_name(body: Body) -> str:
    """A body with its parts visible: 重庆市 / 南岸区-甲 / 乙镇 and 重庆市 / 南岸区 / 甲-乙镇 read apart."""
    return " / ".join(body)


def refuse_colliding(named: dict[str, Path]) -> None:
    """A ParameterError naming both when two differently named pages would be written to one path (on
    this file system, or on one that ignores case): one page would silently replace the other."""
    clash = colliding(named)
    if clash:
        first, second, path = clash
        raise ParameterError(f"“{first}”和“{second}”的输出位置相同（{path}），一个会覆盖另一个，未生成任何报告；"
                             "请在数据中把其中一个改名", [
                                 Problem(first, None, None, second, "output_paths_distinct",
                                         f"与“{second}”写到同一个位置 {path}")])


def refuse_colliding_body(body: Body, bodies: list[Body]) -> None:
    """For one page (`fazhi report`, `fazhi draft`): no other body of the data shares its folder."""
    mine = path_key(Path(safe_slug(body.district, body.name)))
    others = [b for b in bodies if b != body and path_key(Path(safe_slug(b.district, b.name))) == mine]
    if others:
        refuse_colliding({shown_name(body): Path(safe_slug(body.district, body.name)),
                          shown_name(others[0]): Path(safe_slug(others[0].district, others[0].name))})


def _possible_folder_mates(body: Body, runs: dict[Body, set[int]], data_dir: str | None) -> list[Body]:
    """The bodies to check for a shared output folder: past a district's size, those the store found when it
    was built; else every body."""
    from ..data.store import in_use, open_store

    directory = paths.data_dir(data_dir)
    return [body, *open_store(directory).folder_mates(body)] if in_use(directory) else list(runs)


def resolve_run(params: RunParameters) -> Body:
    """The body the parameters name, which must have data for their year; else a ParameterError listing
    what exists."""
    runs = available_runs(params.data_dir)
    if not runs:
        shown = display_path(paths.data_dir(params.data_dir) / paths.OBSERVATIONS_FILE)
        raise DataError(f"观测数据 {shown} 没有可用的数据行", [
            Problem(shown, 2, None, None, "file_has_rows", rule_zh("file_has_rows", what="观测数据"))])
    body = resolve_body(params.body, runs, lambda b: f"{b.short_name}: {'、'.join(map(str, sorted(runs[b])))}年")
    refuse_colliding_body(body, _possible_folder_mates(body, runs, params.data_dir))
    if params.year not in runs[body]:
        raise year_without_data(body.short_name, params.year, runs[body])
    return body
