"""Run parameters, typed and checked before any kernel starts.

papermill only warns on an unknown parameter and its `-p` turns `0101` into `101`, so fazhi validates
here (pydantic) and resolves the body against the data with the light CSV reader (no pandas), so a
wrong year fails in well under a second with the list of what exists.
"""

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import paths
from .csv_input import forbidden_character, normalise_name, parse_year, read_rows
from .data_layout import MAX_YEAR, MIN_YEAR, OBSERVATION_COLUMNS
from .errors import DataError, ParameterError, Problem, display_path

DEFAULT_YEAR = 2023
DEFAULT_UNIT = "峡口镇"


class RunParameters(BaseModel):
    """What one annual-report run is about; the notebook's `parameters` cell has the same names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(DEFAULT_YEAR, ge=MIN_YEAR, le=MAX_YEAR)
    unit: str = Field(DEFAULT_UNIT, min_length=1, max_length=60)
    data_dir: str | None = None

    @field_validator("unit")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        """Control characters (newline, NUL, bidi overrides) are refused rather than cleaned: a name typed
        on the command line with one is a mistake. Spaces are normalised as in the data."""
        if re.search(r"[\t\r\n]", value) or forbidden_character(value):
            raise ValueError("主体名称不能含控制字符（换行、NUL 等）")
        name = normalise_name(value)
        if not name:
            raise ValueError("主体名称不能为空")
        return name

    def notebook_parameters(self) -> dict:
        """The values injected into the notebook: plain literals only."""
        return {"year": self.year, "unit": self.unit, "data_dir": self.data_dir}


def parse_parameters(**values) -> RunParameters:
    try:
        return RunParameters(**values)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ParameterError(f"参数不正确: {details}") from None


def available_runs(data_dir: str | Path | None = None) -> dict[tuple[str, str, str], set[int]]:
    """(province, district, body) → years with data, read without pandas for a fast answer."""
    header, rows = read_rows(paths.data_dir(data_dir) / paths.OBSERVATIONS_FILE, OBSERVATION_COLUMNS)
    col = {name: header.index(name) for name in ("province", "district", "body", "year")}
    runs: dict[tuple[str, str, str], set[int]] = {}
    for row in rows:
        year = parse_year(row[col["year"]])
        if year is None or not row[col["body"]]:
            continue  # full validation reports it; here we only list what exists
        key = tuple(normalise_name(row[col[c]]) for c in ("province", "district", "body"))
        runs.setdefault(key, set()).add(year)
    return runs


def resolve_run(params: RunParameters) -> tuple[tuple[str, str, str], RunParameters]:
    """The (province, district, body) the parameters name, or a ParameterError listing what exists."""
    runs = available_runs(params.data_dir)
    if not runs:
        shown = display_path(paths.data_dir(params.data_dir) / paths.OBSERVATIONS_FILE)
        raise DataError(f"观测数据 {shown} 没有可用的数据行", [
            Problem(shown, 2, None, None, "file_has_rows", "只有表头，没有任何观测数据")])
    names = {key: (key[2], key[1] + key[2], "".join(key)) for key in runs}
    matches = [key for key, forms in names.items() if params.unit in forms]
    listing = "；".join(f"{d}{b}: {'、'.join(map(str, sorted(y)))}年"
                       for (_, d, b), y in sorted(runs.items()))
    if not matches:
        raise ParameterError(f"数据中没有主体 {params.unit!r}。已有主体与年度: {listing}")
    if len(matches) > 1:
        labels = "、".join(m[1] + m[2] for m in matches)
        raise ParameterError(f"主体 {params.unit!r} 不唯一，请加上区县名: {labels}")
    key = matches[0]
    if params.year not in runs[key]:
        years = "、".join(str(y) for y in sorted(runs[key]))
        raise ParameterError(f"{key[1]}{key[2]}没有{params.year}年的数据。已有年度: {years}")
    return key, params
