"""outputs/index.html: one offline page over every body × year, following the tree of the overview pages:
cities (provinces) with their pages comparing districts, then each district with its counts (reports,
built, failed), its own overview pages, and one row per body with a link per year. Each failure is listed
first with a link to the notebook kept for debugging.

Sized for a city: one row per body (not per report), key figures only while the index is small
(KEY_FIGURES_UP_TO reports), links written with their Chinese characters as they are (an encoded
character costs nine bytes), so 1,000 bodies × 3 years stay well under 1 MB.

Jinja2 with autoescape on (data text such as body names and error messages is escaped, never markup);
the stylesheet is inline and there is no script and no external URL, so it opens on an office PC
without internet. The page shows no wall-clock time, so the same state gives the same bytes.
"""

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import tidy_dead_temporaries, write_text_atomic
from ..locks import FolderLock
from ..paths import TEMPLATES_DIR
from ..render.jobs import OverviewJob
from .fingerprint import is_up_to_date
from .plan import BatchItem, ItemResult

INDEX_FILE = "index.html"
KEY_FIGURES_UP_TO = 300  # reports; beyond, the key figures are on the reports and the overview pages
STATUS_ZH = {
    "built": "本次生成", "skipped": "最新（输入未变，未重建）", "failed": "失败",
    "current": "最新", "stale": "过期（输入已变化，未在本次范围内）", "missing": "未生成",
}


@dataclass(frozen=True)
class IndexRow:
    caption: str
    province: str
    district: str
    body: str
    year: int
    status: str
    status_zh: str
    key_figures: tuple[tuple[str, str], ...]
    report_href: str  # "" when there is no report to link
    failed_href: str
    error: str


def _href(path: Path, root: Path) -> str:
    """A relative link that works from the output folder: ASCII specials percent-encoded (slugs have
    none), other characters as they are (browsers encode them as UTF-8 when following the link)."""
    relative = os.path.relpath(path, root)
    return "/".join("".join(c if ord(c) > 127 else quote(c, safe="") for c in part) for part in Path(relative).parts)


@dataclass
class DistrictGroup:
    """One district of the index: its bodies' rows by year, its overview pages, and counts."""

    province: str
    district: str
    anchor: str
    bodies: dict[str, dict[int, IndexRow]] = field(default_factory=dict)
    overviews: list[IndexRow] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(r.status in statuses for rows in self.bodies.values() for r in rows.values())

    @property
    def n_reports(self) -> int:
        return sum(len(rows) for rows in self.bodies.values())


def _row(item: BatchItem, result: ItemResult | None, root: Path) -> IndexRow:
    job = item.job
    if result is not None:
        status, error = result.status, result.error
    elif job.failed_notebook_path.is_file():
        status, error = "failed", "（上次运行失败，见保留的笔记本）"
    elif is_up_to_date(job.html_path, item.fingerprint):
        status, error = "current", ""
    elif job.html_path.is_file():
        status, error = "stale", ""
    else:
        status, error = "missing", ""
    has_html = job.html_path.is_file()
    failed = status == "failed" and job.failed_notebook_path.is_file()
    if isinstance(job, OverviewJob):
        scope = (*job.scope, "", "")
        province, district, body, year = scope[0], scope[1], job.title, job.year
    else:
        province, district, body, year = *job.body, job.params.year
    return IndexRow(item.caption, province, district, body, year, status, STATUS_ZH[status], item.key_figures,
                    _href(job.html_path, root) if has_html else "",
                    _href(job.failed_notebook_path, root) if failed else "", error)


def render_index(everything: list[BatchItem], results: list[ItemResult], output_root: Path) -> str:
    root = output_root.resolve()
    by_html = {r.item.job.html_path: r for r in results}
    rows = [(item, _row(item, by_html.get(item.job.html_path), root)) for item in everything]
    districts: dict[tuple[str, str], DistrictGroup] = {}
    cities: dict[str, list[IndexRow]] = defaultdict(list)
    others = []
    for item, row in rows:
        job = item.job
        if isinstance(job, OverviewJob) and job.level == "city":
            cities[row.province].append(row)
        elif isinstance(job, OverviewJob) and job.level != "district":
            others.append(row)
        else:
            key = (row.province, row.district)
            group = districts.setdefault(key, DistrictGroup(*key, anchor=f"d{len(districts) + 1}"))
            if isinstance(job, OverviewJob):
                group.overviews.append(row)
            else:
                group.bodies.setdefault(row.body, {})[row.year] = row
    reports = [r for item, r in rows if not isinstance(item.job, OverviewJob)]
    years = sorted({r.year for r in reports})
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR / "index"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    counts = {s: sum(r.status == s for _, r in rows) for s in STATUS_ZH}
    return env.get_template("index.html.j2").render(
        districts=list(districts.values()), cities=dict(cities), others=others, years=years,
        n_reports=len(reports), n_overviews=len(rows) - len(reports), show_figures=len(reports) <= KEY_FIGURES_UP_TO,
        failures=[r for _, r in rows if r.status == "failed"], counts=counts,
        n_bodies=len({(r.province, r.district, r.body) for r in reports}), status_zh=STATUS_ZH)


def write_index(everything: list[BatchItem], results: list[ItemResult], output_root: Path) -> Path:
    """Under the output root's lock (two batches on one root write it in turn), tidying the temporary
    index files of runs that died."""
    path = output_root / INDEX_FILE
    with FolderLock(output_root):
        tidy_dead_temporaries(output_root)
        write_text_atomic(path, render_index(everything, results, output_root))
    return path
