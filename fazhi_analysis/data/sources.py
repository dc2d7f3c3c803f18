"""The reports figures come from, as a reader names them (data/sources.csv): a page's cover and 说明 say
《title》 (published …) or the published address, never a file path. Light: no pandas."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import FazhiError, Problem, display_path
from ..inputs import regular_size
from .csv_input import MAX_TABLE_BYTES, read_rows
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


def raw_path(data_dir: Path, source: str) -> Path | None:
    """The file in data/raw/ a `source` value names (data/raw/x.txt or raw/x.txt), or None."""
    if not source.replace("\\", "/").startswith(("data/raw/", "raw/")) or not source.endswith(".txt"):
        return None
    return data_dir / "raw" / Path(source.replace("\\", "/")).name


def raw_problems(data_dir: Path, sources: Iterable[str]) -> list[Problem]:
    """A report kept in data/raw/ that the data names must be a regular file of at most MAX_TABLE_BYTES
    (a page quotes it): a FIFO would block the run, a link to /dev/zero would be read without end. A
    missing one is allowed (the page then quotes nothing)."""
    problems = []
    for source in dict.fromkeys(sources):
        path = raw_path(data_dir, source)
        if path is None:
            continue
        shown = display_path(path)
        try:
            size = regular_size(path, shown, "原始报告")
        except FileNotFoundError:
            continue
        except FazhiError as exc:
            problems += exc.problems or [Problem(shown, None, None, None, "file_readable", str(exc))]
            continue
        if size > MAX_TABLE_BYTES:
            problems.append(Problem(shown, None, None, f"{size} bytes", "file_size",
                                    f"原始报告应小于 {MAX_TABLE_BYTES // 2**20} MB"))
    return problems
