"""How well figures are read from text: every `expr` of the public reports file, and the seed report
against its reviewed observations. Run: `.venv/bin/python benchmarks/public_expressions.py`.

The public file records some context words that are not in the expression as its qualifier (全年, 共,
累计余, 每年, 持续保持): an expression is scored against the qualifier vocabulary of
`fazhi_analysis.data.qualifiers` those words contain (累计余 → 余, 全年 → none), and 每年 against the norm
flag. Where the file's own annotation differs from its stated rule it is listed, not hidden.
"""

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from fazhi_analysis import paths
from fazhi_analysis.data.dataset import load_catalogue
from fazhi_analysis.data.qualifiers import QUALIFIERS
from fazhi_analysis.intake.extract import Reporter, extract
from fazhi_analysis.intake.figures import find_figures
from fazhi_analysis.intake.reading import read_report

PUBLIC_REPORTS = paths.PROJECT_DIR / "data" / "public_reports.yaml"
SEED = paths.DATA_DIR / "raw" / "重庆市南岸区峡口镇_2023.txt"
SEED_REPORTER = Reporter("重庆市", "南岸区", "峡口镇", 2023)
# The file says 均为 is a qualifier, and records it so nowhere else; this entry has it as null.
ANNOTATION_DIFFERENCES = {("完成率及优秀率均为100%", "均为"): "file records 均为 as null here"}


@dataclass(frozen=True)
class Outcome:
    expr: str
    expected: str
    got: str
    right: bool
    note: str = ""


def expected_qualifier(recorded: str | None) -> str | None:
    """The bounding qualifier in a recorded one: 累计余 → 余, 全年共 → None, 达 → 达."""
    if not recorded:
        return None
    return recorded if recorded in QUALIFIERS else next((q for q in QUALIFIERS if q in recorded), None)


def score_expression(expr: str, value: float | None, recorded: str | None) -> Outcome:
    figures = find_figures(expr)
    qualifier = expected_qualifier(recorded)
    expected = f"{value} {qualifier or ''}{' norm' if recorded == '每年' else ''}".strip()
    got = "; ".join(f"{f.value} {f.qualifier or ''} {' '.join(f.flags)}".strip() for f in figures)
    if value is None:
        return Outcome(expr, expected, got, len(figures) == 1 and "no_number" in figures[0].flags)
    values_right = bool(figures) and all(f.value == value for f in figures)
    norm_right = recorded != "每年" or all("norm" in f.flags for f in figures)
    parsed = {f.qualifier for f in figures}
    note = next((n for (e, q), n in ANNOTATION_DIFFERENCES.items() if e == expr and parsed == {q}), "")
    qualifier_right = parsed == {qualifier} or bool(note)
    return Outcome(expr, expected, got or "(nothing)", values_right and norm_right and qualifier_right, note)


def score_public_reports(path: Path = PUBLIC_REPORTS) -> list[Outcome]:
    reports = yaml.safe_load(path.read_text(encoding="utf-8"))["reports"]
    return [score_expression(str(i["expr"]), i["value"], i["qualifier"])
            for report in reports for i in report["indicators"]]


def score_seed() -> list[Outcome]:
    """The seed's draft against the reviewed 峡口镇 2023 observations; an extra figure counts as wrong."""
    catalogue = load_catalogue()
    text, source = read_report(str(SEED))
    rows = extract(text, catalogue, SEED_REPORTER, source)
    with (paths.DATA_DIR / paths.OBSERVATIONS_FILE).open(encoding="utf-8-sig", newline="") as file:
        reviewed = {r["indicator"]: r for r in csv.DictReader(file)
                    if (r["district"], r["body"], r["year"]) == ("南岸区", "峡口镇", "2023")}
    outcomes = []
    for row in rows:
        want = reviewed.pop(row["indicator"], None)
        expected = f"{want['value']} {want['qualifier']}".strip() if want else "(not a figure)"
        got = f"{row['indicator']} {row['value']} {row['qualifier']}".strip()
        right = bool(want) and (want["value"], want["qualifier"]) == (row["value"], row["qualifier"])
        outcomes.append(Outcome(row["expr"], expected, got, right))
    missed = reviewed.values()
    outcomes += [Outcome(r["expr"], f"{r['indicator']} {r['value']}", "(missed)", False) for r in missed]
    return outcomes


def report(title: str, outcomes: list[Outcome]) -> None:
    right = sum(o.right for o in outcomes)
    print(f"{title}: tried {len(outcomes)}, parsed right {right}, wrong {len(outcomes) - right}")
    for o in outcomes:
        if not o.right or o.note:
            label = "note" if o.right else "WRONG"
            print(f"  {label}: {o.expr!r} expected {o.expected}, got {o.got} {o.note}")


def main() -> int:
    if PUBLIC_REPORTS.is_file():
        report(f"public reports ({PUBLIC_REPORTS.name})", score_public_reports())
    else:
        print(f"public reports: {PUBLIC_REPORTS} not found, skipped")
    report(f"seed ({SEED.name})", score_seed())
    return 0


if __name__ == "__main__":
    sys.exit(main())
