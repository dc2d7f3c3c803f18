"""Issue 23, case by case: each example the issue reported runs through the real CLI in a sandbox
(tests/hostile/), and must end as the issue asks (its exit code and message, its pages) with no hang, no
traceback, no data lost, no temporary file left and nothing outside fazhi's own files touched. A hang is a
run past its deadline; each case's time budget counts only in benchmarks/fault_summary.py, which runs these
and more of each class and prints the counts."""

import pytest
from cases import CASES, missing, run_case
from conftest import require


def _marks(case) -> list:
    marks = [pytest.mark.kernel] if {"kernel", "cluster"} & case.needs else []
    return marks + ([pytest.mark.slow] if "cluster" in case.needs else [])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=_marks(c)) for c in CASES if c.issue])
def test_issue_case(case, tmp_path):
    for need in sorted(case.needs):
        require(missing(need) is None, missing(need) or "")
    tally = run_case(case, tmp_path / "box")
    assert tally.clean, f"{case.about}\n" + "\n".join(tally.details)
