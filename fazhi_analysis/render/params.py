"""Run parameters, typed and checked before any kernel starts.

papermill only warns on an unknown parameter and its `-p` turns `0101` into `101`, so fazhi validates
here (pydantic) and lists the bodies and years of the data with the light CSV reader (no pandas), so a
wrong year fails in well under a second with the list of what exists (`jobs.resolve_run`).
"""

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import paths
from ..data.bodies import Body
from ..data.csv_input import forbidden_character, normalise_name, parse_year, read_rows
from ..data.layout import MAX_YEAR, MIN_YEAR, OBSERVATION_COLUMNS
from ..data.names import MAX_TYPED_BODY_CHARS
from ..data.rules import rule_zh
from ..errors import ParameterError

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
