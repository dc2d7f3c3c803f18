"""House rules a reviewer would otherwise have to remember: dependencies declared once and mirrored,
notebooks committed clean with one parameters cell and thin cells, the architecture's contracts
(import-linter), small modules. The rules checked by other programs (git, ruff, a fresh interpreter) are
tests/integration/test_house_rules_tools.py."""

import ast
import json
import re
import tomllib

import yaml
from conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = [d for d in pip_section if not d.startswith("-e")]
    extras = project.get("optional-dependencies", {}).values()
    declared = project["dependencies"] + [d for extra in extras for d in extra]
    assert set(project["dependencies"]) <= set(mirrored), "a dependency is missing from environment.yml"
    assert set(mirrored) <= set(declared), "environment.yml lists what pyproject.toml does not declare"
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


def test_architecture_contracts_hold(capsys):
    """import-linter's contracts in pyproject.toml: each layer imports only the layers below it (every
    subpackage and top-level module has its place), what sits beside the layers, and no import circle
    among the modules of a package."""
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_the_package_root_stays_small_and_modules_short():
    root = REPO / "fazhi_analysis"
    assert len(list(root.glob("*.py"))) <= 8
    longest = max(root.rglob("*.py"), key=lambda p: len(p.read_text(encoding="utf-8").splitlines()))
    assert len(longest.read_text(encoding="utf-8").splitlines()) <= 400, longest
