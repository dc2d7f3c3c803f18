"""Intake from documents as offices publish them (issue 20): each of the eight cases a new district analyst
met, with the issue's own example, through the real readers (trafilatura on a portal page, python-docx) and
the CLI's main(argv). The same report as a LibreOffice-made PDF is tests/integration/test_intake_pdf.py."""

import csv
import shutil

import pytest
from conftest import REPO
from openpyxl import load_workbook
from yunling_report import REPORT, REPORTER, TITLE

from fazhi_analysis.cli.main import main
from fazhi_analysis.data.dataset import load_catalogue, load_dataset
from fazhi_analysis.data.sources import load_sources
from fazhi_analysis.data.structure import part_starts, part_text
from fazhi_analysis.intake.extract import extract
from fazhi_analysis.intake.normalise import normalise
from fazhi_analysis.intake.reading import read_document


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def rows_of(text: str, catalogue) -> list[dict[str, str]]:
    return extract(normalise(text), catalogue, REPORTER, "t")


def labels(text: str, catalogue) -> list[tuple[str, str]]:
    return [(r["label"], r["expr"]) for r in rows_of(text, catalogue)]


# 1. 、-lists: each figure's label is the words between the previous 、/，/。 and its number
def test_case1_lists_joined_by_dun_keep_each_label(catalogue):
    assert labels("全年召开镇党委会议38次、镇政府常务会议24次。", catalogue) == [
        ("镇党委会议", "38次"), ("镇政府常务会议", "24次")]
    assert labels("行政复议案件2件、行政诉讼案件1件。", catalogue) == [("行政复议案件", "2件"), ("行政诉讼案件", "1件")]
    assert labels("审查合同96件、规范性文件2件、其他事项31件。", catalogue) == [
        ("审查合同", "96件"), ("规范性文件", "2件"), ("其他事项", "31件")]


# 2. subjects and counts inside a label
def test_case2_subjects_and_counts_inside_a_label(catalogue):
    assert labels("镇党委会专题研究法治建设工作3次。", catalogue) == [("镇党委会专题研究法治建设工作", "3次")]
    assert labels("取得行政执法证件的人员仅9名。", catalogue) == [("取得行政执法证件的人员", "9名")]
    assert labels("14个村（社区）人民调解委员会共受理矛盾纠纷186件。", catalogue) == [
        ("村（社区）人民调解委员会", "14个"), ("受理矛盾纠纷", "186件")]


# 3. spaces and line breaks from PDF or web copy
def test_case3_spaces_and_broken_lines_are_normalised_before_figures(catalogue):
    rows = rows_of("办理行政处罚案件 27 件，印发宣传资料 1.2 万余份。\n全镇各类矛盾纠纷调解成\n功率达97%以上。",
                   catalogue)
    got = [(r["label"], r["value"], r["measure"], r["qualifier"]) for r in rows]
    assert got == [("行政处罚案件", "27", "件", ""), ("宣传资料", "12000", "份", "余"),
                   ("各类矛盾纠纷调解成功率", "97", "%", "以上")]
    assert normalise("２７件，达 100 %") == "27件，达100%"


# 4. part headings by their enumerators; body text never switches the part
def test_case4_part_headings_by_enumerator_and_variants():
    text = ("一、主要举措和成效\n补齐短板不足。\n四、2025年工作安排\n开展。\n四、下一步工作打算\n三、存在的问题\n"
            "五、其他事项\n")
    assert [key for _, key in part_starts(text)] == ["measures", "next_year", "next_year", "shortcomings", "other"]


def test_case4_body_text_does_not_switch_the_part(catalogue):
    rows = rows_of("一、主要举措和成效\n补齐短板不足。\n开展普法宣传12次。\n四、2025年工作安排\n开展普法宣传20次。",
                   catalogue)
    assert [(r["expr"], r["part"], r["kind"]) for r in rows] == [("12次", "measures", "result"),
                                                                ("20次", "next_year", "target")]


# 5. targets and changes are not results
def test_case5_targets_and_changes_are_kinds_of_their_own(catalogue):
    rows = rows_of("一、主要举措和成效\n力争矛盾纠纷调解成功率保持在95%以上。受理矛盾纠纷186件，较上年减少25件，"
                   "受理信访件同比下降12%。", catalogue)
    got = [(r["label"], r["expr"], r["kind"], r["indicator"]) for r in rows]
    assert got == [("矛盾纠纷调解成功率", "95%以上", "target", ""),
                   ("受理矛盾纠纷", "186件", "result", "disputes_received_count"),
                   ("受理矛盾纠纷", "较上年减少25件", "change", ""), ("受理信访件", "同比下降12%", "change", "")]
    assert "保持在保持在" not in "".join(r["expr"] for r in rows)


