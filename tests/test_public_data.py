"""The public reports in data/: every body × year loads and computes, and every figure of the source
yaml is either an observation or listed in data/unmapped_figures.csv with a reason."""

import csv
import filecmp
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, SHARED, require

from fazhi_analysis.analysis.year_statistics import compute_year_statistics
from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.data.structure import SECTIONS
from fazhi_analysis.pages.annual import AnnualPage

YAML = SHARED / "data" / "public_reports_dev.yaml"
SCRIPT = REPO / "scripts" / "import_public_reports.py"


@pytest.fixture(scope="module")
def reports():
    require(YAML.is_file(), f"public reports file missing: {YAML}")
    return yaml.safe_load(YAML.read_text(encoding="utf-8"))["reports"]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_every_body_and_year_computes_and_renders(dataset):
    runs = [(b, y) for b in dataset.bodies for y in dataset.years_of(b)]
    assert len(runs) >= 20
    for body, year in runs:
        stats = compute_year_statistics(dataset, body, year)
        assert (~stats.figures["derived"]).sum() == len(dataset.rows_of(body, year))
        report = AnnualPage(dataset, stats)
        html = "".join(str(report.section(s.key)) for s in SECTIONS)
        for section in SECTIONS:
            if stats.section_figures(section.key).empty:
                assert f"{year}年数据中没有{section.title_zh}方面的数字" in html, f"{body.short_name} {year}"
        assert str(report.summary()) and str(report.shortcomings()) and str(report.other())


def test_a_body_with_one_figure_says_plainly_which_sections_have_none(dataset):
    body = dataset.find_body("歇马街道")
    report = AnnualPage(dataset, compute_year_statistics(dataset, body, 2025))
    html = str(report.part_sections("measures"))
    assert "2025年数据中没有依法决策方面的数字" in html
    assert "没有可核对的比率或合计" in report.claims_table()._repr_html_()


def _unmapped():
    with (REPO / "data" / "unmapped_figures.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_each_yaml_figure_is_an_observation_or_listed_as_unmapped(reports, dataset):
    obs = dataset.observations
    unmapped = {(r["report_id"], r["name"]): r for r in _unmapped()}
    for report in reports:
        rows = obs[obs["source"] == report["url"]]
        assert set(rows["year"]) <= {report["year"]}
        for figure in report["indicators"]:
            listed = unmapped.get((report["id"], figure["name"]))
            if listed:
                assert listed["reason"] and listed["source"] == report["url"]
                continue
            match = rows[(rows["expr"] == figure["expr"]) & (rows["value"] == float(figure["value"]))]
            assert len(match) >= 1, f"{report['id']} {figure['name']} is neither an observation nor unmapped"
    mapped_count = sum(len(obs[obs["source"] == r["url"]]) for r in reports)
    assert mapped_count + len(unmapped) == sum(len(r["indicators"]) for r in reports)


def test_figures_without_a_number_are_unmapped_with_their_wording(reports):
    nulls = [(r["id"], f["name"]) for r in reports for f in r["indicators"] if f["value"] is None]
    listed = {(r["report_id"], r["name"]): r for r in _unmapped()}
    assert nulls and all(key in listed and listed[key]["value"] == "" for key in nulls)
    assert "全员优秀通过" in {listed[k]["expr"] for k in nulls}


def test_bodies_are_named_without_government_words(dataset):
    names = {b.name for b in dataset.bodies}
    assert {"峰灵镇", "新田镇", "素社街道", "人民街街道"} & names == {"峰灵镇", "素社街道", "人民街街道"}
    assert not [n for n in names if "人民政府" in n or "办事处" in n or "（" in n]


def test_import_script_reproduces_the_committed_files(reports, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    for _ in range(2):  # idempotent: a second run changes nothing
        done = subprocess.run([sys.executable, str(SCRIPT), "--yaml", str(YAML), "--data-dir", str(data)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        for name in ("catalogue.csv", "observations.csv", "unmapped_figures.csv"):
            assert filecmp.cmp(data / name, REPO / "data" / name, shallow=False), name
    load_dataset(data)


def test_import_script_stops_before_writing_when_a_figure_has_no_mapping(reports, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    broken = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    broken["reports"][0]["indicators"].append(
        {"name": "新名目", "value": 3, "unit": "次", "qualifier": None, "expr": "3次", "section": "学法",
         "canon": "从未见过的分组"})
    source = tmp_path / "broken.yaml"
    source.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    done = subprocess.run([sys.executable, str(SCRIPT), "--yaml", str(source), "--data-dir", str(data)],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "从未见过的分组" in done.stderr
    assert before == {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
