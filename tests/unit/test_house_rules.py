"""House rules a reviewer would otherwise have to remember: dependencies declared once and mirrored,
notebooks committed clean with one parameters cell and thin cells, no generated files committed."""

import ast
import json
import re
import subprocess
import tomllib

import yaml
from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = [d for d in pip_section if not d.startswith("-e")]
    assert sorted(mirrored) == sorted(project["dependencies"])
    assert "-e .[test]" in pip_section


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"annual_report.ipynb", "explore.ipynb"}


def test_notebooks_are_committed_clean():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            assert not cell.get("outputs"), f"{path.name}: a cell has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: a cell has an execution count"


def test_each_notebook_has_one_parameters_cell_and_a_python_kernelspec():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: {len(tagged)} parameters cells"
        assert nb["metadata"]["kernelspec"]["language"] == "python"
        assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_report_notebook_names_year_and_body_only_in_parameters():
    """A year or body written into any other cell would silently pin every report to it."""
    nb = json.loads((REPO / "notebooks" / "annual_report.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        source = "".join(cell["source"])
        assert not re.search(r"20\d\d|峡口", source), f"a year or body outside the parameters cell: {source!r}"
        ast.parse(source)  # valid Python
        assert len([ln for ln in source.splitlines() if ln.strip()]) <= 3, f"cell is not thin: {source!r}"


def test_no_generated_outputs_or_environments_are_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in tracked if f.startswith("outputs/") and f != "outputs/.gitkeep"]
    assert not [f for f in tracked if re.search(r"(^|/)(\.venv|venv|__pycache__)/", f)]


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci


def test_atomic_writes_give_ordinary_file_permissions(tmp_path):
    import os

    from fazhi_analysis.atomic import write_text_atomic

    target = tmp_path / "report.html"
    write_text_atomic(target, "<p>ok</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert not [p for p in tmp_path.iterdir() if p.name != "report.html"], "a temporary file was left behind"


def test_modules_tests_and_notebooks_are_ruff_clean():
    import shutil
    import sys
    from pathlib import Path

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a test dependency (pyproject [test] extra)"
    result = subprocess.run([ruff, "check", "--output-format", "concise", "fazhi_analysis", "tests", "benchmarks",
                             "scripts", "notebooks"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_package_is_imported_as_a_regular_package():
    """A strict editable install once resolved fazhi_analysis as a namespace package, skipping __init__."""
    import sys

    probe = "import fazhi_analysis, sys; print(fazhi_analysis.__file__)"
    result = subprocess.run([sys.executable, "-c", probe], cwd="/", capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("fazhi_analysis/__init__.py")


# Each subpackage imports only the shared basics (top-level modules) and the subpackages listed for it:
# the data flow data → analysis → pages / draft, data → render → batch → cli, data → intake → cli.
LAYERS = {
    "": set(), "data": set(), "analysis": {"data"}, "pages": {"data", "analysis"},
    "draft": {"data", "analysis"}, "render": {"data"}, "intake": {"data", "analysis"},
    "batch": {"data", "analysis", "pages", "render", "draft"},
    "cli": {"data", "analysis", "pages", "render", "draft", "batch", "intake"},
}


def test_subpackages_import_only_the_layers_below_them():
    import re

    root = REPO / "fazhi_analysis"
    subpackages = set(LAYERS) - {""}
    found = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        here = parts[0] if len(parts) > 1 else ""
        text = path.read_text(encoding="utf-8")
        targets = {m.group(1) for m in re.finditer(r"fazhi_analysis\.(\w+)", text)}  # also in strings
        for dots, module, names in re.findall(r"^\s*from (\.+)([\w.]*) import ([\w, ]+)", text, re.M):
            if here and len(dots) == 1:
                continue  # within its own subpackage
            first = module.split(".")[0]
            targets |= {first} if first else {n.strip().split(" ")[0] for n in names.split(",")}
        allowed = LAYERS[here] | {here}
        found += [f"{path.relative_to(root)} imports {t}" for t in targets & subpackages if t not in allowed]
    assert found == []
    assert len(list(root.glob("*.py"))) <= 8 and max(len(p.read_text().splitlines()) for p in root.rglob("*.py")) <= 400
