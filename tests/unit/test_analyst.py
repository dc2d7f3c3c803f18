"""The analyst's desk in one call each: every figure with unambiguous columns, compare() across towns and
years, every page table as a DataFrame, the workbook `fazhi export` writes (read back with openpyxl), and
Chinese in the analyst's own matplotlib charts after nothing but `import fazhi_analysis` (a fresh
interpreter each: tests/integration/test_analyst_processes.py, with the explore notebook in a kernel)."""

from pathlib import Path

import corpus
import openpyxl
import pytest
from synthetic import make_synthetic_data

from fazhi_analysis.pages.overview import COMPARE_COLUMNS, FIGURE_COLUMNS, OverviewPage

REVIEW_KEYS = {"admin_review_cases_count", "admin_review_closed_count", "admin_review_corrected_count"}


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """A synthetic city: 30 towns in 2 districts, 2 years."""
    return make_synthetic_data(tmp_path_factory.mktemp("district"), 30, 2, (2023, 2024))


def test_figures_hold_every_figure_with_unambiguous_columns():
    page = OverviewPage.load(2025)
    figures = page.figures()
    assert tuple(figures.columns) == FIGURE_COLUMNS and len(figures) == page.n_stated() == 79
    wujia = figures[figures["body"] == "吴家镇"]
    assert len(wujia) == 5 and not wujia["comparable"].any()  # the town's own items are there too
    assert set(wujia["town"]) == {"吴家镇（荣昌区）"} and "办理服务事项" in set(wujia["label"])
    guiyang = figures[figures["label"] == "中心组专题学法"].iloc[0]
    assert guiyang["indicator_zh"] == "理论学习中心组专题学法" and guiyang["comparable"]


def test_compare_finds_the_figures_of_every_town_that_reports_them(district):
    page = OverviewPage.load(2024, "样本区01", str(district))
    found = page.compare("行政复议")
    assert tuple(found.columns) == COMPARE_COLUMNS and set(found["indicator"]) == REVIEW_KEYS
    obs = page.dataset.observations
    reporting = obs[(obs["district"] == "样本区01") & obs["indicator"].isin(REVIEW_KEYS)]
    assert len(found) == len(reporting) > 0  # every town, every year, every one of the three
    assert set(found["body"]) == set(reporting["body"]) and set(found["year"]) == {2023, 2024}
    assert (found["matched_by"] == "指标").all() and found["comparable"].all()
    assert list(page.compare("admin_review_closed_count")["indicator"].unique()) == ["admin_review_closed_count"]


def test_compare_finds_a_towns_own_items_by_their_wording():
    page = OverviewPage.load(2025, "重庆市")
    found = page.compare("中心组")
    by_body = {(b, y): c for b, y, c in zip(found["body"], found["year"], found["comparable"], strict=True)}
    assert by_body == {("桂阳街道", 2025): True, ("歇马街道", 2025): False, ("中梁山街道", 2025): False,
                       ("两路街道", 2023): False}  # across years: 两路街道 reported only in 2023
    assert list(found["body"])[0] == "桂阳街道"  # comparable figures first
    assert set(found.loc[~found["comparable"], "matched_by"]) == {"事项名称"}
    assert page.compare("不存在的说法").empty


def test_every_table_of_the_page_as_a_dataframe():
    page = OverviewPage.load(2025, "巫溪县")
    tables = page.tables()
    assert "表：2025年各镇街报告的数字（按方面）" in tables and "表：2025年需要核实的数字" in tables
    by_section = tables["表：2025年各镇街报告的数字（按方面）"]
    assert by_section["报告的数字"].tolist() == [6, 12]  # numbers, not "6"
    assert "未能检查" in tables["表：2025年需要核实的数字"].attrs["note"]


def test_export_writes_the_overview_tables_as_text_and_numbers_without_formulas(district, tmp_path):
    target = tmp_path / "汇总.xlsx"
    args = ("export", "--year", "2024", "--district", "样本区01", "-o", str(target), "--data-dir", str(district))
    run = corpus.fazhi_main(*args)
    assert run.returncode == 0, run.stderr
    page = OverviewPage.load(2024, "样本区01", str(district))
    book = openpyxl.load_workbook(target)  # formulas would read back as "=…" strings here
    tables = page.tables()
    contents = list(book["说明"].iter_rows(min_row=5, values_only=True))
    assert len(contents) == len(tables) + 1 and len(book.sheetnames) == len(tables) + 2
    for (sheet_name, caption, _), (expected_caption, frame) in zip(contents[1:], tables.items(), strict=True):
        assert caption == expected_caption
        rows = list(book[sheet_name].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns)
        expected = [[None if v == "" else v for v in row] for row in frame.itertuples(index=False)]
        assert [list(r) for r in rows[1:]] == expected, sheet_name
    figures = list(book["全部数字"].iter_rows(values_only=True))
    assert len(figures) == len(page.figures()) + 1
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    ranked = next(name for name in book.sheetnames if name.endswith("排名"))
    assert all(isinstance(r[-1], int | float) for r in book[ranked].iter_rows(min_row=2, values_only=True))
    again = corpus.fazhi_main(*args)
    assert again.returncode == 2 and "已存在" in again.stderr and "Traceback" not in again.stderr


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from fazhi_analysis.pages.overview_workbook import _fill

    book = openpyxl.Workbook()
    _fill(book.active, ["事项"], [["=HYPERLINK(\"http://x\")"], ["+1"]], openpyxl.styles.Font(bold=True))
    book.save(tmp_path / "t.xlsx")
    cells = [c for row in openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(min_row=2) for c in row]
    assert [(c.value, c.data_type) for c in cells] == [("=HYPERLINK(\"http://x\")", "s"), ("+1", "s")]
