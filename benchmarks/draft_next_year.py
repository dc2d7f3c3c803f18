"""How much of next year's report `fazhi draft` writes, and how fast: 峡口镇 2024 drafted from its 2023 report
and a SYNTHETIC 2024 workbook (invented figures, written into a temporary copy of data/ only), against the
data-only draft of the same year (what `fazhi draft` wrote before it could start from last year's text).

Prints, for each draft: the seconds to build it (median of several runs), how many places the clerk must
touch (gaps to fill, marked lines, comments, suggestions), and how much of the finished text is already
there (characters of the town's own sentences, against characters the clerk must still write, counting
each 【待补充：…】 gap of a section as a paragraph of ~150 characters to write).

    .venv/bin/python benchmarks/draft_next_year.py [--runs 5]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fazhi_analysis.analysis.report_year import build_report_year  # noqa: E402
from fazhi_analysis.cli.main import main  # noqa: E402
from fazhi_analysis.data.dataset import load_dataset  # noqa: E402
from fazhi_analysis.draft.content import build_draft, draft_for  # noqa: E402
from fazhi_analysis.draft.document import Marker, Noted, Paragraph, Placeholder, Suggestion, run_text  # noqa: E402
from fazhi_analysis.draft.gongwen_docx import docx_bytes  # noqa: E402

SYNTHETIC_2024 = {"行政处罚处理决定": 60, "对外公开政府相关信息": 55, "人民调解委员会": 8, "人民调解员": 50,
                  "调解室": 8, "排查受理矛盾纠纷": 250, "调解": 250, "调解成功": 245, "调解率": 100, "调解成功率": 98,
                  "院坝会": 5, "法治讲座": 6, "普法专栏": 24, "普法工作简报": 11, "集中普法宣传": 15,
                  "法律法规宣传资料": 16000, "安全生产、环境保护等重点领域重大事故": 0}
GAP_TO_WRITE_CHARS = 150  # a section the clerk writes from nothing


def _data_with_2024(work: Path) -> Path:
    data = work / "data"
    shutil.copytree(REPO / "data", data)
    workbook = work / "2024.xlsx"
    assert main(["template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "-o", str(workbook)]) == 0
    wb = load_workbook(workbook)
    sheet = wb["填报"]
    column = {cell.value: cell.column - 1 for cell in sheet[4] if cell.value}
    for row in sheet.iter_rows(min_row=5):
        label = row[column["事项"]].value
        if label in SYNTHETIC_2024 and row[column["2023年数值（参考）"]].value is not None:
            row[column["2024年数值"]].value = SYNTHETIC_2024[label]
            row[column["数字写法"]].value = "未发生" if label == "安全生产、环境保护等重点领域重大事故" else None
            row[column["限定词"]].value = {"法律法规宣传资料": "余", "调解率": "达", "调解成功率": "以上"}.get(label)
    wb.save(workbook)
    assert main(["import", str(workbook), "--data-dir", str(data)]) == 0
    return data


def _measure(draft) -> dict[str, float]:
    """Places to touch, by kind: sections to write from nothing, figures to fill, things to check (comments,
    markers, suggestions); and characters of text already there against characters still to write."""
    out = {"write": 0, "fill": 0, "check": 0, "written_chars": 0}
    for block in draft.blocks:
        out["check"] += len(getattr(block, "notes", ()))
        for run in block.runs if isinstance(block, Paragraph) else ():
            if isinstance(run, Placeholder):
                out["fill" if "数字" in run.what else "write"] += 1
            elif isinstance(run, Marker | Suggestion | Noted):
                out["check"] += 1
                out["written_chars"] += len(run.text) if isinstance(run, Noted) else 0
            else:
                out["written_chars"] += len(run_text(run))
    to_write = out["write"] * GAP_TO_WRITE_CHARS
    out["drafted_pct"] = 100.0 * out["written_chars"] / max(1, out["written_chars"] + to_write)
    return out


def _seconds(build, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        docx_bytes(build())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = _data_with_2024(Path(tmp))
        dataset = load_dataset(data)
        body = dataset.find_body("峡口镇")
        carried = lambda: draft_for(dataset, body, 2024)  # noqa: E731
        data_only = lambda: build_draft(dataset, build_report_year(dataset, body, 2024))  # noqa: E731
        rows = []
        for name, build in (("from the 2023 report", carried), ("from the data only", data_only)):
            figures = _measure(build())
            rows.append((name, _seconds(build, runs), figures))
    print(f"峡口镇 2024 draft (synthetic 2024 figures), median of {runs} runs, build + .docx bytes:")
    print(f"{'draft':22} {'seconds':>8} {'sections to write':>18} {'figures to fill':>16} {'to check':>9} "
          f"{'text there':>11} {'drafted':>8}")
    for name, seconds, f in rows:
        print(f"{name:22} {seconds:8.3f} {f['write']:18d} {f['fill']:16d} {f['check']:9d} {f['written_chars']:10d}字 "
              f"{f['drafted_pct']:7.0f}%")
    print(f"(a section to write counts as {GAP_TO_WRITE_CHARS} characters still to write; 'to check' are comments,"
          " marked lines and suggestions)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    run(parser.parse_args().runs)
