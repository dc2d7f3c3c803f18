"""Every case of the bad-input corpus (tests/bad_inputs/cases.yaml) through the real CLI: accepted with
its documented normalisation, or rejected naming file, row, column, value and rule — exit 2, no
traceback, and nothing in the output directory written or overwritten."""

import os
import signal
import subprocess
import time
from pathlib import Path

import corpus
import pytest
from conftest import left_behind

from fazhi_analysis.data.dataset import check_data_dir, load_dataset

CASES = corpus.cases()
BY_ID = {c["id"]: c for c in CASES}


def test_corpus_is_large_and_covers_both_outcomes():
    assert len(CASES) >= 30
    assert {c["expect"] for c in CASES} == {"accepted", "rejected"}
    assert len(BY_ID) == len(CASES)


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_loader_gives_the_recorded_outcome(case_id, tmp_path):
    case = BY_ID[case_id]
    data_dir = corpus.materialise(case, tmp_path)
    problems = check_data_dir(data_dir)
    if case["expect"] == "accepted":
        assert problems == []
        frame = load_dataset(data_dir).observations
        (value,) = frame.loc[frame["row"] == case["row"], case["column"]]
        assert value == case["value"]
        return
    expected = [(case["row"], case["column"], case["rule"])] + [tuple(a) for a in case.get("also", [])]
    found = [(p.row, p.column, p.rule) for p in problems]
    for row, column, rule in expected:
        assert any(r == row and (column is None or c == column) and u == rule for r, c, u in found), (expected, found)
    first = next(p for p in problems if p.rule == case["rule"])
    assert first.file.endswith(case["target"])
    if case.get("value") is not None:
        assert first.value == case["value"]
    if case.get("message_has"):
        assert case["message_has"] in first.message_zh


# rules across rows: an import checks them on the merged table, not row by row
ACROSS_ROWS = {"unique_observation", "indicator_once", "part_within_whole", "total_not_below_parts", "file_has_rows"}
ROW_CASES = [c["id"] for c in CASES if c["expect"] == "rejected" and c["target"] == "observations.csv"
             and c["rule"] not in ACROSS_ROWS and c.get("generate") != "huge_100mb"]


@pytest.mark.parametrize("case_id", ROW_CASES)
def test_an_import_of_the_same_rows_breaks_the_same_rule(case_id, tmp_path):
    """One set of rules: the case's file, imported as rows (`fazhi import file.csv`), is refused with the
    rule, row and column that validating it as data/observations.csv gives."""
    from fazhi_analysis.data.dataset import load_catalogue
    from fazhi_analysis.data.merge import known_names
    from fazhi_analysis.errors import DataError
    from fazhi_analysis.intake.excel import read_entries

    case = BY_ID[case_id]
    incoming = corpus.materialise(case, tmp_path) / "observations.csv"
    data_dir = corpus.HERE / "base"  # what the rows are imported into (read only here)
    with pytest.raises(DataError) as refused:
        read_entries(incoming, load_catalogue(data_dir), known_names(data_dir))
    found = [(p.row, p.column, p.rule) for p in refused.value.problems]
    assert any(r == case["row"] and (case["column"] is None or c == case["column"]) and u == case["rule"]
               for r, c, u in found), (case["row"], case["column"], case["rule"], found)


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_validate_cli(case_id, tmp_path):
    case = BY_ID[case_id]
    data_dir = corpus.materialise(case, tmp_path)
    before = corpus.tree(data_dir)
    run = corpus.fazhi("validate", "--data-dir", str(data_dir))
    assert not run.traceback, run.stderr
    assert corpus.tree(data_dir) == before  # validate never touches the data
    if case["expect"] == "accepted":
        assert run.returncode == 0, run.stdout + run.stderr
        assert "数据检查通过" in run.stdout
    else:
        assert run.returncode == 2, run.stdout + run.stderr
        assert case["rule"] in run.stdout and case["target"] in run.stdout
        assert "文件" in run.stdout and "规则" in run.stdout


@pytest.mark.kernel
@pytest.mark.parametrize("case_id", list(BY_ID))
def test_report_cli(case_id, tmp_path):
    """A rejected case leaves a previous good report byte for byte; an accepted one builds its report."""
    case = BY_ID[case_id]
    data_dir = corpus.materialise(case, tmp_path)
    out = tmp_path / "outputs"
    previous = out / "南岸区-峡口镇" / "2023" / "南岸区-峡口镇-2023-法治政府建设数据分析.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("<html>previous good report</html>", encoding="utf-8")
    before = corpus.tree(out)
    run = corpus.fazhi("report", "--data-dir", str(data_dir), "--output-root", str(out))
    assert not run.traceback, run.stderr
    if case["expect"] == "rejected":
        assert run.returncode == 2, run.stdout + run.stderr
        assert case["rule"] in run.stderr
        assert corpus.tree(out) == before
    else:
        assert run.returncode == 0, run.stdout + run.stderr
        page = previous.read_text(encoding="utf-8")
        assert "峡口镇" in page and page.rstrip().endswith("</html>")
        assert not left_behind(previous.parent) and not [p for p in previous.parent.iterdir() if "failed" in p.name]


@pytest.mark.kernel
def test_report_killed_midway_keeps_a_complete_report_and_rerun_finishes(tmp_path):
    """SIGKILL `fazhi report` at several points of a run: each final path holds either the previous good
    file or the new complete one (writes are atomic renames), and running again completes the report."""
    data_dir = corpus.materialise(BY_ID["utf8_bom"], tmp_path)
    out = tmp_path / "outputs"
    args = ["report", "--data-dir", str(data_dir), "--output-root", str(out)]
    started = time.perf_counter()
    first = corpus.fazhi(*args)
    full_run_s = time.perf_counter() - started
    assert first.returncode == 0, first.stderr
    html = Path(first.stdout.split("  (")[0].strip())
    notebook = html.with_suffix(".ipynb")
    previous = {html: html.read_bytes(), notebook: notebook.read_bytes()}
    observations = data_dir / "observations.csv"
    changed = observations.read_bytes().replace("54,次,,54次".encode(), "55,次,,55次".encode())
    assert changed != observations.read_bytes()
    observations.write_bytes(changed)  # the new report differs
    env = {**os.environ, "PYTHONPATH": str(corpus.REPO)}
    for fraction in (0.4, 0.7, 0.9):
        process = subprocess.Popen([*corpus.FAZHI, *args], cwd=corpus.REPO, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=full_run_s * fraction)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        for path, old in previous.items():
            now = path.read_bytes()
            assert now == old or now.rstrip().endswith(b"</html>" if path == html else b"}"), (fraction, path)
    run = corpus.fazhi(*args)
    assert run.returncode == 0 and not run.traceback, run.stderr
    page = html.read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>") and "55" in page
    assert not list(html.parent.glob(".*running.ipynb"))
