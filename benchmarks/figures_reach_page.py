"""How many of a report's stated figures reach its page as written, under the part the report stated them in.

Real report texts are rebuilt from the public reports' figures in data/public_reports.yaml:
each report becomes a text with the mandated part headings, a sub-heading per topic and the figures in
sentences under them ("2025年，法治集中学习6次，学习覆盖人次300余人次。"). Then the real path runs:
`fazhi extract` → `fazhi extract --merge` into a copy of data/ without that report's rows → `fazhi batch`
→ the leadership HTML. A figure counts as reached when its expression as written (value, qualifier and
measure word) stands on the page inside the part its text put it in.

Held out: the reports with an odd index in the yaml; tests use only the even ones (tests/unit/test_extract.py),
so the figure quoted in the README is measured on texts the tests never saw.

Usage: .venv/bin/python benchmarks/figures_reach_page.py [--all]
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
YAML = REPO / "data" / "public_reports.yaml"
FAZHI = [sys.executable, "-m", "fazhi_analysis.cli.main"]
PART_HEADINGS = {
    "measures": "一、{year}年推进法治政府建设的主要举措和成效",
    "first_responsible": "二、{year}年党政主要负责人履行推进法治建设第一责任人职责情况",
}
PAGE_PARTS = {"measures": "一、推进法治政府建设的主要举措和成效",
              "first_responsible": "二、党政主要负责人履行推进法治建设第一责任人职责情况"}
TOPIC_HEADINGS = {
    "学法": "加强学法用法，提升法治素养", "学法与考试": "强化学法考法，提升依法履职能力",
    "决策": "健全决策机制，保障决策科学合法", "执法": "规范执法行为，确保执法公正文明",
    "政务公开": "推进政务公开，保障群众知情权", "政务服务": "优化政务服务，提升办事效率",
    "普法": "推进法治宣传，提升群众守法意识", "法律服务": "完善公共法律服务体系",
    "监督": "强化制约监督，促进权力规范运行", "第一责任人": "履行第一责任人职责",
}
FIRST_RESPONSIBLE = {"学法", "学法与考试", "第一责任人"}
NUMERALS = "一二三四五六七八九十"


def is_result(figure: dict) -> bool:
    """Figures a page must show: a number, and a result rather than a norm (每年…不少于)."""
    qualifier = figure.get("qualifier") or ""
    return figure.get("value") is not None and "不少于" not in qualifier and qualifier != "每年"


def report_text(report: dict) -> tuple[str, list[tuple[str, dict]]]:
    """The report as text, and (part, figure) for every figure it states."""
    year = report["year"]
    by_part: dict[str, dict[str, list[dict]]] = {"measures": {}, "first_responsible": {}}
    for figure in report["indicators"]:
        part = "first_responsible" if figure["section"] in FIRST_RESPONSIBLE else "measures"
        by_part[part].setdefault(figure["section"], []).append(figure)
    lines = [report["unit"], f"关于{year}年法治政府建设情况的报告", ""]
    placed = []
    for part, topics in by_part.items():
        lines.append(PART_HEADINGS[part].format(year=year))
        for i, (topic, figures) in enumerate(topics.items()):
            lines.append(f"（{NUMERALS[i]}）{TOPIC_HEADINGS[topic]}")
            clauses = []
            for figure in figures:
                expr = figure["expr"]
                scope = "累计" if "累计" in (figure.get("qualifier") or "") and not expr.startswith("累计") else ""
                said = expr if figure["name"] in expr or expr.startswith(("参考率", "合格率", "通过率")) else \
                    f"{figure['name']}{scope}{expr}"
                clauses.append(said)
                if is_result(figure):
                    placed.append((part, {**figure, "expr": scope + expr}))
            lines.append(f"{year}年，" + "，".join(clauses) + "。")
    lines += ["三、存在的不足和原因", "法治宣传形式有待创新。", f"四、{year + 1}年推进法治政府建设的工作安排",
              "继续加强法治宣传。", "五、其他需要报告的情况", "无。"]
    return "\n".join(lines) + "\n", placed


def as_written_core(figure: dict) -> str:
    """The figure itself in its expression, as written: its number, qualifier and measure word (达100% of
    参考率和通过率均达100%, 3名 of 3名执法人员全部取得行政执法证)."""
    from fazhi_analysis.intake.figures import find_figures

    found = [f for f in find_figures(figure["expr"]) if f.value == figure["value"]]
    return found[0].expr if found else figure["expr"]


def body_of(report: dict) -> str:
    text = re.sub(r"（[^）]*）", "", report["unit"]).replace("人民政府", "").replace("办事处", "")
    return re.search(r"([^省市区县]+(?:镇|乡|街道))$", text).group(1)


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)


def part_texts(html: str) -> dict[str, str]:
    """The visible text of each part of a leadership page, keyed as PAGE_PARTS."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    for nav in soup.select("nav.toc"):
        nav.decompose()
    text = soup.get_text("\n")
    out = {}
    for key, title in PAGE_PARTS.items():
        start = text.find(title)
        ends = ("二、党政主要负责人", "三、存在的不足")
        following = [text.find(t, start + 1) for t in ends if text.find(t, start + 1) > 0]
        out[key] = text[start:min(following)] if start >= 0 and following else ""
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="use every report, not only the held-out ones")
    args = parser.parse_args()
    reports = yaml.safe_load(YAML.read_text(encoding="utf-8"))["reports"]
    chosen = reports if args.all else reports[1::2]
    reached = total = 0
    misses: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fazhi-reach-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data)
        urls = {r["url"] for r in chosen}
        lines = (data / "observations.csv").read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:] if not any(u in line for u in urls)]
        (data / "observations.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
        expected: dict[str, list[tuple[str, dict]]] = {}
        for report in chosen:
            text, placed = report_text(report)
            source = Path(tmp) / f"{report['id']}.txt"
            source.write_text(text, encoding="utf-8")
            draft = Path(tmp) / f"{report['id']}.csv"
            done = run([*FAZHI, "extract", str(source), "--unit", body_of(report), "--year", str(report["year"]),
                        "--province", report["province"], "--district", report["district"], "-o", str(draft),
                        "--data-dir", str(data)])
            if done.returncode != 0:
                print(f"{report['id']}: extract failed: {done.stderr.strip()}")
                continue
            done = run([*FAZHI, "extract", str(draft), "--merge", "--data-dir", str(data)])
            if done.returncode != 0:
                print(f"{report['id']}: merge failed: {done.stderr.strip()}")
                continue
            expected[report["id"]] = placed
        out = Path(tmp) / "out"
        built = [r for r in chosen if expected.get(r["id"])]  # a report of norms only has nothing to show
        done = run([*FAZHI, "batch", "--data-dir", str(data), "--output-root", str(out), "--no-overview",
                    *[a for r in built for a in ("--unit", f"{r['district']}{body_of(r)}")]])
        if done.returncode != 0:
            print(f"batch failed: {done.stderr.strip()[-2000:]}")
        for report in chosen:
            pages = [p for p in out.rglob(f"*{body_of(report)}-{report['year']}-*数据分析.html")]
            parts = part_texts(pages[0].read_text(encoding="utf-8")) if pages else {}
            for part, figure in expected.get(report["id"], []):
                total += 1
                if as_written_core(figure) in parts.get(part, ""):
                    reached += 1
                else:
                    misses.append(f"{report['id']} {figure['name']} {figure['expr']} ({part})")
            if report["id"] not in expected:  # extraction or merge failed: every figure counts as missed
                total += sum(is_result(f) for f in report["indicators"])
    print(f"reports: {len(chosen)} ({'all' if args.all else 'held out: odd yaml index'})")
    print(f"figures stated (results with a number): {total}")
    print(f"reached the page as written, under the part the text put them in: {reached} "
          f"({100 * reached / max(total, 1):.1f} %)")
    for miss in misses:
        print(f"  missed: {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
