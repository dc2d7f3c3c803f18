"""Data entry round trip: `fazhi template` → a person fills the workbook (here openpyxl) → `fazhi import`
into a private data copy → the 2024 statistics of 峡口镇 compare with 2023 (its notebook in a kernel: tests/
integration/test_notebooks_kernel.py). Also: what the workbook enforces, existing values kept without
--replace, bad cells named, GBK CSV."""

import re

import pytest
from filled_2024 import FILLED_2024, fill, import_2024
from filled_2024 import template as make_template
from openpyxl import load_workbook

from fazhi_analysis.analysis.year_statistics import compute_year_statistics
from fazhi_analysis.cli.main import main
from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.data.qualifiers import QUALIFIERS
from fazhi_analysis.intake.excel import COL, ENTRY_SHEET, QUALIFIER_SHEET


@pytest.fixture
def imported(data_copy, tmp_path, capsys):
    template, filled = import_2024(data_copy, tmp_path)
    return data_copy, template, filled, capsys.readouterr().out



def test_template_lists_indicators_by_part_with_last_year_and_validation(data_copy, tmp_path):
    path = tmp_path / "t.xlsx"
    assert make_template(data_copy, path) == 0
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == [ENTRY_SHEET, QUALIFIER_SHEET]
    sheet = wb[ENTRY_SHEET]
    header = [c.value for c in sheet[4]]
    assert "2023年数值（参考）" in header and "2024年数值" in header and "计量" in header
    rows = {r[COL["指标键"] - 1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["disputes_received_count"][COL["上年数值（参考）"] - 1] == 242
    assert rows["disputes_received_count"][COL["报告部分"] - 1] == "主要举措和成效"
    # last year's items as that report named them: its sub-heading, its wording, its measure word
    assert rows["disputes_received_count"][COL["小标题"] - 1] == "（四）加强纠纷化解，维护社会和谐稳定"
    assert rows["gov_info_disclosed_count"][COL["事项"] - 1] == "对外公开政府相关信息"
    assert rows["unlicensed_buildings_demolished_fang"][COL["计量"] - 1] == "方"
    assert rows["law_exam_pass_rate_pct"][COL["报告部分"] - 1] == "党政主要负责人履行推进法治建设第一责任人职责情况"
    rules = {(v.type, v.operator, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert ("decimal", "between", "0", "100") in rules and ("decimal", "greaterThanOrEqual", "0", None) in rules
    rate_cells = next(v for v in sheet.data_validations.dataValidation if v.operator == "between").sqref
    mediation_row = next(r for r in range(5, sheet.max_row + 1)
                         if sheet.cell(r, COL["指标键"]).value == "mediation_rate_pct")
    assert f"G{mediation_row}" in str(rate_cells)
    explained = {r[0] for r in wb[QUALIFIER_SHEET].iter_rows(min_row=2, values_only=True)}
    assert explained == set(QUALIFIERS)


def test_template_never_overwrites_a_workbook(data_copy, tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"already filled")
    assert make_template(data_copy, path) == 2
    assert path.read_bytes() == b"already filled" and "已存在" in capsys.readouterr().err


def test_round_trip_gives_year_over_year_statistics(imported):
    data_dir, _, _, out = imported
    assert "新增 南岸区峡口镇 2024年 排查受理矛盾纠纷: 260件" in out and "共新增 6 行" in out
    dataset = load_dataset(data_dir)
    stats = compute_year_statistics(dataset, dataset.find_body("峡口镇"), 2024)
    assert stats.previous_year == 2023
    row = stats.figures.set_index("indicator").loc["disputes_received_count"]
    assert (row["value"], row["previous_value"], row["change"]) == (260, 242, 18)
    assert stats.figures.set_index("indicator").loc["legal_materials_copies", "expr"] == "18000余份"
    assert stats.value("gov_info_disclosed_count") == 60  # full-width digits typed as text


def test_reimport_is_a_no_op_and_a_change_needs_replace(imported, tmp_path, capsys):
    data_dir, template, filled, _ = imported
    before = (data_dir / "observations.csv").read_bytes()
    assert main(["import", str(filled), "--data-dir", str(data_dir)]) == 0
    assert "6 行已存在且相同" in capsys.readouterr().out
    changed = tmp_path / "changed.xlsx"
    fill(template, changed, {**FILLED_2024, "disputes_received_count": 270})
    assert main(["import", str(changed), "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "--replace" in err and "existing_value_kept" in err
    assert (data_dir / "observations.csv").read_bytes() == before
    assert main(["import", str(changed), "--data-dir", str(data_dir), "--replace"]) == 0
    assert "改动 峡口镇 2024年 排查受理矛盾纠纷: 260（260件） → 270（270件）" in capsys.readouterr().out


def test_bad_cells_are_named_and_nothing_is_written(data_copy, tmp_path, capsys):
    template, bad = tmp_path / "t.xlsx", tmp_path / "bad.xlsx"
    make_template(data_copy, template)
    fill(template, bad, {"disputes_received_count": "很多", "mediation_rate_pct": 120,
                          "legal_materials_copies": (100, "大约")})
    before = (data_copy / "observations.csv").read_bytes()
    assert main(["import", str(bad), "--data-dir", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"bad\.xlsx 第\d+行 列 G列 本年数值 值 '很多'.*\[value_is_number\]", err)
    assert "[rate_at_most_100]" in err and "H列 限定词 值 '大约'" in err and "Traceback" not in err
    assert (data_copy / "observations.csv").read_bytes() == before


def test_a_new_item_keeps_its_own_wording_and_measure(data_copy, tmp_path, capsys):
    """法律讲座 4场 typed in a blank row: the body's own item, not the catalogue's 法治讲座 (期)."""
    template, filled = tmp_path / "t.xlsx", tmp_path / "filled.xlsx"
    make_template(data_copy, template)
    wb = load_workbook(template)
    sheet = wb[ENTRY_SHEET]
    blank = next(r for r in range(5, sheet.max_row + 2) if sheet.cell(r, COL["事项"]).value is None)
    typed = {"报告部分": "主要举措和成效", "小标题": "（五）推进法治宣传，提升群众守法意识", "事项": "法律讲座",
             "计量": "场", "本年数值": 4}
    for name, value in typed.items():
        sheet.cell(blank, COL[name]).value = value
    wb.save(filled)
    assert main(["import", str(filled), "--data-dir", str(data_copy)]) == 0
    assert "新增 南岸区峡口镇 2024年 法律讲座: 4场" in capsys.readouterr().out
    obs = load_dataset(data_copy).observations
    row = obs[(obs["year"] == 2024) & (obs["label"] == "法律讲座")].iloc[0]
    assert (row["indicator"], row["measure"], row["topic"], row["part"]) == ("", "场", "legal_education", "measures")


def test_a_linked_row_with_another_measure_word_is_named_at_its_cell(data_copy, tmp_path, capsys):
    template, filled = tmp_path / "t.xlsx", tmp_path / "filled.xlsx"
    make_template(data_copy, template)
    wb = load_workbook(template)
    sheet = wb[ENTRY_SHEET]
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, COL["指标键"]).value == "law_lectures_count")
    sheet.cell(row, COL["计量"]).value, sheet.cell(row, COL["本年数值"]).value = "场", 4
    wb.save(filled)
    assert main(["import", str(filled), "--data-dir", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert f"第{row}行 列 D列 计量 值 '场'" in err and "[measure_matches_indicator]" in err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk_imports(data_copy, tmp_path, capsys, encoding):
    path = tmp_path / "entry.csv"
    path.write_text("province,district,body,year,part,heading,topic,label,indicator,value,measure,qualifier,expr,source\n"
                    "重庆市,南岸区,峡口镇,2024年,measures,,disputes,人民调解员,mediators_count,５１,名,,,台账\n",
                    encoding=encoding)
    assert main(["import", str(path), "--data-dir", str(data_copy)]) == 0
    assert "新增 南岸区峡口镇 2024年 人民调解员: 51名" in capsys.readouterr().out


def test_a_file_that_is_not_a_workbook_is_refused_plainly(data_copy, tmp_path, capsys):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    assert main(["import", str(path), "--data-dir", str(data_copy)]) == 2
    assert "无法作为 Excel 工作簿打开" in capsys.readouterr().err
