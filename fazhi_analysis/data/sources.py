"""The reports figures come from, as a reader names them (data/sources.csv): a page's cover and 说明 say
《title》 (published …) or the published address, never a file path. Light: no pandas."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..atomic import regular_size
from ..errors import FazhiError, Problem, display_path
from .csv_input import MAX_TABLE_BYTES, read_rows
from .layout import SOURCE_COLUMNS


@dataclass(frozen=True)
class Source:
    """A report figures come from, as a reader names it (data/sources.csv): never a file path."""

    title: str
    published: str  # 2026-01-29, or "" when not known
    url: str


def load_sources(data_dir: Path | str | None = None, raw: bytes | None = None) -> dict[str, Source]:
    """data/sources.csv by `source` value; the file is optional (a page then names no title). `raw`: its
    bytes when already read (b"" when it was absent)."""
    path = paths.data_dir(data_dir) / paths.SOURCES_FILE
    if raw == b"" or (raw is None and not path.is_file()):
        return {}
    header, rows = read_rows(path, SOURCE_COLUMNS, raw)
    col = {c: header.index(c) for c in SOURCE_COLUMNS}
    return {r[col["source"]]: Source(r[col["title"]], r[col["published"]], r[col["url"]])
            for r in rows if r[col["source"]]}


_CONVERSION_MARK = re.compile(r"\[bookmark: [^\]\n]*\]")


def without_conversion_marks(text: str) -> str:
    """A report's text without what converting it from Word left in it ([bookmark: _GoBack]): marks no
    reader of the report ever saw, so a quote or a draft must not show them."""
    return _CONVERSION_MARK.sub("", text)


@dataclass(frozen=True)
class KeptReport:
    """A report taken in from its document: the text to keep in data/raw/ (normalised, so that every
    statement of its figures is a substring of it) and how a reader names it."""

    province: str
    district: str
    body: str
    year: int
    title: str  # as written
    published: str
    url: str
    text: str

    @property
    def raw_name(self) -> str:
        """重庆市南岸区峡口镇_2023.txt: the kept copy's file name under data/raw/."""
        return f"{self.province}{self.district}{self.body}_{self.year}.txt"

    @property
    def source(self) -> str:
        """The `source` value its observations carry (the page finds the kept text from it)."""
        return f"data/raw/{self.raw_name}"


def registered_sources(data_dir: Path, reports: list[KeptReport]) -> tuple[dict[Path, bytes], list[str]]:
    """The files that register `reports` (each kept text under raw/, and sources.csv with a row for each),
    as {path: new bytes} for one atomic commit, and the sources added. A report whose kept text is already
    there with other content is a DataError: a kept report is never overwritten."""
    import csv
    import io

    from ..errors import DataError, Problem

    files: dict[Path, bytes] = {}
    path = paths.data_dir(data_dir) / paths.SOURCES_FILE
    header, rows = read_rows(path, SOURCE_COLUMNS) if path.is_file() else (list(SOURCE_COLUMNS), [])
    col = {c: header.index(c) for c in SOURCE_COLUMNS}
    listed = {r[col["source"]] for r in rows}
    added = []
    for report in reports:
        raw = paths.data_dir(data_dir) / "raw" / report.raw_name
        raw.parent.mkdir(exist_ok=True)
        text = report.text if report.text.endswith("\n") else report.text + "\n"
        if raw.is_file() and raw.read_text(encoding="utf-8") != text:
            raise DataError(f"data/raw/{report.raw_name} 已存在且内容不同，未覆盖", [
                Problem(f"data/raw/{report.raw_name}", None, None, None, "raw_report_kept",
                        "报告原文一经保存不再改写；如确需换成新版本，请先移走旧文件")])
        files[raw] = text.encode("utf-8")
        if report.source not in listed:
            row = [""] * len(header)
            for column, value in (("source", report.source), ("title", report.title),
                                  ("published", report.published), ("url", report.url)):
                row[col[column]] = value
            rows.append(row)
            listed.add(report.source)
            added.append(report.source)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    files[path] = buffer.getvalue().encode("utf-8")
    return files, added


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
