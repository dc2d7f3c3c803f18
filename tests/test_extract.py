"""Text → draft observations: the seed's figures with indicator, value, qualifier, part and
provenance; nothing that is not a figure; the review flags; .docx and stdin; the reviewed merge."""

import csv
import io
import shutil
import sys
from pathlib import Path

import pytest

from fazhi_analysis.cli.main import main
from fazhi_analysis.data.dataset import load_catalogue
from fazhi_analysis.errors import FazhiError
from fazhi_analysis.intake.extract import UNMAPPED, Reporter, extract, infer_place, read_report

REPO = Path(__file__).parents[1]
SEED = REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt"
REPORTER = Reporter("重庆市", "南岸区", "峡口镇", 2023)
NOT_FIGURES = ("二十大", "八五", "三项制度", "三重一大", "三调合一", "五老人员", "法律八进", "第一责任人",
               "2023年", "一是", "（一）")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def seed_rows(catalogue):
    text, source = read_report(str(SEED))
    return text, extract(text, catalogue, REPORTER, source)


def reviewed_seed() -> list[tuple[str, str, str]]:
    with (REPO / "data" / "observations.csv").open(encoding="utf-8-sig", newline="") as file:
        return [(r["indicator"], r["value"], r["qualifier"]) for r in csv.DictReader(file)
                if (r["district"], r["body"], r["year"]) == ("南岸区", "峡口镇", "2023")]


def test_seed_recovers_every_figure_of_design_table_and_nothing_else(seed_rows):
    _, rows = seed_rows
    got = [(r["indicator"], r["value"], r["qualifier"]) for r in rows]
    assert len(reviewed_seed()) == 20
    assert got == reviewed_seed()


def test_seed_rows_carry_provenance(seed_rows):
    text, rows = seed_rows
    for row in rows:
        assert text[int(row["start"]):int(row["end"])] == row["expr"]
        assert row["expr"] in row["sentence"]
        keys = (row["province"], row["district"], row["body"], row["year"])
        assert keys == ("重庆市", "南岸区", "峡口镇", "2023")
    by_indicator = {r["indicator"]: r for r in rows}
    assert by_indicator["unlicensed_buildings_demolished_m3"]["expr"] == "全部约2.7万方"
    assert by_indicator["major_accidents_count"]["flags"] == "in_words"
    assert by_indicator["major_accidents_count"]["value"] == "0"
    assert by_indicator["mediation_success_rate_pct"]["expr"] == "达98%以上"
    assert not any(word in r["expr"] for r in rows for word in NOT_FIGURES)


def test_parts_come_from_heading_keywords_not_numbering(seed_rows):
    _, rows = seed_rows
    parts = {r["indicator"]: r["part"] for r in rows}
    assert parts["leadership_law_meetings_count"] == "first_responsible"  # the seed's part 二
    assert parts["law_exam_pass_rate_pct"] == "first_responsible"
    assert parts["disputes_resolved_count"] == "measures"


def test_part_order_follows_the_headings(catalogue):
    text = ("一、党政主要负责人履行推进法治建设第一责任人职责情况\n召开专题会议5次。\n"
            "二、主要举措和成效\n开展集中普法宣传7次。\n三、存在的不足和原因\n无。\n")
    rows = extract(text, catalogue, REPORTER, "t")
    assert [(r["indicator"], r["part"]) for r in rows] == [
        ("leadership_law_meetings_count", "first_responsible"), ("legal_campaigns_count", "measures")]


def test_unmapped_figures_are_kept_with_their_phrase(catalogue):
    rows = extract("开展送法下乡活动5场，参考率、合格率均为100%。", catalogue, REPORTER, "t")
    assert [(r["indicator"], r["value"], r["phrase"]) for r in rows] == [
        (UNMAPPED, "5", "开展送法下乡活动5场"), ("law_exam_participation_rate_pct", "100", "参考率"),
        ("law_exam_pass_rate_pct", "100", "合格率")]


