"""Hostile text through the data and --unit of a real `fazhi report` (a kernel), seen in the real
browser: the text is shown as text (no script runs, no dialog), and every output stays inside the output
root. The CLI's refusals and the inert notebook parameters are tests/unit/test_hostile_input.py's."""

from pathlib import Path

import corpus
import pytest
from chromium import chromium

CANARY, PYTHON_PAYLOAD = corpus.CANARY, corpus.PYTHON_PAYLOAD


@pytest.fixture(autouse=True)
def _no_canary():
    CANARY.unlink(missing_ok=True)
    yield
    assert not CANARY.exists(), "a payload ran: the canary file was created"


@pytest.mark.parametrize("payload", [PYTHON_PAYLOAD, "../../etc"])
def test_a_payload_unit_is_refused_by_the_process(payload, tmp_path):
    out = tmp_path / "outputs"
    run = corpus.fazhi("report", "--unit", payload, "--output-root", str(out))
    assert run.returncode == 2 and not run.traceback, run.stderr
    assert not out.exists()


@pytest.mark.kernel
@pytest.mark.browser
def test_hostile_report_shows_text_as_text(tmp_path):
    data_dir = corpus.hostile_data(tmp_path)
    out = tmp_path / "outputs"
    outside_before = {p for p in tmp_path.rglob("*") if out not in p.parents}
    htmls = []
    for unit in (PYTHON_PAYLOAD, "../../etc"):
        run = corpus.fazhi("report", "--data-dir", str(data_dir), "--unit", unit, "--output-root", str(out))
        assert run.returncode == 0 and not run.traceback, run.stdout + run.stderr
        htmls.append(Path(run.stdout.split("  (")[0].strip()))
    outside_after = {p for p in tmp_path.rglob("*") if out not in p.parents and p != out}
    assert outside_after - outside_before - {out} == set(), "a file was written outside the output root"
    for html in htmls:
        assert html.resolve().is_relative_to(out.resolve()) and html.is_file()
    (tmp_path / "browser").mkdir()
    with chromium(tmp_path / "browser") as browser:  # skips locally, fails on CI, without playwright or Chromium
        dialogs = []
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(htmls[0].as_uri())
        page.wait_for_load_state("load")
        shown = page.inner_text("body")
        title = page.title()
        page.goto(htmls[1].as_uri())
        shown_second = page.inner_text("body")
    assert dialogs == [] and "PWNED" not in title
    for text in (PYTHON_PAYLOAD, "<script>alert('district')</script>", "{{7*7}}", "onerror="):
        assert text in shown, text
    assert "第一行 <script>alert('newline')</script>" in shown_second  # the in-cell line break became a space
