"""The indicator catalogue: every indicator named once (stable ASCII key, 中文名, measure words, section,
kind, aliases, its definition), loaded and validated with all problems at once. Nothing here edits the
file. The store (`store`) and the loader (`dataset`) both read it from here."""

import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataError, Problem, display_path
from .csv_input import fold_width, read_text_table
from .definitions import Definition
from .layout import CATALOGUE_COLUMNS
from .rules import rule_zh


@dataclass(frozen=True)
class Indicator:
    """A catalogue item: a claim that figures linked to it from different bodies are the same thing."""

    key: str
    name_zh: str
    measures: tuple[str, ...]  # measure words that mean the same here (名|人); the first is the usual one
    section: str
    kind: str  # count / rate / amount / total
    numerator: str | None
    denominator: str | None
    base_zh: str  # for a rate: what it is a share of, in words (参考人数), so a page can say what is missing
    components: tuple[str, ...]
    aliases: tuple[str, ...]
    definition: Definition = Definition()  # 口径: which wordings of a figure count as this indicator

    @property
    def measure(self) -> str:
        return self.measures[0]


class Catalogue(dict[str, Indicator]):
    """Indicators by key, in file order."""

    def in_section(self, section: str) -> list[Indicator]:
        return [i for i in self.values() if i.section == section]

    def suggest(self, key: str) -> str | None:
        """The closest known key, for a did-you-mean in error messages."""
        names = {i.name_zh: i.key for i in self.values()}
        match = difflib.get_close_matches(key, list(self) + list(names), n=1, cutoff=0.6)
        return names.get(match[0], match[0]) if match else None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def schema_problems_of(frame: pd.DataFrame, schema_name: str, shown: str) -> list[Problem]:
    """The pandera schema's problems; pandera is slow to import, so it loads only when a schema runs."""
    from . import schema

    return schema.schema_problems(frame, getattr(schema, schema_name), shown)


def load_catalogue(data_dir: Path | str | None = None, run_schema: bool = True, raw: bytes | None = None
                   ) -> Catalogue:
    """The indicator catalogue, validated; `raw`: the file's bytes when already read (`load_dataset`)."""
    path = paths.data_dir(data_dir) / paths.CATALOGUE_FILE
    shown = display_path(path)
    frame = read_text_table(path, CATALOGUE_COLUMNS, raw)
    for column in ("key", "kind", "numerator", "denominator", "components"):
        frame[column] = frame[column].map(fold_width)
    problems = schema_problems_of(frame, "CATALOGUE_SCHEMA", shown) if run_schema else []
    if frame.empty:
        problems.append(Problem(shown, 2, None, None, "file_has_rows", rule_zh("file_has_rows", what="指标")))
    if problems:
        raise DataError(f"指标目录 {shown} 有 {len(problems)} 个问题", problems)
    catalogue = Catalogue()
    for row in frame.itertuples(index=False):
        catalogue[row.key] = Indicator(
            key=row.key, name_zh=row.name_zh, measures=_split(row.measure), section=row.section, kind=row.kind,
            numerator=row.numerator or None, denominator=row.denominator or None, base_zh=row.base_zh,
            components=_split(row.components), aliases=_split(row.aliases),
            definition=Definition.from_cells(row.counts_zh, row.wording_requires, row.wording_excludes),
        )
    problems = _catalogue_reference_problems(catalogue, frame, shown)
    if problems:
        raise DataError(f"指标目录 {shown} 有 {len(problems)} 个问题", problems)
    return catalogue


def _catalogue_reference_problems(catalogue: Catalogue, frame: pd.DataFrame, shown: str) -> list[Problem]:
    problems = []
    for row_number, ind in zip(frame.index + 2, catalogue.values(), strict=True):
        for column, refs in (("numerator", [ind.numerator]), ("denominator", [ind.denominator]),
                             ("components", list(ind.components))):
            for ref in refs:
                if ref and ref not in catalogue:
                    problems.append(Problem(shown, int(row_number), column, ref, "reference_known",
                                            "引用了目录中不存在的指标键"))
        if ind.kind == "rate" and bool(ind.numerator) != bool(ind.denominator):
            problems.append(Problem(shown, int(row_number), "denominator", ind.denominator or "",
                                    "rate_has_both_terms", "比率的分子和分母要么都填，要么都不填"))
        if ind.kind == "total" and not ind.components:
            problems.append(Problem(shown, int(row_number), "components", "", "total_has_components",
                                    "合计类指标须列出组成指标"))
        unlike = [c for c in ind.components if c in catalogue and catalogue[c].measure not in ind.measures]
        if unlike:  # only what adds up: 院坝会 (次) + 讲座 (期) is not a number of anything
            problems.append(Problem(shown, int(row_number), "components", "|".join(unlike), "total_same_measure",
                                    f"合计的组成指标须与合计同一计量（{ind.measure}）"))
    return problems