# 6 + 8: a new town through extract -o x.csv / x.xlsx and --merge: registered, its text kept, the CSV has a BOM
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_case6_and_8_a_new_town_is_registered_with_its_title_and_text(tmp_path, data_copy, capsys, suffix):
    report = tmp_path / "云岭镇2024.txt"
    report.write_text(REPORT, encoding="utf-8")
    draft = tmp_path / f"draft{suffix}"
    assert main(["extract", str(report), "--unit", "云岭镇", "--year", "2024", "--district", "云岭区",
                 "--province", "云南省", "-o", str(draft), "--data-dir", str(data_copy)]) == 0
    if suffix == ".csv":
        assert draft.read_bytes().startswith(b"\xef\xbb\xbf")
        with draft.open(encoding="utf-8-sig") as file:
            kinds = [r["kind"] for r in csv.DictReader(file)]
    else:
        sheet = load_workbook(draft)["审核"]
        header = [c.value for c in sheet[1]]
        assert header[0] == "审核意见" and "原文表述" in header and "类别" in header
        kinds = [row[header.index("类别")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert {"结果", "目标", "变化"} <= set(kinds) or {"result", "target", "change"} <= set(kinds)
    assert main(["extract", str(draft), "--merge", "--data-dir", str(data_copy)]) == 0
    err = capsys.readouterr().err
    assert "是目标或承诺" in err and "是与其他年度的比较" in err
    assert "登记报告 data/raw/云南省云岭区云岭镇_2024.txt" in err
    kept = data_copy / "raw" / "云南省云岭区云岭镇_2024.txt"
    assert kept.read_text(encoding="utf-8") == normalise(REPORT) + "\n"
    assert load_sources(data_copy)["data/raw/云南省云岭区云岭镇_2024.txt"].title == TITLE
    dataset = load_dataset(data_copy)
    rows = dataset.observations[dataset.observations["body"] == "云岭镇"]
    assert set(rows["source"]) == {"data/raw/云南省云岭区云岭镇_2024.txt"}
    text = dataset.raw_text("data/raw/云南省云岭区云岭镇_2024.txt")
    assert all(statement in text for statement in rows["statement"])
    assert part_text(text, "other") == "无。"  # part 五 is the town's own
    assert "186" in set(rows["expr"].str.replace("件", "")) and "95%以上" not in set(rows["expr"])


# 7. typos are caught
def test_case7_a_one_character_typo_in_a_workbook_is_refused(tmp_path, data_copy, capsys):
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    first, typo = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    common = ["--year", "2024", "--district", "云岭区", "--province", "云南省", "--data-dir", str(data_copy)]
    assert main(["extract", str(report), "--unit", "云岭镇", "-o", str(first), *common]) == 0
    assert main(["extract", str(first), "--merge", "--data-dir", str(data_copy)]) == 0
    assert main(["extract", str(report), "--unit", "云领镇", "-o", str(typo), *common]) == 0
    before = (data_copy / "observations.csv").read_bytes()
    capsys.readouterr()
    assert main(["extract", str(typo), "--merge", "--data-dir", str(data_copy)]) == 2
    assert "是否指 云岭镇？" in capsys.readouterr().err
    assert (data_copy / "observations.csv").read_bytes() == before
    assert main(["extract", str(typo), "--merge", "--new-body", "--data-dir", str(data_copy)]) == 0


def test_case7_unit_errors_name_at_most_ten_closest_first(data_copy, capsys):
    assert main(["report", "--unit", "峡口填", "--year", "2023", "--data-dir", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "是否指 峡口镇？" in err
    listed = err.split("个）: ", 1)[1].strip().split("；")
    assert len(listed) == 10 and listed[0].startswith("南岸区峡口镇")


def test_a_folder_of_a_district_is_one_workbook_and_one_merge(tmp_path, data_copy, capsys):
    folder = tmp_path / "云岭区"
    folder.mkdir()
    for town in ("云岭镇", "白石乡"):
        (folder / f"{town}.txt").write_text(REPORT.replace("云岭镇", town), encoding="utf-8")
    (folder / "说明.txt").write_text("这是说明，不是报告。", encoding="utf-8")
    workbook = tmp_path / "云岭区.xlsx"
    assert main(["extract", str(folder), "--district", "云岭区", "--province", "云南省", "-o", str(workbook),
                 "--data-dir", str(data_copy)]) == 1  # one file is not a report: named, the others drafted
    assert "说明.txt: 无法从标题识别主体" in capsys.readouterr().err
    assert main(["extract", str(workbook), "--merge", "--data-dir", str(data_copy)]) == 0
    sources = load_sources(data_copy)
    assert {s.title for s in sources.values()} >= {TITLE, TITLE.replace("云岭镇", "白石乡")}


def test_doc_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    (tmp_path / "r.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    from fazhi_analysis.errors import FazhiError

    with pytest.raises(FazhiError, match="需要 LibreOffice") as caught:
        read_document(str(tmp_path / "r.doc"))
    assert "另存为” .docx" in str(caught.value)


def test_the_seed_keeps_its_parts_and_statements():
    text = (REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt").read_text(encoding="utf-8")
    assert [key for _, key in part_starts(text)] == ["measures", "first_responsible", "shortcomings", "next_year",
                                                     "other"]
    assert part_text(text, "other") == "无。"
    assert normalise(text)[normalise(text).index("一、"):] == text[text.index("一、"):].rstrip()



def test_a_garbled_pdf_without_poppler_is_refused_not_read(catalogue, monkeypatch, capsys):
    pdf = REPO / "tests" / "bad_inputs" / "files" / "garbled_font_青溪镇_2024.pdf"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["extract", str(pdf), "--unit", "青溪镇", "--year", "2024"]) == 2
    err = capsys.readouterr().err
    assert "文字编码无法识别" in err and "pdf_readable" in err and "Traceback" not in err
