"""User-facing errors: every problem names the file, row, column, value and rule, so the person who
typed the figure can find and fix it. The CLI prints these and exits 2, never a traceback."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based row as a spreadsheet shows it (header = 1); None for the whole file
    column: str | None
    value: str | None
    rule: str  # stable rule id, e.g. "value_is_number"
    message_zh: str  # what is wrong and what to do, in Chinese

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" 列 {self.column}"
        shown = f" 值 {self.value!r}" if self.value is not None else ""
        return f"{where}{shown}: {self.message_zh} [{self.rule}]"


@dataclass
class FazhiError(Exception):
    """Base of errors the CLI reports as a message and exit code 2."""

    message: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [self.message, *(f"  - {p}" for p in self.problems[:200])]
        if len(self.problems) > 200:
            lines.append(f"  … 另有 {len(self.problems) - 200} 个问题未列出")
        return "\n".join(lines)


class DataError(FazhiError):
    """The data files break a rule of the schema or of the domain."""


class ParameterError(FazhiError):
    """A run parameter (year, body, path) is not valid."""


def display_path(path: Path) -> str:
    """A path as the user would recognise it: relative to the current directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
