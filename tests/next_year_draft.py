"""Next year's draft (issue 19) as the office makes it: 峡口镇's 2024 workbook, SYNTHETIC (figures invented for
the tests, written only into a private copy of data/), imported, then `fazhi draft --year 2024` with and
without comments. Shared by tests/unit/test_draft_next_year.py and the LibreOffice test in integration."""

import shutil
from pathlib import Path

import corpus
from conftest import REPO
from docx import Document
from openpyxl import load_workbook

SYNTHETIC_2024 = {"行政处罚处理决定": 60, "对外公开政府相关信息": 55, "人民调解委员会": 8, "人民调解员": 50,
                  "调解室": 8, "排查受理矛盾纠纷": 250, "调解": 250, "调解成功": 245, "院坝会": 5, "法治讲座": 6,
                  "普法专栏": 24, "集中普法宣传": 15, "法律法规宣传资料": 16000,
                  "安全生产、环境保护等重点领域重大事故": 0}
LEFT_OUT = ("全部约2.7万方", "达100%", "达98%以上", "10期", "10余次", "100%")  # 2023's, with no 2024 figure
NEW_ITEMS = [("（五）推进法治宣传，提升群众守法意识", "法律知识竞赛", "场", 2, "2024年举办法律知识竞赛2场"),
             ("（四）加强纠纷化解，维护社会和谐稳定", "接访下访", "次", 36, None)]
def fill_workbook(workbook: Path) -> None:
    """The 2024 figures, the left-out items and the new items typed into the template."""
    wb = load_workbook(workbook)
    sheet = wb["填报"]
    column = {cell.value: cell.column - 1 for cell in sheet[4] if cell.value}
    for row in sheet.iter_rows(min_row=5):
        label = row[column["事项"]].value
        if label in SYNTHETIC_2024 and row[column["2023年数值（参考）"]].value is not None:
            row[column["2024年数值"]].value = SYNTHETIC_2024[label]
            row[column["限定词"]].value = "余" if label == "法律法规宣传资料" else None
            row[column["数字写法"]].value = "未发生" if label == "安全生产、环境保护等重点领域重大事故" else None
    new = list(NEW_ITEMS)
    for row in sheet.iter_rows(min_row=5):
        if row[column["事项"]].value is None and new:
            heading, label, measure, value, statement = new.pop(0)
            for name, cell in (("报告部分", "主要举措和成效"), ("小标题", heading), ("事项", label), ("计量", measure),
                               ("2024年数值", value), ("原文表述", statement)):
                row[column[name]].value = cell
    wb.save(workbook)


def make_drafted(work: Path) -> tuple[Path, Path, Path]:
    """(data copy, the .docx path, its --no-comments twin) after template → fill → import → draft, each
    through the CLI's main(argv)."""
    data = work / "data"
    shutil.copytree(REPO / "data", data)
    workbook = work / "峡口镇2024.xlsx"
    made = corpus.fazhi_main("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "-o",
                             str(workbook))
    assert made.returncode == 0, made.stderr
    fill_workbook(workbook)
    imported = corpus.fazhi_main("import", str(workbook), "--data-dir", str(data))
    assert imported.returncode == 0, imported.stderr
    made = corpus.fazhi_main("draft", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "--output-root",
                             str(work / "out"))
    assert made.returncode == 0, made.stderr
    bare = corpus.fazhi_main("draft", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data),
                             "--output-root", str(work / "bare"), "--no-comments")
    assert bare.returncode == 0, bare.stderr
    return data, Path(made.stdout.strip()), Path(bare.stdout.strip())


def comments(path: Path) -> list[str]:
    return [c.text for c in Document(str(path)).comments]
