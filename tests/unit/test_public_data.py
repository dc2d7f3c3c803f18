"""The public reports in data/: every body × year loads and computes, and every figure of the source
yaml is either an observation or listed in data/unmapped_figures.csv with a reason."""

import csv
import filecmp
import importlib.util
import shutil

import pytest
import yaml
from conftest import PUBLIC_REPORTS, REPO
from page_reader import problems, visible_text

from fazhi_analysis.analysis.year_statistics import compute_year_statistics
from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.pages.annual import AnnualPage

YAML = PUBLIC_REPORTS
SCRIPT = REPO / "scripts" / "import_public_reports.py"


def _import_script():
    """scripts/import_public_reports.py as a module, its main(argv) called in this process."""
    spec = importlib.util.spec_from_file_location("import_public_reports", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports():
    return yaml.safe_load(YAML.read_text(encoding="utf-8"))["reports"]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_every_body_and_year_computes_and_renders_as_a_careful_reader_expects(dataset):
    runs = [(b, y) for b in dataset.bodies for y in dataset.years_of(b)]
    assert len(runs) >= 20
    for body, year in runs:
        stats = compute_year_statistics(dataset, body, year)
        assert len(stats.figures) == len(dataset.rows_of(body, year))
        page = AnnualPage(dataset, stats)
        html = "".join(str(b) for b in (page.cover(), page.summary(), page.part("measures"),
                                        page.part("first_responsible"), page.shortcomings(), page.next_year(),
                                        page.other(), page.notes()))
        assert problems(html, list(stats.figures["expr"])) == [], f"{body.short_name} {year}"


def test_a_body_with_one_figure_says_plainly_which_topics_have_none(dataset):
    body = dataset.find_body("歇马街道")
    page = AnnualPage(dataset, compute_year_statistics(dataset, body, 2025))
    notes = visible_text(str(page.notes()))
    # only the opening of a public report was recorded: "the report has no figure for…" would blame the town
    # for what was not taken in (a reviewer); the page says what it did not record
    assert "本页没有录入下列方面的数字（报告是否写到，请对照原报告）：重大行政决策合法性审查" in notes
    assert "本报告没有写出" not in notes
    assert "没有下列事项" not in visible_text(str(page.part("measures")))
    # the same for the rate checks and the table of figures (a reviewer, second round)
    assert "本页录入的数字中没有可核对的比率" in page.claims_table()._repr_html_()
    assert page.key_figures_table().caption.startswith("表：本页录入的2025年报告数字")


@pytest.mark.parametrize(("body", "label", "expr", "measure"), [
    ("大同镇", "法律讲座", "4场", "场"),  # not 法治讲座 (期)
    ("吴家镇", "理论学习", "80余次", "次"),  # not 干部职工集体学法
    ("吴家镇", "法治理论宣讲", "40余次", "次"),  # not 集中普法宣传
    ("大河乡", "特殊群体普法活动", "2场", "场"),
    ("关坝镇", "专题研讨", "5次", "次"),  # not 集体学法
    ("杜城街道", "咨询答疑群众", "300余名", "名"),  # not 法律咨询 人次
])
def test_a_figure_is_linked_to_the_catalogue_only_when_it_is_the_same_thing(dataset, body, label, expr, measure):
    obs = dataset.observations
    rows = obs[(obs["body"] == body) & (obs["label"] == label) & (obs["expr"] == expr)]
    assert len(rows) == 1, (label, expr)
    row = rows.iloc[0]
    assert row["indicator"] == "" and row["measure"] == measure  # kept as the body's own item, own measure word


def test_cumulative_figures_keep_their_scope_word_in_front_of_the_label(dataset):
    """累计 changes what a figure means, so it is kept; in front of the item, as a report writes it (累计发放宣传资料
    5000余份), not inside the figure (a reviewer: 累计5000余份 was not the report's writing)."""
    obs = dataset.observations.set_index("label")
    assert obs.loc["累计普法学法活动", "expr"] == "100余场次" and obs.loc["累计发放宣传资料", "expr"] == "5000余份"
    assert not dataset.observations["expr"].str.startswith("累计").any()


def test_an_expression_does_not_repeat_its_item(dataset):
    """持证上岗率达 100% beside 执法人员持证上岗率 said the item twice, with a web page's space (a reviewer)."""
    obs = dataset.observations.set_index("label")
    assert obs.loc["执法人员持证上岗率", "expr"] == "达100%" and obs.loc["网上可办率", "expr"] == "达99%"
    assert "参考率和通过率均达100%" in set(dataset.observations["expr"])  # a shared subject stays whole


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
            expr = figure["expr"].replace(" ", "")
            match = rows[rows["label"].str.endswith(figure["name"]) & rows["expr"].map(lambda e, x=expr: x.endswith(e))
                         & (rows["value"] == float(figure["value"])) & (rows["measure"] == (figure["unit"] or ""))]
            assert len(match) == 1, f"{report['id']} {figure['name']} is neither an observation nor unmapped"
    mapped_count = sum(len(obs[obs["source"] == r["url"]]) for r in reports)
    assert mapped_count + len(unmapped) == sum(len(r["indicators"]) for r in reports)
    assert all("制度要求" in r["reason"] or "没有数字" in r["reason"] for r in unmapped.values())


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
        assert _import_script().main(["--yaml", str(YAML), "--data-dir", str(data)]) == 0
        for name in ("catalogue.csv", "observations.csv", "unmapped_figures.csv", "sources.csv"):
            assert filecmp.cmp(data / name, REPO / "data" / name, shallow=False), name
    load_dataset(data)


def test_a_figure_of_an_unknown_grouping_stays_the_bodys_own_item(reports, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    changed = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    changed["reports"][0]["indicators"].append(
        {"name": "新名目", "value": 3, "unit": "次", "qualifier": None, "expr": "3次", "section": "学法",
         "canon": "从未见过的分组"})
    source = tmp_path / "changed.yaml"
    source.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert _import_script().main(["--yaml", str(source), "--data-dir", str(data)]) == 0
    obs = load_dataset(data).observations
    row = obs[obs["label"] == "新名目"].iloc[0]
    assert row["indicator"] == "" and row["expr"] == "3次" and row["topic"] == "study"
