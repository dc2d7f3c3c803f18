"""What a fresh interpreter shows: importing the package makes matplotlib draw Chinese (and loads neither
matplotlib nor pandas itself); and the explore notebook in a real kernel charts a synthetic district."""

import subprocess
import sys
from pathlib import Path

import pytest
from synthetic import make_synthetic_data


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """A synthetic city: 30 towns in 2 districts, 2 years."""
    return make_synthetic_data(tmp_path_factory.mktemp("district"), 30, 2, (2023, 2024))


DRAW = """
import io, warnings
warnings.simplefilter("error")  # a "Glyph … missing" warning fails the run
{first}
import matplotlib
matplotlib.use("Agg")
fig, ax = plt.subplots()
ax.barh(["峡口镇", "峰灵镇"], [3, 5])
ax.set_title("行政复议案件（件）")
fig.savefig(io.BytesIO(), format="png")
print("drawn", matplotlib.rcParams["font.sans-serif"][0])
"""


@pytest.mark.parametrize("first", ["import fazhi_analysis\nimport matplotlib.pyplot as plt",
                                   "import matplotlib.pyplot as plt\nimport fazhi_analysis.data.dataset"])
def test_importing_the_package_makes_matplotlib_draw_chinese(first):
    run = subprocess.run([sys.executable, "-c", DRAW.format(first=first)], capture_output=True, text=True, cwd="/")
    assert run.returncode == 0 and run.stdout.strip() == "drawn Noto Sans CJK SC", run.stderr


def test_without_the_package_matplotlib_lacks_the_glyphs_and_the_import_stays_light():
    """The control: the same chart without fazhi_analysis warns; and importing it loads no matplotlib."""
    run = subprocess.run([sys.executable, "-c", DRAW.format(first="import matplotlib.pyplot as plt")],
                         capture_output=True, text=True, cwd="/")
    assert run.returncode != 0 and "missing from font" in run.stderr
    probe = ("import sys, fazhi_analysis; "
             "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'pandas'))))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "[]"


@pytest.mark.kernel
def test_the_explore_notebook_charts_a_synthetic_districts_administrative_reviews(district, tmp_path):
    import json

    import papermill

    from fazhi_analysis import paths

    nb = papermill.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "explore.ipynb"), str(tmp_path / "explore.ipynb"), kernel_name="python3",
        progress_bar=False, cwd=str(paths.NOTEBOOKS_DIR),
        parameters={"year": 2024, "group": "样本区01", "question": "行政复议", "body": "样本镇0003", "body_year": 2024,
                    "data_dir": str(district)})
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr" and "missing from font" in o.get("text", "")]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 1  # the analyst's own bar chart
    shown = json.dumps([o.get("data", {}).get("text/html", "") for o in outputs], ensure_ascii=False)
    assert "行政复议案件（收到申请）" in shown and "行政复议办结" in shown
