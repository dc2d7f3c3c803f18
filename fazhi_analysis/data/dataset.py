"""Load and validate the observations against the catalogue (`catalogue`), all problems at once, and
the Dataset every page reads: the whole data directory, or past a district's size the rows a page needs
from its store (`load_from_store`).

Observations are a tidy long table, one stated figure a row. Nothing here edits the files.
"""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import paths
from ..atomic import read_regular
from ..errors import DataError, FazhiError, Problem, display_path
from .bodies import Body, resolve_body
from .catalogue import Catalogue, load_catalogue, schema_problems_of
from .csv_input import MAX_TABLE_BYTES, read_text_table
from .layout import OBSERVATION_COLUMNS
from .receipts import content_digest, has_receipt, read_data_files
from .row_rules import row_problems, without
from .rules import rule_zh
from .sources import Source, load_sources, raw_path, raw_problems, without_conversion_marks
from .store import Scope, check_streaming, in_use, open_store

__all__ = ["Body", "Catalogue", "Dataset", "check_data_dir", "load_catalogue", "load_dataset", "load_from_store",
           "load_observations", "table_problems"]


def load_observations(catalogue: Catalogue, data_dir: Path | str | None = None,
                      run_schema: bool = True, raw: bytes | None = None) -> pd.DataFrame:
    """Observations with typed year/value, validated against the schema and the catalogue; `raw`: the
    file's bytes when already read (`load_dataset`).

    Raises DataError listing every problem; the returned frame keeps `row` (the file row) for messages.
    """
    frame, problems, shown = _checked_observations(catalogue, data_dir, run_schema, raw)
    if problems:
        raise DataError(f"观测数据 {shown} 有 {len(problems)} 个问题", problems)
    return frame.reset_index(drop=True)


def observation_problems(catalogue: Catalogue | None, data_dir: Path | str | None = None) -> list[Problem]:
    """Every problem of the observations file; without a catalogue, only the file's own rules."""
    return _checked_observations(catalogue, data_dir)[1]


def _checked_observations(catalogue: Catalogue | None, data_dir, run_schema: bool = True,
                          raw: bytes | None = None) -> tuple[pd.DataFrame, list[Problem], str]:
    """Reading, typing, schema, then the domain rules on the rows that passed the others, so that one
    run lists everything to fix (file-level problems still raise DataError: nothing else can be read)."""
    directory = paths.data_dir(data_dir)
    path = directory / paths.OBSERVATIONS_FILE
    shown = display_path(path)
    frame, problems = table_problems(read_text_table(path, OBSERVATION_COLUMNS, raw), catalogue, shown, run_schema)
    if "source" in frame:
        problems += raw_problems(directory, frame["source"])
    return frame, problems, shown


