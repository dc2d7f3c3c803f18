"""The bad-input corpus through the real `fazhi` process: every accepted case builds its report (a real
kernel); a few rejected ones as a real process (exit 2, the rule on stderr, no traceback, UTF-8 output);
and a report killed midway keeps the previous good one. Every case through main(argv) is in
tests/unit/test_bad_input.py."""

import os
import signal
import subprocess
import time
from pathlib import Path

import corpus
import pytest
from conftest import left_behind

CASES = corpus.cases()
BY_ID = {c["id"]: c for c in CASES}
ACCEPTED = [c["id"] for c in CASES if c["expect"] == "accepted"]
SMOKE_REJECTED = ["rate_above_100", "damaged_utf8", "missing_observations"]


@pytest.mark.parametrize("case_id", sorted(corpus.POOLED))
def test_pooled_cases_through_the_loader_and_the_real_process(case_id, tmp_path):
    """The cases the store checks in a second process: the loader here, validate and report as processes."""
    case = BY_ID[case_id]
    corpus.check_loader(case, tmp_path / "loader")
    corpus.check_validate(case, tmp_path / "validate", run_cli=corpus.fazhi)
    corpus.check_report_refused(case, tmp_path / "report", run_cli=corpus.fazhi)


@pytest.mark.parametrize("case_id", SMOKE_REJECTED)
def test_validate_as_a_process_names_the_rule(case_id, tmp_path):
    corpus.check_validate(BY_ID[case_id], tmp_path, run_cli=corpus.fazhi)


@pytest.mark.parametrize("case_id", SMOKE_REJECTED[:2])
def test_report_as_a_process_refuses_before_any_kernel(case_id, tmp_path):
    corpus.check_report_refused(BY_ID[case_id], tmp_path, run_cli=corpus.fazhi)


@pytest.mark.parametrize("case_id", ["utf8_bom", "gbk_encoded"])
def test_validate_as_a_process_accepts(case_id, tmp_path):
    corpus.check_validate(BY_ID[case_id], tmp_path, run_cli=corpus.fazhi)


@pytest.mark.kernel
@pytest.mark.parametrize("case_id", ACCEPTED)
def test_report_cli(case_id, tmp_path):
    """An accepted case builds its report over a previous one, leaving no temporary or failed file."""
    case = BY_ID[case_id]
    data_dir = corpus.materialise(case, tmp_path)
    out = tmp_path / "outputs"
    previous = out / "南岸区-峡口镇" / "2023" / "南岸区-峡口镇-2023-法治政府建设数据分析.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("<html>previous good report</html>", encoding="utf-8")
    run = corpus.fazhi("report", "--data-dir", str(data_dir), "--output-root", str(out))
    assert not run.traceback, run.stderr
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
