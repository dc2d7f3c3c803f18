"""The reports figures come from, as a reader names them (data/sources.csv): a page's cover and 说明 say
《title》 (published …) or the published address, never a file path. Light: no pandas."""

import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .csv_input import read_rows
from .layout import SOURCE_COLUMNS


@dataclass(frozen=True)
class Source:
    """A report figures come from, as a reader names it (data/sources.csv): never a file path."""

    title: str
    published: str  # 2026-01-29, or "" when not known
    url: str


def load_sources(data_dir: Path | str | None = None) -> dict[str, Source]:
    """data/sources.csv by `source` value; the file is optional (a page then names no title)."""
    path = paths.data_dir(data_dir) / paths.SOURCES_FILE
    if not path.is_file():
        return {}
    header, rows = read_rows(path, SOURCE_COLUMNS)
    col = {c: header.index(c) for c in SOURCE_COLUMNS}
    return {r[col["source"]]: Source(r[col["title"]], r[col["published"]], r[col["url"]])
            for r in rows if r[col["source"]]}


_CONVERSION_MARK = re.compile(r"\[bookmark: [^\]\n]*\]")


def without_conversion_marks(text: str) -> str:
    """A report's text without what converting it from Word left in it ([bookmark: _GoBack]): marks no
    reader of the report ever saw, so a quote or a draft must not show them."""
    return _CONVERSION_MARK.sub("", text)
