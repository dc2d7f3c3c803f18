"""Paths given on the command line that fazhi writes to or runs: checked before anything starts.

`--output-root` receives generated folders and an index.html: never the filesystem root, never the data
directory or a folder inside it (raw data is never touched by a build), never an existing file.
`batch --notebook` is executed by a kernel and its text reaches index.html: only a real .ipynb notebook
(JSON, nbformat 4, a list of cells) is accepted, so `--notebook /etc/passwd` is refused, not copied.
"""

import json
from pathlib import Path

from ..atomic import read_regular
from ..errors import FazhiError, ParameterError, Problem, display_path

MAX_NOTEBOOK_BYTES = 5 * 1024 * 1024


def check_output_root(root: Path, data_dir: Path) -> Path:
    """The resolved output root, or a ParameterError naming the rule it breaks."""
    resolved = root.expanduser().resolve()
    data = data_dir.resolve()
    shown = str(root)
    if resolved == Path(resolved.anchor):
        raise ParameterError(f"--output-root {shown} 是文件系统的根目录，不能作为输出目录", [
            Problem(shown, None, "--output-root", shown, "output_root_not_root",
                    "请给出一个专门的输出目录，如 outputs/")])
    if resolved == data or data in resolved.parents:
        raise ParameterError(f"--output-root {shown} 在数据目录 {display_path(data)} 之内，不能作为输出目录", [
            Problem(shown, None, "--output-root", shown, "output_root_outside_data",
                    "数据目录只放原始数据；请把输出写到 outputs/ 等其他目录")])
    if resolved.exists() and not resolved.is_dir():
        raise ParameterError(f"--output-root {shown} 是一个文件，不是目录", [
            Problem(shown, None, "--output-root", shown, "output_root_is_directory", "请给出一个目录")])
    return resolved


def check_notebook(path: Path) -> Path:
    """The resolved notebook path, when it is a real Jupyter notebook; a ParameterError otherwise."""
    shown = str(path)

    def refuse(why: str) -> ParameterError:
        return ParameterError(f"--notebook {shown} 不是可用的 Jupyter 笔记本：{why}", [
            Problem(shown, None, "--notebook", None, "notebook_is_ipynb", why)])

    if path.suffix.lower() != ".ipynb":
        raise refuse("文件名应以 .ipynb 结尾")
    try:  # a regular file within the bound: a FIFO named x.ipynb would block the run
        raw = read_regular(path, MAX_NOTEBOOK_BYTES, shown, "笔记本")
    except FileNotFoundError:
        raise refuse("文件不存在") from None
    except FazhiError as exc:
        raise refuse(exc.problems[0].message_zh if exc.problems else str(exc)) from None
    try:
        notebook = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise refuse(f"不是 UTF-8 JSON（{type(exc).__name__}）") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        raise refuse("缺少 nbformat 4 的结构（nbformat、cells）")
    if not all(isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw") for c in notebook["cells"]):
        raise refuse("cells 中有不认识的单元格")
    return path.resolve()
