"""The annual report end to end through a real kernel: papermill executes the notebook, nbconvert
exports one offline HTML file that holds the seed's figures under the five parts."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, leave_dead_temporary

FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
PART_HEADINGS = ["主要举措和成效", "第一责任人", "存在的不足和原因", "工作思路目标举措", "其他需要报告的情况"]
SEED_FIGURES_IN_HTML = [
    "242件", "238件", "98.35%", "54次", "51条", "15000余份", "达98%以上", "未发生", "49名", "10余次",
]


def run_fazhi(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([*FAZHI, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    result = run_fazhi("report", "--year", "2023", "--unit", "峡口镇", "--output-root", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _leadership_html(out: Path) -> Path:
    (html,) = [p for p in out.glob("南岸区-峡口镇/2023/*.html") if "analyst" not in p.name]
    return html


def test_report_html_holds_the_seed_figures_under_the_five_parts(built):
    html = _leadership_html(built).read_text(encoding="utf-8")
    h2_texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<h2[^>]*>(.*?)</h2>", html, flags=re.S)]
    order = [next(i for i, text in enumerate(h2_texts) if heading in text) for heading in PART_HEADINGS]
    assert order == sorted(order), f"parts out of order: {h2_texts}"
    for figure in SEED_FIGURES_IN_HTML:
        assert figure in html, figure
    assert "重庆市南岸区峡口镇2023年法治政府建设情况数据分析" in html


def test_report_html_is_offline_and_shows_no_code(built):
    html = _leadership_html(built).read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "a reference to a network host"
    assert "https://" not in html and "http://" not in html
    assert "<script" not in html
    assert "AnnualPage.load" not in html and "In&nbsp;[" not in html, "code or prompts leaked into the page"
    assert "Traceback" not in html and "Warning" not in html


def test_executed_notebook_is_kept_beside_the_html(built):
    (nb_path,) = [p for p in built.glob("南岸区-峡口镇/2023/*.ipynb") if ".failed." not in p.name]
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and "body = '峡口镇'" in "".join(injected[0]["source"])  # an inert, readable literal


def test_unknown_year_fails_naming_the_years_that_exist(tmp_path):
    """As a real process; that no kernel starts first is tests/unit/test_report_parameters.py's check."""
    result = run_fazhi("report", "--year", "2022", "--output-root", str(tmp_path))
    assert result.returncode == 2
    assert "2023" in result.stderr and "2022" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir()), "nothing may be written for a bad parameter"


def test_unknown_body_lists_the_bodies(tmp_path):
    result = run_fazhi("report", "--unit", "不存在镇", "--output-root", str(tmp_path))
    assert result.returncode == 2 and "峡口镇" in result.stderr and "Traceback" not in result.stderr


# Two builds in one warm kernel, in a fresh interpreter of its own session: WarmKernel launches its kernel
# with a preexec_fn, so the forked child runs Python's at-fork hooks before it leaves the session; in a
# pytest worker full of threads (a browser's, a store's) that child has crashed there, and jupyter_client
# then killed the child's process group, which was the whole test run's.
_BUILD_GOOD_THEN_BAD = """
import hashlib, json, sys
from pathlib import Path
from fazhi_analysis import paths
from fazhi_analysis.data.bodies import Body
from fazhi_analysis.render.build import build_page
from fazhi_analysis.render.jobs import AnnualJob
from fazhi_analysis.render.kernel import WarmKernel
from fazhi_analysis.render.params import parse_parameters
seed = Body("重庆市", "南岸区", "峡口镇")
good = AnnualJob(paths.ANNUAL_NOTEBOOK, parse_parameters(), seed, Path(sys.argv[2]))
bad = AnnualJob(Path(sys.argv[1]), parse_parameters(), seed, Path(sys.argv[2]))
with WarmKernel(cwd=paths.NOTEBOOKS_DIR) as kernel:
    first = build_page(good, kernel)
    before = hashlib.sha256(good.html_path.read_bytes()).hexdigest() if first.ok else None
    second = build_page(bad, kernel)
print(json.dumps({"good": first.ok, "before": before, "bad": second.ok, "error": second.error or ""}))
"""


def test_a_failing_cell_keeps_the_notebook_and_the_previous_html(tmp_path):
    """Build once (tidying a killed run's temporary file, never a user's file of a similar name), then
    run a notebook whose cell raises: the good HTML stays byte-for-byte."""
    import hashlib

    from fazhi_analysis import paths
    from fazhi_analysis.data.bodies import Body
    from fazhi_analysis.render.jobs import AnnualJob
    from fazhi_analysis.render.params import parse_parameters

    broken = tmp_path / "broken.ipynb"
    nb = json.loads(paths.ANNUAL_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "boom", "metadata": {}, "outputs": [],
                        "source": ["raise RuntimeError('deliberate failure')"]})
    broken.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    seed = Body("重庆市", "南岸区", "峡口镇")
    good = AnnualJob(paths.ANNUAL_NOTEBOOK, parse_parameters(), seed, out)
    bad = AnnualJob(broken, parse_parameters(), seed, out)
    leftover = leave_dead_temporary(good.out_dir)  # as a run killed mid-write leaves it
    users = [good.out_dir / ".notes.tmp", good.out_dir / f".{good.html_path.name}.draft.tmp"]  # not fazhi's
    for path in users:
        path.write_text("a user's own file", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _BUILD_GOOD_THEN_BAD, str(broken), str(out)], capture_output=True,
                          text=True, cwd=REPO, timeout=600, start_new_session=True)
    assert done.returncode == 0, done.stderr
    built = json.loads(done.stdout.splitlines()[-1])
    assert built["good"], done.stderr
    assert not leftover.exists(), "the rerun tidies what a killed run left"
    assert all(p.read_text(encoding="utf-8") == "a user's own file" for p in users), "only fazhi's own"
    assert not built["bad"] and "deliberate failure" in built["error"]
    assert hashlib.sha256(good.html_path.read_bytes()).hexdigest() == built["before"]
    failed = json.loads(bad.failed_notebook_path.read_text(encoding="utf-8"))
    assert any(o.get("ename") == "RuntimeError" for c in failed["cells"] for o in c.get("outputs", []))


def test_explore_notebook_runs(tmp_path):
    import papermill

    from fazhi_analysis import paths

    nb = papermill.execute_notebook(str(paths.NOTEBOOKS_DIR / "explore.ipynb"), str(tmp_path / "explore.ipynb"),
                                    kernel_name="python3", progress_bar=False, cwd=str(paths.NOTEBOOKS_DIR))
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "disputes_received_count" in outputs and "98.35%" in outputs
