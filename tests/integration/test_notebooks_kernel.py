"""The notebooks in a real Jupyter kernel (papermill), exported to offline HTML: the overview of the real
data, the overview at 60 synthetic bodies (small pages, no jargon), and the annual report of a year a
clerk's workbook added. What the notebooks' code computes is tested in process in tests/unit."""

import re
from pathlib import Path

import pytest
from conftest import kernel_available, require
from filled_2024 import import_2024
from synthetic import make_synthetic_data

from fazhi_analysis.paths import OVERVIEW_NOTEBOOK as NOTEBOOK

JARGON = ("稳健", "z 分数", "z =", "绝对中位差", "取对数", "MAD", "outlier")
MB = 1_000_000


def _words(html: str) -> str:
    """The page without its embedded images (base64 can spell anything)."""
    return re.sub(r"data:image/png;base64,[^\"]+", "", html)


@pytest.fixture(scope="module")
def city60_wide(tmp_path_factory) -> Path:
    """60 bodies in 3 districts (20 each): more bodies than bars."""
    return make_synthetic_data(tmp_path_factory.mktemp("city60w"), 60, 3, (2023, 2024))


def test_notebook_runs_through_papermill_and_exports_offline_html(tmp_path):
    require(kernel_available(), "no python3 Jupyter kernelspec")
    import nbformat
    import papermill

    from fazhi_analysis.render.export import notebook_to_html

    nb = papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "o.ipynb"), parameters={"year": 2025},
                                    kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    html = notebook_to_html(nbformat.from_dict(nb), "2025年法治政府建设情况区域概览")
    assert "法治理论知识考试通过率" in html and "各指标有哪些镇街的数字" in html and "需要核实的数字" in html
    assert not re.search(r"<script[^>]+src=", html) and "import " not in html
    assert html.count("data:image/png;base64") >= 1  # charts only where 3+ bodies share an item and values differ


@pytest.mark.kernel
def test_overview_notebook_at_60_bodies_exports_small_offline_pages(city60_wide, tmp_path):
    require(kernel_available(), "no python3 Jupyter kernelspec")
    import nbformat
    import papermill

    from fazhi_analysis.paths import OVERVIEW_NOTEBOOK
    from fazhi_analysis.render.export import notebook_to_html

    for group in ("样本市", "样本区02"):
        nb = papermill.execute_notebook(str(OVERVIEW_NOTEBOOK), str(tmp_path / "o.ipynb"), kernel_name="python3",
                                        parameters={"year": 2024, "group": group, "data_dir": str(city60_wide)},
                                        progress_bar=False, cwd=str(tmp_path))
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        html = notebook_to_html(nbformat.from_dict(nb), group)
        assert len(html.encode()) < 2 * MB and not re.search(r"<script[^>]+src=", html)
        assert not any(word in _words(html) for word in JARGON)


def test_annual_report_notebook_for_the_new_year_compares_with_2023(data_copy, tmp_path):
    require(kernel_available(), "no python3 Jupyter kernelspec")
    import_2024(data_copy, tmp_path)
    import nbformat
    import papermill

    from fazhi_analysis import paths
    from fazhi_analysis.render.export import notebook_to_html

    data_dir = data_copy
    nb = papermill.execute_notebook(
        str(paths.ANNUAL_NOTEBOOK), str(tmp_path / "r.ipynb"),
        parameters={"year": 2024, "body": "峡口镇", "data_dir": str(data_dir)}, kernel_name="python3",
        progress_bar=False, cwd=str(tmp_path))
    html = notebook_to_html(nbformat.from_dict(nb), "峡口镇2024")
    assert "表：（四）加强纠纷化解，维护社会和谐稳定（2024年与2023年）" in html
    assert "<th class=\"num\">2023年</th>" in html and "+18件" in html
