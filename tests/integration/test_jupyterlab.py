"""The notebooks as an analyst runs them: the real JupyterLab (from the project's venv) in the real
Chromium, each notebook opened, Run All from the Run menu, saved, and the saved notebook read back: every
code cell ran, none has an error output, and no chart warned of a missing glyph. One server and one
browser for all notebooks, on copies in a temporary folder (the committed notebooks stay clean)."""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from chromium import chromium
from conftest import REPO, require

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

NOTEBOOKS = ("explore.ipynb", "overview.ipynb", "annual_report.ipynb")
ARTIFACTS = REPO / "test-artifacts"
START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 120_000
KERNEL_DIALOG_MS = 8_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """`jupyter lab --no-browser` on a free port with a token, serving copies of the notebooks."""
    jupyter = Path(sys.executable).parent / "jupyter"
    require(jupyter.exists(), f"no jupyter next to {sys.executable}")
    root = tmp_path_factory.mktemp("lab")
    for name in NOTEBOOKS:
        shutil.copy(REPO / "notebooks" / name, root / name)
    home = tmp_path_factory.mktemp("jupyter-home")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings")}
    port, token = _free_port(), secrets.token_hex(16)
    log = (home / "lab.log").open("w", encoding="utf-8")  # a pipe nobody reads would fill and stall the server
    as_root = ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
    process = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=", *as_root],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                break
        except OSError:
            assert process.poll() is None, (home / "lab.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "JupyterLab did not start"
            time.sleep(0.3)
    try:
        yield base, token, root
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _run_all(page, base: str, token: str, name: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")  # a workspace with this notebook alone
    page.locator(f".jp-NotebookPanel[data-jp-document-path='{name}'], .jp-NotebookPanel").first.wait_for(
        timeout=60_000)
    accept = page.locator(".jp-Dialog .jp-mod-accept")  # "Select Kernel" for a notebook without a session
    try:
        accept.wait_for(timeout=KERNEL_DIALOG_MS)
        accept.click()
    except PlaywrightTimeout:
        pass
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    # the run is over when a cell has a number and none waits ([*]): all ran, or Run All stopped at an error
    page.wait_for_function(
        """() => { const prompts = Array.from(document.querySelectorAll(
               '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt'), p => p.textContent);
             return prompts.some(p => /\\[\\d+\\]/.test(p)) && !prompts.some(p => p.includes('*')); }""",
        timeout=RUN_TIMEOUT_MS)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
                           timeout=30_000)


def test_every_notebook_runs_all_in_jupyterlab(jupyterlab, tmp_path):
    base, token, root = jupyterlab
    started = time.monotonic()
    with chromium(tmp_path) as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            for name in NOTEBOOKS:
                _run_all(page, base, token, name)
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-run-all.png"))
            page.close()
    for name in NOTEBOOKS:
        nb = json.loads((root / name).read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        outputs = [o for c in code for o in c.get("outputs", [])]
        assert code and all(c["execution_count"] for c in code), name
        assert [o.get("ename") for o in outputs if o["output_type"] == "error"] == [], name
        warnings = [o["text"] for o in outputs if o.get("name") == "stderr"]
        assert not [w for w in warnings if "missing from font" in "".join(w)], name
    explore = json.loads((root / "explore.ipynb").read_text(encoding="utf-8"))
    assert any("image/png" in o.get("data", {}) for c in explore["cells"] for o in c.get("outputs", []))
    print(f"JupyterLab Run All of {len(NOTEBOOKS)} notebooks: {time.monotonic() - started:.1f} s")
