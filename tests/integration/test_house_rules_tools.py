"""House rules checked by running another program: nothing generated is committed (git), modules, tests,
notebooks, benchmarks and scripts are ruff-clean, and the package imports as a regular package in a fresh
interpreter."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_no_generated_outputs_or_environments_are_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in tracked if f.startswith("outputs/") and f != "outputs/.gitkeep"]
    assert not [f for f in tracked if re.search(r"(^|/)(\.venv|venv|__pycache__)/", f)]


def test_modules_tests_and_notebooks_are_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a test dependency (pyproject [test] extra)"
    result = subprocess.run([ruff, "check", "--output-format", "concise", "fazhi_analysis", "tests", "benchmarks",
                             "scripts", "notebooks"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_package_is_imported_as_a_regular_package():
    """A strict editable install once resolved fazhi_analysis as a namespace package, skipping __init__."""
    probe = "import fazhi_analysis, sys; print(fazhi_analysis.__file__)"
    result = subprocess.run([sys.executable, "-c", probe], cwd="/", capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("fazhi_analysis/__init__.py")