def test_review_flags(catalogue):
    text = "截至2025年11月，调解纠纷30件。每年开展集中普法宣传不少于4次。村居法律顾问实现全覆盖。"
    flags = [(r["expr"], r["flags"], r["value"]) for r in extract(text, catalogue, REPORTER, "t")]
    assert flags == [("30件", "ytd", "30"), ("不少于4次", "norm", "4"), ("全覆盖", "no_number", "")]


def test_place_is_read_from_the_title():
    assert infer_place(SEED.read_text(encoding="utf-8"), "峡口镇") == ("重庆市", "南岸区")
    assert infer_place("关于法治政府建设情况的报告", "峡口镇") == ("", "")


def test_docx_and_stdin_read_like_text(tmp_path, monkeypatch, catalogue):
    import docx

    document = docx.Document()
    document.add_paragraph("重庆市南岸区峡口镇人民政府")
    document.add_paragraph("组建人民调解委员会8个，发展人民调解员49名。")
    document.save(tmp_path / "r.docx")
    text, _ = read_report(str(tmp_path / "r.docx"))
    assert [r["value"] for r in extract(text, catalogue, REPORTER, "t")] == ["8", "49"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("调解成功238件"))
    assert read_report("-") == ("调解成功238件", "stdin")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("r.pdf", b"%PDF", "不支持的文件类型"),
    ("r.txt", b"\x00\x01", "不是文本文件"),
    ("r.docx", b"not a zip", "无法作为 Word 文档打开"),
    ("missing.txt", None, "找不到报告文件"),
])
def test_unreadable_reports_are_user_errors(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(FazhiError, match=message):
        read_report(str(tmp_path / name))


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    target.mkdir()
    for name in ("catalogue.csv", "observations.csv"):
        shutil.copy(REPO / "data" / name, target / name)
    return target


def extract_draft(tmp_path, text: str) -> Path:
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    draft = tmp_path / "draft.csv"
    assert main(["extract", str(report), "--unit", "峡口镇", "--year", "2023", "-o", str(draft)]) == 0
    return draft


def test_cli_extract_writes_the_draft_in_observation_columns(tmp_path):
    draft = extract_draft(tmp_path, SEED.read_text(encoding="utf-8"))
    with draft.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0])[:9] == ["province", "district", "body", "year", "indicator", "value", "qualifier",
                                 "expr", "source"]
    assert len(rows) == 20
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_merge_adds_new_rows_and_refuses_changes_without_replace(tmp_path, data_dir, capsys):
    observations = data_dir / "observations.csv"
    draft = extract_draft(tmp_path, "重庆市南岸区峡口镇\n调解成功230件，法治讲座4期，开展送法活动5场。")
    before = observations.read_text(encoding="utf-8")
    assert main(["extract", str(draft), "--merge", "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "disputes_resolved_count 现有 238" in err and "--replace" in err
    assert observations.read_text(encoding="utf-8") == before
    assert main(["extract", str(draft), "--merge", "--replace", "--data-dir", str(data_dir)]) == 0
    err = capsys.readouterr().err
    assert "未对应指标（开展送法活动5场）" in err and "改动 1 行" in err
    assert "disputes_resolved_count,230,,230件" in observations.read_text(encoding="utf-8")


def test_merge_adds_a_new_body_year(tmp_path, data_dir):
    draft = extract_draft(tmp_path, "重庆市南岸区峡口镇\n开展集中普法宣传9次。")
    draft.write_text(draft.read_text(encoding="utf-8").replace(",2023,", ",2024,"), encoding="utf-8")
    assert main(["extract", str(draft), "--merge", "--data-dir", str(data_dir)]) == 0
    assert "2024,legal_campaigns_count,9" in (data_dir / "observations.csv").read_text(encoding="utf-8")


def test_extract_user_errors_exit_2(tmp_path, capsys):
    assert main(["extract", str(SEED), "--unit", "峡口镇"]) == 2
    assert main(["extract", str(SEED), "--unit", "峡口镇", "--year", "23"]) == 2
    assert main(["extract", str(SEED), "--merge"]) == 2
    assert "Traceback" not in capsys.readouterr().err
