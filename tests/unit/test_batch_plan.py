"""fazhi batch before anything runs, through main(argv): a manifest checked in full (every bad row named
before a kernel starts), the year selection syntax, and the index page's escaping. The batches that
build reports in kernels are tests/integration/test_batch.py."""

from pathlib import Path

import corpus
import pytest
from conftest import REPO

from fazhi_analysis.batch.fingerprint import Fingerprint
from fazhi_analysis.batch.index_page import render_index
from fazhi_analysis.batch.plan import BatchItem, ItemResult, parse_years
from fazhi_analysis.data.bodies import Body
from fazhi_analysis.render.jobs import AnnualJob
from fazhi_analysis.render.params import parse_parameters


def test_manifest_is_checked_in_full_before_anything_runs(data_copy: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("unit,year\n峡口镇,2023\n不存在镇,2023\n峡口镇,1999\n峡口镇,abc\n", encoding="utf-8")
    out = tmp_path / "out"
    result = corpus.fazhi_main("batch", "--data-dir", str(data_copy), "--output-root", str(out), "--workers", "2",
                               "--manifest", str(manifest))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for expected in ("第3行 列 unit", "manifest_unit_exists", "第4行 列 year", "manifest_year_has_data",
                     "第5行 列 year", "manifest_year"):
        assert expected in result.stderr
    assert not out.exists()


def test_year_selection_syntax() -> None:
    assert parse_years(["2022-2024", "2021，2023"]) == (2021, 2022, 2023, 2024)
    with pytest.raises(Exception, match="看不懂"):
        parse_years(["20x3"])
    with pytest.raises(Exception, match="从小到大"):
        parse_years(["2024-2022"])


def test_index_escapes_data_text_and_has_no_external_url(tmp_path: Path) -> None:
    params = parse_parameters(year=2023, body="<b>镇</b>")
    job = AnnualJob(REPO / "notebooks" / "annual_report.ipynb", params, Body("省", "<i>区</i>", "<b>镇</b>"), tmp_path)
    item = BatchItem(job, Fingerprint((("x", "y"),)), "<i>区</i><b>镇</b> 2023年",
                     (("行政处罚<script>", "54次&"),))
    html = render_index([item], [ItemResult(item, "failed", 1.0, "ValueError: <script>alert(1)</script>")], tmp_path)
    assert "<script>" not in html and "<b>镇" not in html and "<i>区" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "54次&amp;" in html
    assert "http://" not in html and "https://" not in html and "src=" not in html