def table_problems(text: pd.DataFrame, catalogue: Catalogue | None, shown: str,
                   run_schema: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """The checks of an observations table already read as text (index 0 = file row 2): the rules of
    one row (`row_rules`, as for rows being imported), the pandera schema's table-wide rules (one row per
    observation), and with a catalogue the rules across rows. A merge checks its result here in memory
    before anything is written."""
    if text.empty:
        return text, [Problem(shown, 2, None, None, "file_has_rows", rule_zh("file_has_rows", what="观测数据"))]
    frame, problems = row_problems(text.set_axis(text.index + 2), catalogue, shown, check_cells=False)
    if run_schema:
        by_file_row = frame.drop(columns="row").set_axis(frame["row"].to_numpy() - 2)  # as the schema counts rows
        problems += schema_problems_of(by_file_row, "OBSERVATIONS_SCHEMA", shown)
    if catalogue is not None:
        problems += cross_row_problems(without(frame, problems), catalogue, shown)
    return frame, sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def check_data_dir(data_dir: Path | str | None = None) -> list[Problem]:
    """All problems of a data directory without building anything (`fazhi validate`): the catalogue's,
    and the observations' even when the catalogue is broken (then without the catalogue rules)."""
    if in_use(paths.data_dir(data_dir)):  # past a district's size: one streaming pass in bounded memory
        return check_streaming(paths.data_dir(data_dir))
    catalogue: Catalogue | None = None
    problems: list[Problem] = []
    try:
        catalogue = load_catalogue(data_dir)
    except DataError as exc:
        problems += exc.problems
    try:
        problems += observation_problems(catalogue, data_dir)
    except DataError as exc:
        problems += exc.problems
    return problems


def cross_row_problems(frame: pd.DataFrame, catalogue: Catalogue, shown: str) -> list[Problem]:
    """Rules across the rows of one body and year, among figures linked to the catalogue: one figure per
    indicator, a part ≤ its whole, a total ≥ its parts. A store checks the same in SQL (`store_checks`)."""
    problems = []
    seen: dict[tuple, int] = {}
    linked = frame[frame["indicator"].isin(list(catalogue))]
    for row in linked.itertuples(index=False):
        key = (row.district, row.body, row.year, row.indicator)
        if key in seen:
            problems.append(Problem(shown, int(row.row), "indicator", row.indicator, "indicator_once",
                                    rule_zh("indicator_once", where=f"第{seen[key]}行")))
        seen.setdefault(key, int(row.row))
    linked = linked.drop_duplicates(["district", "body", "year", "indicator"])
    for (_, _, _), group in linked.groupby(["district", "body", "year"], sort=False):
        values = dict(zip(group["indicator"], group["value"], strict=True))
        rows = dict(zip(group["indicator"], group["row"], strict=True))
        for ind in catalogue.values():
            if ind.kind == "rate" and ind.numerator in values and ind.denominator in values:
                num, den = values[ind.numerator], values[ind.denominator]
                if num > den:
                    why = rule_zh("part_within_whole", part=catalogue[ind.numerator].name_zh, part_value=f"{num:g}",
                                  whole=catalogue[ind.denominator].name_zh, whole_value=f"{den:g}",
                                  where=f"第{rows[ind.denominator]}行")
                    problems.append(Problem(shown, int(rows[ind.numerator]), "value", f"{num:g}",
                                            "part_within_whole", why))
            if ind.kind == "total" and ind.key in values:
                parts = [values[c] for c in ind.components if c in values]
                if parts and values[ind.key] < sum(parts):
                    why = rule_zh("total_not_below_parts", name=ind.name_zh, parts=f"{sum(parts):g}")
                    problems.append(Problem(shown, int(rows[ind.key]), "value", f"{values[ind.key]:g}",
                                            "total_not_below_parts", why))
    return problems


@dataclass(frozen=True)
class Dataset:
    """The validated catalogue and observations of one data directory, and the reports they come from."""

    catalogue: Catalogue
    observations: pd.DataFrame
    data_dir: Path
    sources: dict[str, Source] = field(default_factory=dict)
    index: tuple[Body, ...] = ()  # read from a store: every body of the data, whose rows may not all be loaded
    digest: str = ""  # SHA-256 of the files' bytes every check ran on (`receipts`); "" when read from a store

    def raw_text(self, source: str) -> str | None:
        """The text of a report kept as received in data/raw/ (a .txt), when `source` names one. A raw
        file that is not a regular file, or too large, was refused when the data was loaded."""
        path = raw_path(self.data_dir, source)
        if path is None:
            return None
        try:
            return without_conversion_marks(read_regular(path, MAX_TABLE_BYTES).decode("utf-8"))
        except (OSError, UnicodeDecodeError, FazhiError):
            return None

    def report_text(self, body: Body, year: int) -> str | None:
        """The text of the body's report for `year`, when one of the year's sources is kept in data/raw/:
        what a page quotes for parts 三 to 五 and what next year's draft starts from."""
        sources = dict.fromkeys(self.rows_of(body, year)["source"])
        return next((text for text in map(self.raw_text, sources) if text), None)

    @cached_property
    def bodies(self) -> list[Body]:
        keys = self.observations[["province", "district", "body"]].drop_duplicates()
        return [Body(*row) for row in keys.itertuples(index=False)]

    @cached_property
    def _rows_by_body_year(self) -> dict[tuple[str, str, int], "object"]:
        """(district, body, year) → row positions, built once: a city's page asks for hundreds of bodies,
        and a mask over every row per question made a page's cost grow with the city."""
        obs = self.observations
        if obs.empty:
            return {}
        groups = obs.groupby(["district", "body", obs["year"].astype(int)], sort=False).indices
        return {(d, b, int(y)): positions for (d, b, y), positions in groups.items()}

    @cached_property
    def _years_by_body(self) -> dict[tuple[str, str], list[int]]:
        years: dict[tuple[str, str], list[int]] = {}
        for district, body, year in sorted(self._rows_by_body_year, key=lambda k: k[2]):
            years.setdefault((district, body), []).append(year)
        return years

    def years_of(self, body: Body) -> list[int]:
        return list(self._years_by_body.get((body.district, body.name), []))

    def previous_year(self, body: Body, year: int) -> int | None:
        """The latest year before `year` with data for `body`: what "last year" means everywhere (a gap
        year is skipped, and the year compared with is always named)."""
        return max((y for y in self.years_of(body) if y < year), default=None)

    def find_body(self, text: str) -> Body:
        """A body by name (峡口镇), district+name (南岸区峡口镇) or full name; ambiguity is an error."""
        return resolve_body(text, self.index or self.bodies)

    def rows_of_district(self, district: str, year: int) -> pd.DataFrame:
        """Every body's rows of one district and year (a page placing its body among its peers)."""
        found = [positions for (d, _, y), positions in self._rows_by_body_year.items() if d == district and y == year]
        return self.observations.iloc[sorted(i for p in found for i in p)] if found else self.observations.iloc[0:0]

    def rows_of(self, body: Body, year: int) -> pd.DataFrame:
        """The body's rows of one year, in file order."""
        positions = self._rows_by_body_year.get((body.district, body.name, int(year)))
        return self.observations.iloc[positions] if positions is not None else self.observations.iloc[0:0]


_validated: dict[tuple[Path, str], Dataset] = {}  # (directory, content digest) → Dataset, see load_dataset


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """The validated data of a directory. Its files are read once, and every check runs on those bytes.
    A warm kernel builds many reports from the same files, so a result is kept per (directory, SHA-256
    of the files' bytes): any edit, however small, is validated afresh, and unchanged data is not
    validated 24 times. Treat the returned frames as read-only.

    When the process that launched this kernel has already run the pandera schemas over these exact
    bytes (its receipt names the directory and digest), they are not run again here; the typing and
    the domain rules always run. Data past a district's size is read through its store (`scoped`)."""
    directory = paths.data_dir(data_dir)
    if in_use(directory):
        return load_from_store(directory)
    files = read_data_files(directory)
    digest = content_digest(files)
    key = (directory, digest)
    if key not in _validated:
        run_schema = not has_receipt(directory, digest)
        catalogue = load_catalogue(directory, run_schema, files[paths.CATALOGUE_FILE])
        observations = load_observations(catalogue, directory, run_schema, files[paths.OBSERVATIONS_FILE])
        _validated.clear()  # one snapshot is enough; keeps a long-lived kernel's memory flat
        _validated[key] = Dataset(catalogue, observations, directory,
                                  load_sources(directory, files.get(paths.SOURCES_FILE, b"")), digest=digest)
    return _validated[key]


_loaded: dict[tuple, Dataset] = {}  # (directory, store digest, scope, year) → Dataset, the last one only


def load_from_store(directory: Path, scope: Scope | None = None, max_year: int | None = None) -> Dataset:
    """The rows of `scope` up to `max_year` from the data's store, which holds checked rows only."""
    scope = scope or Scope()
    store = open_store(directory)
    key = (directory, store.digest, scope, max_year)
    if key not in _loaded:
        _loaded.clear()
        catalogue = load_catalogue(directory, run_schema=False)  # its bytes were checked when the store was built
        _loaded[key] = Dataset(catalogue, store.rows(scope, max_year=max_year), directory, load_sources(directory),
                               index=tuple(store.bodies))
    return _loaded[key]
