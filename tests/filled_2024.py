"""峡口镇's 2024 figures typed into `fazhi template`'s workbook, as a clerk fills it, then imported: SYNTHETIC
(figures invented for the tests, written only into a private copy of data/). Shared by
tests/unit/test_excel_roundtrip.py and the annual notebook run in tests/integration."""

from pathlib import Path

from openpyxl import load_workbook

from fazhi_analysis.cli.main import main
from fazhi_analysis.intake.excel import COL, ENTRY_SHEET

FILLED_2024 = {"disputes_received_count": 260, "disputes_mediated_count": 255, "disputes_resolved_count": 250,
               "legal_materials_copies": (18000, "余"), "gov_info_disclosed_count": "６０",
               "mediation_success_rate_pct": (98, "以上")}


def template(data_dir, path, *extra) -> int:
    return main(["template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data_dir), "-o", str(path),
                 *extra])


def fill(template, filled, values) -> None:
    wb = load_workbook(template)
    sheet = wb[ENTRY_SHEET]
    for row in sheet.iter_rows(min_row=5):
        key = row[COL["指标键"] - 1].value
        if key in values:
            value, qualifier = values[key] if isinstance(values[key], tuple) else (values[key], None)
            row[COL["本年数值"] - 1].value = value
            row[COL["限定词"] - 1].value = qualifier
    wb.save(filled)


def import_2024(data_dir: Path, work: Path) -> tuple[Path, Path]:
    """Template → FILLED_2024 → `fazhi import` into data_dir: (the template, the filled workbook)."""
    made, filled = work / "t.xlsx", work / "filled.xlsx"
    assert template(data_dir, made) == 0
    fill(made, filled, FILLED_2024)
    assert main(["import", str(filled), "--data-dir", str(data_dir)]) == 0
    return made, filled
