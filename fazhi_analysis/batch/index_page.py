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
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import tidy_dead_temporaries, write_text_atomic
from ..locks import FolderLock
from ..outputs import safe_slug
from ..paths import TEMPLATES_DIR
from ..render.jobs import OverviewJob
from .fingerprint import is_up_to_date
from .plan import BatchItem, ItemResult

INDEX_FILE = "index.html"
INDEX_DIR = "index"  # past SPLIT_FROM_BODIES: a page per province and per district under this folder
KEY_FIGURES_UP_TO = 300  # reports; beyond, the key figures are on the reports and the overview pages
SPLIT_FROM_BODIES = 2_000  # beyond, one index page holding every body would grow with the country
MAX_FAILURES_LISTED = 200  # on a split index's first page; each district's page lists its own
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
    return _render_rows([(item, _row(item, by_html.get(item.job.html_path), root)) for item in everything])


def _render_rows(rows: list[tuple[BatchItem, IndexRow]], up: str = "") -> str:
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
    env = _environment()
    counts = {s: sum(r.status == s for _, r in rows) for s in STATUS_ZH}
    return env.get_template("index.html.j2").render(
        districts=list(districts.values()), cities=dict(cities), others=others, years=years,
        n_reports=len(reports), n_overviews=len(rows) - len(reports), show_figures=len(reports) <= KEY_FIGURES_UP_TO,
        failures=[r for _, r in rows if r.status == "failed"], counts=counts,
        n_bodies=len({(r.province, r.district, r.body) for r in reports}), status_zh=STATUS_ZH, up=up)


def write_index(everything: list[BatchItem], results: list[ItemResult], output_root: Path) -> Path:
    """Under the output root's lock (two batches on one root write it in turn), tidying the temporary
    index files of runs that died. Past SPLIT_FROM_BODIES bodies the index is a tree (`split_index`)."""
    path = output_root / INDEX_FILE
    with FolderLock(output_root):
        tidy_dead_temporaries(output_root)
        n_bodies = len({item.job.body for item in everything if not isinstance(item.job, OverviewJob)})
        if n_bodies > SPLIT_FROM_BODIES:
            for page, html in split_index(everything, results, output_root).items():
                _write_if_changed(page, html)
        else:
            write_text_atomic(path, render_index(everything, results, output_root))
    return path


def _write_if_changed(path: Path, html: str) -> None:
    """A rerun rewrites only the index pages whose content changed (a country has ~2,800 of them)."""
    try:
        if path.read_text(encoding="utf-8") == html:
            return
    except OSError:
        pass
    write_text_atomic(path, html)


def split_index(everything: list[BatchItem], results: list[ItemResult], output_root: Path) -> dict[Path, str]:
    """The index as a tree, so that no page grows with the country: index.html lists the provinces,
    index/<省>.html a province's districts, index/<省>/<区县>.html a district's bodies (the page a
    small data set's index.html is). Links are relative to each page's folder."""
    root = output_root.resolve()
    by_html = {r.item.job.html_path: r for r in results}
    folder = root / INDEX_DIR
    districts: dict[tuple[str, str], list[BatchItem]] = defaultdict(list)
    cities: dict[str, list[BatchItem]] = defaultdict(list)
    for item in everything:
        job = item.job
        if isinstance(job, OverviewJob) and job.level == "city":
            cities[job.scope[0]].append(item)
        elif isinstance(job, OverviewJob) and job.level == "district":
            districts[job.scope].append(item)
        elif not isinstance(job, OverviewJob):
            districts[(job.body.province, job.body.district)].append(item)
    pages: dict[Path, str] = {}
    provinces: dict[str, list[dict]] = defaultdict(list)
    for (province, district), items in districts.items():
        page = folder / safe_slug(province) / f"{safe_slug(district)}.html"
        rows = [(item, _row(item, by_html.get(item.job.html_path), page.parent)) for item in items]
        pages[page] = _render_rows(rows, up=_href(folder / f"{safe_slug(province)}.html", page.parent))
        reports = [r for item, r in rows if not isinstance(item.job, OverviewJob)]
        provinces[province].append({
            "name": district, "href": _href(page, folder), "n_bodies": len({r.body for r in reports}),
            "n_reports": len(reports), "failures": [r for _, r in rows if r.status == "failed"],
            "n_current": sum(r.status in ("built", "skipped", "current") for r in reports),
            "overviews": [_row(item, by_html.get(item.job.html_path), folder) for item in items
                          if isinstance(item.job, OverviewJob)]})
    env = _environment()
    summary = []
    for province, members in provinces.items():
        page = folder / f"{safe_slug(province)}.html"
        city = [_row(item, by_html.get(item.job.html_path), folder) for item in cities.get(province, [])]
        pages[page] = env.get_template("tree.html.j2").render(
            level="province", title=province, items=members, cities=city, up=_href(root / INDEX_FILE, folder))
        summary.append({"name": province, "href": _href(page, root), "n_districts": len(members),
                        "n_bodies": sum(m["n_bodies"] for m in members),
                        "n_reports": sum(m["n_reports"] for m in members),
                        "n_current": sum(m["n_current"] for m in members),
                        "failures": [f for m in members for f in m["failures"]],
                        "overviews": [_row(item, by_html.get(item.job.html_path), root)
                                      for item in cities.get(province, [])]})
    failures = [f for s in summary for f in s["failures"]]
    pages[root / INDEX_FILE] = env.get_template("tree.html.j2").render(
        level="country", title="全部报告索引", items=summary, cities=[], up="",
        failures=failures[:MAX_FAILURES_LISTED], n_failures=len(failures))
    return pages


@cache
def _environment() -> Environment:
    """One per process: its templates are compiled once (a country's index renders ~2,800 pages)."""
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR / "index"), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)
