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


# errno → (what happened, what to do); the CLI shows these instead of a traceback
_OS_ADVICE = {
    "ENOSPC": ("磁盘已满", "请腾出空间，或用 --output-root 指向空间足够的目录，然后重试"),
    "EDQUOT": ("超出磁盘配额", "请腾出空间或联系管理员，然后重试"),
    "EROFS": ("所在文件系统是只读的", "请用 --output-root（或 --data-dir）指向可写的目录"),
    "EACCES": ("没有权限", "请检查该路径的读写权限，或换一个目录"),
    "EPERM": ("操作不被允许", "请检查该路径的读写权限，或换一个目录"),
    "ENOTDIR": ("路径中有一段是文件而不是目录", "请检查路径，或换一个目录"),
    "EISDIR": ("这是一个目录而不是文件", "请给出文件路径"),
    "ENOENT": ("路径不存在", "请检查路径"),
    "EMFILE": ("打开的文件太多", "请关闭其他程序后重试"),
}
# errnos that say the place is unusable (any other report there would fail the same way), not the report
PLACE_ERRNOS = frozenset({"ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENOTDIR"})


@dataclass
class OutputError(FazhiError):
    """A file could not be read or written (full or read-only disk, permissions, a file where a folder
    should be); `code` is the errno name, e.g. ENOSPC."""

    code: str = ""

    @property
    def place_unusable(self) -> bool:
        return self.code in PLACE_ERRNOS


def os_error(exc: OSError, path: Path | str | None = None, action: str = "写入") -> OutputError:
    """An OSError as a message naming the path (the final one, not a temporary name) and what to do."""
    import errno as errno_names

    code = errno_names.errorcode.get(exc.errno or 0, "")
    what, todo = _OS_ADVICE.get(code, (exc.strerror or str(exc), "请检查该路径后重试"))
    target = path if path is not None else (exc.filename or "?")
    shown = display_path(Path(target)) if target != "?" else target
    tag = f" [{code}]" if code else ""
    return OutputError(f"无法{action} {shown}：{what}{tag}。{todo}", code=code)
