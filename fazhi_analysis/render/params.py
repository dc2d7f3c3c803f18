"""Run parameters, typed and checked before any kernel starts.

papermill only warns on an unknown parameter and its `-p` turns `0101` into `101`, so fazhi validates
here (pydantic) and resolves the body against the data with the light CSV reader (no pandas), so a
wrong year fails in well under a second with the list of what exists.
"""

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import paths
from ..data.bodies import Body, resolve_body
from ..data.csv_input import forbidden_character, normalise_name, parse_year, read_rows
from ..data.layout import MAX_YEAR, MIN_YEAR, OBSERVATION_COLUMNS
from ..data.names import MAX_TYPED_BODY_CHARS
from ..data.rules import rule_zh, year_without_data
from ..errors import DataError, ParameterError, Problem, display_path

DEFAULT_YEAR = 2023
DEFAULT_BODY = "峡口镇"



class RunParameters(BaseModel):
    """What one annual-report run is about; the notebook's `parameters` cell has the same names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(DEFAULT_YEAR, ge=MIN_YEAR, le=MAX_YEAR)
    body: str = Field(DEFAULT_BODY, min_length=1, max_length=MAX_TYPED_BODY_CHARS)
    data_dir: str | None = None

    @field_validator("body")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        """Control characters (newline, NUL, bidi overrides) are refused rather than cleaned: a name typed
        on the command line with one is a mistake. Spaces are normalised as in the data."""
        bad = re.search(r"[\t\r\n]", value)
        if bad or forbidden_character(value):
            raise ValueError("主体名称" + rule_zh("text_no_control_chars", char=repr(bad.group()) if bad
                                                                              else forbidden_character(value)))
        name = normalise_name(value)
        if not name:
            raise ValueError("主体名称不能为空")
        return name

    def notebook_parameters(self) -> dict:
        """The values injected into the notebook: plain literals only."""
        return {"year": self.year, "body": self.body, "data_dir": self.data_dir}


def parse_parameters(**values) -> RunParameters:
    try:
        return RunParameters(**values)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ParameterError(f"参数不正确: {details}") from None


def available_runs(data_dir: str | Path | None = None) -> dict[Body, set[int]]:
    """Each body with the years it has data for, read without pandas for a fast answer (past a district's
    size, from the store's table of bodies)."""
    from ..data.store import in_use, open_store

    if in_use(paths.data_dir(data_dir)):
        return {body: set(years) for body, years in open_store(paths.data_dir(data_dir)).years.items()}
    header, rows = read_rows(paths.data_dir(data_dir) / paths.OBSERVATIONS_FILE, OBSERVATION_COLUMNS)
    col = {name: header.index(name) for name in ("province", "district", "body", "year")}
    runs: dict[Body, set[int]] = {}
    for row in rows:
        year = parse_year(row[col["year"]])
        if year is None or not row[col["body"]]:
            continue  # full validation reports it; here we only list what exists
        key = Body(*(normalise_name(row[col[c]]) for c in ("province", "district", "body")))
        runs.setdefault(key, set()).add(year)
    return runs


def resolve_run(params: RunParameters) -> Body:
    """The body the parameters name, which must have data for their year; else a ParameterError listing
    what exists."""
    runs = available_runs(params.data_dir)
    if not runs:
        shown = display_path(paths.data_dir(params.data_dir) / paths.OBSERVATIONS_FILE)
        raise DataError(f"观测数据 {shown} 没有可用的数据行", [
            Problem(shown, 2, None, None, "file_has_rows", rule_zh("file_has_rows", what="观测数据"))])
    body = resolve_body(params.body, runs, lambda b: f"{b.short_name}: {'、'.join(map(str, sorted(runs[b])))}年")
    from .jobs import refuse_colliding_body  # here: jobs imports this module

    refuse_colliding_body(body, list(runs))
    if params.year not in runs[body]:
        raise year_without_data(body.short_name, params.year, runs[body])
    return body
