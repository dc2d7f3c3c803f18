"""Hostile text through the CLI (--unit) and through the data (body, district, expr, source): nothing runs,
the notebook's injected parameters are inert literals, outputs stay inside the output root, and the
real browser shows the text as text (no script, no dialog)."""

import ast
import shutil
import tempfile
from pathlib import Path

import corpus
import pytest
from conftest import require

from fazhi_analysis.errors import ParameterError
from fazhi_analysis.render.engine import LiteralPythonTranslator
from fazhi_analysis.render.params import parse_parameters

CHROMIUM = Path("/usr/bin/chromium")
# a fixed name: pytest-xdist workers must collect identical test ids (a pid here made them differ)
CANARY = Path(tempfile.gettempdir()) / "fz-canary"  # short: the payload must fit the 60-character --unit
PYTHON_PAYLOAD = f"'); import os; os.system(\"touch {CANARY}\") #"
SCRIPT_PAYLOAD = "<script>alert('district')</script>区"
IMG_PAYLOAD = "<img src=x onerror=\"document.title='PWNED';alert(1)\">{{7*7}}"
PAYLOADS = [PYTHON_PAYLOAD, SCRIPT_PAYLOAD, IMG_PAYLOAD, "{{7*7}}", "\"'\\", "a\nb", "镇\x00", "../../etc",
            "a/b", "${7*7}", "%(x)s{0}"]


@pytest.fixture(autouse=True)
def _no_canary():
    CANARY.unlink(missing_ok=True)
    yield
    assert not CANARY.exists(), "a payload ran: the canary file was created"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_parameters_are_inert_literals(payload):
    """Control characters are refused; anything else is injected as one Python literal per name."""
    try:
        params = parse_parameters(body=payload)
    except ParameterError:
        assert any(c in payload for c in "\n\x00")
        return
    source = LiteralPythonTranslator.codify(params.notebook_parameters())
    tree = ast.parse(source)
    assigned = {}
    for statement in tree.body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant), source
        assigned[statement.targets[0].id] = statement.value.value
    assert assigned == params.notebook_parameters()


@pytest.mark.parametrize("payload", [PYTHON_PAYLOAD, IMG_PAYLOAD, "a\nb", "../../etc"])
def test_cli_unit_payload_is_refused_cleanly(payload, tmp_path):
    out = tmp_path / "outputs"
    run = corpus.fazhi("report", "--unit", payload, "--output-root", str(out))
    assert run.returncode == 2 and not run.traceback, run.stderr
    assert not out.exists()


def _hostile_data(tmp_path: Path) -> Path:
    """base/ plus two bodies whose names and texts are payloads, each with the full 峡口镇 figures."""
    data_dir = tmp_path / "data"
    shutil.copytree(Path(corpus.HERE) / "base", data_dir)
    lines = (data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    extra = []
    for district, body, expr, source in [
        (SCRIPT_PAYLOAD, PYTHON_PAYLOAD, IMG_PAYLOAD, "</script><script>alert('source')</script>"),
        ("a/b", "../../etc", "第一行\n<script>alert('newline')</script>", PYTHON_PAYLOAD),
    ]:
        header = lines[0].split(",")
        at = {name: header.index(name) for name in ("district", "body", "expr", "source")}
        for line in lines[1:]:
            cells = line.split(",")
            for name, value in (("district", district), ("body", body), ("expr", expr), ("source", source)):
                cells[at[name]] = value
            extra.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    (data_dir / "observations.csv").write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    return data_dir


def test_hostile_data_validates(tmp_path):
    run = corpus.fazhi("validate", str(_hostile_data(tmp_path)))
    assert run.returncode == 0 and not run.traceback, run.stdout + run.stderr


@pytest.mark.kernel
@pytest.mark.browser
def test_hostile_report_shows_text_as_text(tmp_path):
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}")
    playwright = pytest.importorskip("playwright.sync_api")
    data_dir = _hostile_data(tmp_path)
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
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            dialogs = []
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(htmls[0].as_uri())
            page.wait_for_load_state("load")
            shown = page.inner_text("body")
            title = page.title()
            page.goto(htmls[1].as_uri())
            shown_second = page.inner_text("body")
        finally:
            browser.close()
    assert dialogs == [] and "PWNED" not in title
    for text in (PYTHON_PAYLOAD, "<script>alert('district')</script>", "{{7*7}}", "onerror="):
        assert text in shown, text
    assert "第一行 <script>alert('newline')</script>" in shown_second  # the in-cell line break became a space
