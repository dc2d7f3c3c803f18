"""What a batch builds: every body × year the data supports, the selection, and which pages are already
up to date. Planning reads the CSVs with the light reader (no pandas), so a rerun with nothing to do is
quick; building is `pool`'s.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths
from ..data.bodies import Body, matching, not_unique_zh, resolve_body
from ..data.csv_input import normalise_name, parse_year, read_rows
from ..data.formatting import as_written
from ..data.layout import MAX_YEAR, MIN_YEAR, OBSERVATION_COLUMNS
from ..data.rules import rule_zh
from ..data.store import in_use, open_store
from ..errors import DataError, ParameterError, Problem, display_path
from ..render.jobs import AnnualJob, OverviewJob, refuse_colliding, shown_name
from ..render.params import parse_parameters
from .fingerprint import Fingerprint, is_up_to_date, make_fingerprint, reference_digest, sha256_rows

KEY_FIGURES_SHOWN = 3
HEADLINE_INDICATORS = ("disputes_received_count", "gov_info_disclosed_count", "admin_penalty_decisions_count",
                       "legal_campaigns_count", "legal_materials_copies")


@dataclass(frozen=True)
class BatchItem:
    """One report to (maybe) build, with what the index shows about it."""

    job: AnnualJob | OverviewJob
    fingerprint: Fingerprint
    caption: str  # 南岸区峡口镇 2023年
    key_figures: tuple[tuple[str, str], ...] = ()  # (中文名, figure as written)


@dataclass(frozen=True)
class ItemResult:
    item: BatchItem
    status: str  # built / failed / skipped
    seconds: float = 0.0
    error: str = ""
    place_unusable: bool = False  # the output folder cannot be written (full, read-only): stop the batch
    stalled: bool = False  # not built because nothing finished for --stall-timeout: stop the workers


@dataclass(frozen=True)
class Selection:
    units: tuple[str, ...] = ()  # empty: every body
    years: tuple[int, ...] = ()  # empty: every year
    pairs: tuple[tuple[Body, int], ...] = ()  # from a manifest; when set, exactly these
    overview: bool = True


# --- selection --------------------------------------------------------------------------------------
def parse_years(texts: Iterable[str]) -> tuple[int, ...]:
    """'2023', '2022-2024', '2022,2023' (full-width forms too) → sorted years."""
    years: set[int] = set()
    for text in texts:
        for part in re.split(r"[,，、\s]+", text.strip()):
            if not part:
                continue
            match = re.fullmatch(r"(\d{4})(?:\s*[-–—~至]\s*(\d{4}))?", part)
            if not match:
                raise ParameterError(f"年度 {part!r} 看不懂：应为 2023、2022-2024 或 2022,2023")
            first, last = int(match[1]), int(match[2] or match[1])
            if first > last or first < MIN_YEAR or last > MAX_YEAR:
                raise ParameterError(f"年度范围 {part!r} 不正确：应在 {MIN_YEAR}–{MAX_YEAR} 之间且从小到大")
            years.update(range(first, last + 1))
    return tuple(sorted(years))


def split_units(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(u for text in texts for u in (p.strip() for p in re.split(r"[,，、]", text)) if u)


def _typed_body(unit: str) -> str:
    """A name as typed in --unit or a manifest, normalised as run parameters are."""
    return parse_parameters(body=unit).body


def read_manifest(path: Path, runs: dict[Body, set[int]]) -> tuple[tuple[Body, int], ...]:
    """A CSV with columns unit,year (one report a row), checked in full before anything runs."""
    shown = display_path(path)
    header, rows = read_rows(path, ("unit", "year"))
    col = {name: header.index(name) for name in ("unit", "year")}
    problems, pairs = [], []
    for i, row in enumerate(rows):
        line = i + 2
        unit, year_text = row[col["unit"]], row[col["year"]]
        if not unit and not year_text:
            continue
        year = parse_year(year_text)
        if year is None:
            problems.append(Problem(shown, line, "year", year_text, "manifest_year", rule_zh("year_is_number")))
        matches = matching(_typed_body(unit), runs) if unit else []
        if not matches:
            problems.append(Problem(shown, line, "unit", unit, "manifest_unit_exists", "数据中没有这个主体"))
        elif len(matches) > 1:
            problems.append(Problem(shown, line, "unit", unit, "manifest_unit_unique",
                                    "主体名称" + not_unique_zh(matches)))
        elif year is not None and year not in runs[matches[0]]:
            problems.append(Problem(shown, line, "year", year_text, "manifest_year_has_data",
                                    rule_zh("year_has_data", name=matches[0].short_name, year=year,
                                            years="、".join(map(str, sorted(runs[matches[0]]))))))
        else:
            pairs.append((matches[0], year))
    if problems:
        raise ParameterError(f"清单 {shown} 有 {len(problems)} 个问题，未生成任何报告", problems)
    if not pairs:
        raise ParameterError(f"清单 {shown} 没有列出任何报告")
    return tuple(dict.fromkeys(pairs))


# --- planning --------------------------------------------------------------------------------------
def _body_rows(data_dir: Path) -> tuple[dict[Body, list[list[str]]], int]:
    """Observation rows grouped by body, in file order (light reader, no pandas). A row whose year is not
    a year from MIN_YEAR to MAX_YEAR stops the plan with a DataError naming its file and row, as
    validation would (whichever body it belongs to: every page is built from validated data)."""
    path = data_dir / paths.OBSERVATIONS_FILE
    header, rows = read_rows(path, OBSERVATION_COLUMNS)
    idx = [header.index(c) for c in OBSERVATION_COLUMNS]
    grouped: dict[Body, list[list[str]]] = {}
    names: dict[tuple[str, str, str], Body] = {}  # a city's file repeats each body's cells on every row
    years: dict[str, str | None] = {}  # a year as written → the rule it breaks, or None
    problems = []
    for number, row in enumerate(rows, start=2):
        cells = [row[i] for i in idx]
        if not any(cells):
            continue  # a blank line
        if cells[3] not in years:
            year = parse_year(cells[3])
            years[cells[3]] = ("year_is_number" if year is None else
                               "year_in_range" if not MIN_YEAR <= year <= MAX_YEAR else None)
        if years[cells[3]] is not None:
            rule = years[cells[3]]
            problems.append(Problem(display_path(path), number, "year", cells[3], rule, rule_zh(rule)))
        elif cells[2]:
            key = (cells[0], cells[1], cells[2])
            if key not in names:
                names[key] = Body(*(normalise_name(c) for c in key))
            grouped.setdefault(names[key], []).append(cells)
    if problems:
        raise DataError(f"观测数据 {display_path(path)} 有 {len(problems)} 行的年度不正确，未生成任何报告", problems)
    return grouped, len(rows)


def _key_figures(rows: list[list[str]]) -> tuple[tuple[str, str], ...]:
    """A few headline figures of one body-year, under its own labels and as its report wrote them: the
    headline indicators first, then its other counts in report order."""
    col = {c: i for i, c in enumerate(OBSERVATION_COLUMNS)}
    by_key = {r[col["indicator"]]: r for r in rows if r[col["indicator"]]}
    chosen = [by_key[k] for k in HEADLINE_INDICATORS if k in by_key]
    chosen += [r for r in rows if r not in chosen and r[col["measure"]] not in ("%", "")
               and any(c.isdigit() for c in r[col["expr"]])]
    return tuple((r[col["label"]], as_written("", r[col["expr"]]) or r[col["expr"]])
                 for r in chosen[:KEY_FIGURES_SHOWN])


def _plan_inputs(data_dir: Path) -> tuple[dict[Body, set[int]], dict[Body, str], Callable]:
    """(each body's years, the digest of its rows in every year, its key figures of a year). Past a
    district's size these come from the store's table of bodies, never from parsing the CSV here; the
    index then shows no key figures (it shows them only up to KEY_FIGURES_UP_TO reports anyway)."""
    if in_use(data_dir):
        store = open_store(data_dir)
        return {b: set(y) for b, y in store.years.items()}, store.digests, lambda body, year: ()
    grouped, _ = _body_rows(data_dir)
    runs = {key: {_year(r[3]) for r in rows} for key, rows in grouped.items()}
    digests = {key: sha256_rows(rows) for key, rows in grouped.items()}
    return runs, digests, lambda body, year: _key_figures([r for r in grouped[body] if _year(r[3]) == year])


def plan_batch(data_dir: Path, output_root: Path, selection: Selection,
               notebook: Path = paths.ANNUAL_NOTEBOOK,
               overview_notebook: Path = paths.OVERVIEW_NOTEBOOK) -> tuple[list[BatchItem], list[BatchItem]]:
    """(every report the data supports, the selected ones), each with its fingerprint."""
    runs, digests, key_figures = _plan_inputs(data_dir)
    if not runs:
        raise ParameterError(f"{display_path(data_dir / paths.OBSERVATIONS_FILE)} 中没有任何主体的数据")
    catalogue_sha = reference_digest(data_dir, paths.CATALOGUE_FILE, paths.SOURCES_FILE)
    data_dir_param = str(data_dir)

    wanted = _selected_pairs(runs, selection)
    everything, selected = [], []
    for key in sorted(runs):
        rows_sha = digests[key]
        for year in sorted(runs[key]):
            params = parse_parameters(year=year, body=key.short_name, data_dir=data_dir_param)
            job = AnnualJob(notebook, params, key, output_root)
            item = BatchItem(job, make_fingerprint(notebook, catalogue_sha, rows_sha, job.notebook_parameters()),
                             f"{key.short_name} {year}年", key_figures(key, year))
            everything.append(item)
            if (key, year) in wanted:
                selected.append(item)
    if overview_notebook.is_file():
        touched = _touched_scopes(wanted)
        for item in _overview_items(digests, runs, overview_notebook, catalogue_sha, data_dir_param, output_root):
            everything.append(item)
            if selection.overview and (item.job.year, *item.job.scope) in touched:
                selected.append(item)
    refuse_colliding({_shown(item.job): item.job.html_path for item in everything})
    return everything, selected


def _shown(job: AnnualJob | OverviewJob) -> str:
    if isinstance(job, AnnualJob):
        return f"{shown_name(job.body)} {job.params.year}年"
    return f"{' / '.join(job.scope) or job.group} {job.year}年 概览"


def _overview_items(digests: dict[Body, str], runs: dict[Body, set[int]], notebook: Path,
                    catalogue_sha: str, data_dir_param: str, output_root: Path) -> list[BatchItem]:
    """Per year: a page for each district with data, comparing its bodies; and a page for each province
    (city) with data in two or more districts, comparing districts. A page's fingerprint covers only
    its own bodies' rows (all years: trends look back), so a change in one town rebuilds its district's page
    and its city's page, not every overview."""
    items = []
    for year in sorted({y for years in runs.values() for y in years}):
        present = sorted(b for b, years in runs.items() if year in years)
        by_district: dict[tuple[str, str], list[str]] = {}
        for b in present:
            by_district.setdefault((b.province, b.district), []).append(digests[b])
        provinces = list(dict.fromkeys(p for p, _ in by_district))
        for province in provinces:
            mine = [d for (p, _), d in by_district.items() if p == province]
            if len(mine) >= 2:
                rows_sha = sha256_rows([sha for shas in mine for sha in shas])
                items.append(_overview_item(notebook, year, province, (province,), rows_sha, catalogue_sha,
                                            data_dir_param, output_root, f"{province} {year}年 各区县比较"))
        for (province, district), shas in by_district.items():
            items.append(_overview_item(notebook, year, district, (province, district), sha256_rows(shas),
                                        catalogue_sha, data_dir_param, output_root, f"{district} {year}年 各镇街比较"))
    return items


def _overview_item(notebook: Path, year: int, group: str, scope: tuple[str, ...], rows_sha: str,
                   catalogue_sha: str, data_dir_param: str, output_root: Path, caption: str) -> BatchItem:
    job = OverviewJob(notebook, year, group, data_dir_param, output_root, scope)
    return BatchItem(job, make_fingerprint(notebook, catalogue_sha, rows_sha, job.notebook_parameters()), caption)


def _touched_scopes(wanted: set[tuple[Body, int]]) -> set[tuple]:
    """An overview is built when the selection holds a report of its year within its scope: (year,
    province) for a city page, (year, province, district) for a district page."""
    return {key for body, year in wanted for key in ((year, body.province), (year, body.province, body.district))}


_year = cache(parse_year)


def _selected_pairs(runs: dict[Body, set[int]], selection: Selection) -> set[tuple[Body, int]]:
    if selection.pairs:
        return set(selection.pairs)
    bodies = [resolve_body(_typed_body(u), runs) for u in selection.units] if selection.units else list(runs)
    pairs = {(key, year) for key in bodies for year in runs[key] if not selection.years or year in selection.years}
    if not pairs:
        shown_years = "、".join(map(str, selection.years))
        raise ParameterError(f"所选主体在 {shown_years} 年没有数据，没有可生成的报告")
    return pairs


def split_up_to_date(items: list[BatchItem], force: bool) -> tuple[list[BatchItem], list[ItemResult]]:
    if force:
        return list(items), []
    to_build, skipped = [], []
    for item in items:
        if is_up_to_date(item.job.html_path, item.fingerprint):
            skipped.append(ItemResult(item, "skipped"))
        else:
            to_build.append(item)
    return to_build, skipped


