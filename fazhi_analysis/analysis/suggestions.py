"""Suggestions for parts 三 (不足和原因) and 四 (下一年度安排), drawn only from the report's own figures and
wording, each marked for the office to check: the HTML page and the Word draft show the same list.

Shortcomings: expected items with no figure at all, figures that fell against last year, rates the
report's own counts contradict, and gaps inside its own figures (受理 more than 调解成功: where did the
rest go?). Targets: activity counts brought to a monthly rhythm or kept at this year's level, stated
rates kept, and the report's own part-四 commitments (提升…频次, 全部参加…考试, 增加…次数) made
measurable. Never a target for a count that should be zero (重大事故), a one-off work (拆除…方), a
standing structure (调委会8个) or a caseload (纠纷242件): more of those is not better.
"""

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..data.dataset import Dataset
from ..data.structure import part_text
from ..data.vocabulary import ACTIVITY_MEASURES
from .completeness import missing_items
from .year_statistics import YearStatistics

Kind = Literal["verify", "target"]
ACTIVITY_TOPICS = ("legal_education", "study")
MONTHS = 12


@dataclass(frozen=True)
class Proposal:
    """A sentence the office may adopt once it has checked it; `kind` says which marker it carries."""

    wording: str
    kind: Kind

    @property
    def marked(self) -> str:
        return self.wording + ("【建议，请核实】" if self.kind == "verify" else "【建议目标】")


def shortcomings(dataset: Dataset, stats: YearStatistics) -> list[Proposal]:
    f = stats.figures
    sections = {k: i.section for k, i in dataset.catalogue.items()}
    missing = "、".join(item.name_zh for item in missing_items(f, sections))
    out = [Proposal(f"本年度报告未列出{missing}方面的数字，相关工作成效未能用数据反映", "verify")] if missing else []
    for r in f.itertuples():
        if pd.notna(r.change) and r.change < 0 and r.kind != "rate":
            out.append(Proposal(f"{r.label}由{stats.previous_year}年的{r.previous_expr}"
                                f"降至{r.expr}，原因有待分析", "verify"))
    names = {c.indicator: _label(f, c.indicator, dataset) for c in stats.claims}
    out += [Proposal(f"报告所述{names[c.indicator]}“{c.stated.expr}”与所列件数不符，需核实口径", "verify")
            for c in stats.claims if c.status == "inconsistent"]
    received, resolved = _linked(f, "disputes_received_count"), _linked(f, "disputes_resolved_count")
    if received is not None and resolved is not None and resolved.value < received.value:
        out.append(Proposal(f"{received.label}{received.expr}、{resolved.label}{resolved.expr}，未调解成功的"
                            "纠纷后续如何处理（转入诉讼、信访或仍在调处），报告未作说明", "verify"))
    return out


def targets(dataset: Dataset, stats: YearStatistics) -> list[Proposal]:
    f = stats.figures
    out = []
    for r in f.itertuples():
        if r.topic in ACTIVITY_TOPICS and r.measure in ACTIVITY_MEASURES and r.value > 0 and r.qualifier != "约":
            if r.value < MONTHS:
                out.append(Proposal(f"{r.label}由{stats.year}年的{r.expr}增至不少于{MONTHS}{r.measure}"
                                    f"（每月1{r.measure}）", "target"))
            else:
                out.append(Proposal(f"{r.label}保持不少于{r.expr.removeprefix('达')}", "target"))
        elif r.kind == "rate" and r.qualifier in ("以上", "达") and r.value < 100:
            out.append(Proposal(f"{r.label}保持在{r.value:g}%以上", "target"))
    out += _commitments(dataset, stats)
    return out


def _commitments(dataset: Dataset, stats: YearStatistics) -> list[Proposal]:
    """The report's own next-year commitments, where its part-四 text is kept, made measurable."""
    texts = [t for t in (dataset.raw_text(s) for s in dict.fromkeys(stats.figures["source"])) if t]
    plan = next((p for p in (part_text(t, "next_year") for t in texts) if p), "")
    out = []
    for match in re.finditer(r"提升(.{2,8}?)的?频次", plan):
        subject = match.group(1)
        related = stats.figures[stats.figures["label"].str.contains(subject[-2:]) & (stats.figures["value"] > 0)
                                & stats.figures["measure"].isin(ACTIVITY_MEASURES)]
        basis = "、".join(f"{r.label}{r.expr}" for r in related.itertuples())
        out.append(Proposal(f"落实“提升{subject}的频次”：{subject}活动总场次较{stats.year}年"
                            + (f"（{basis}）" if basis else "") + "有所增加，按月安排", "target"))
    for match in re.finditer(r"要求(.{2,10}?)全部参加(.{2,16}?考试)", plan):
        out.append(Proposal(f"落实“{match.group(0)}”：{match.group(1)}参加{match.group(2)}的比例达到100%", "target"))
    for match in re.finditer(r"增加(.{2,10}?)次数", plan):
        out.append(Proposal(f"落实“{match.group(0)}”：{match.group(1)}次数较{stats.year}年增加，"
                            f"并统计{stats.year}年次数作为基数", "target"))
    return out


def _linked(figures: pd.DataFrame, key: str):
    rows = figures[figures["indicator"] == key]
    return None if rows.empty else next(rows.itertuples())


def _label(figures: pd.DataFrame, key: str, dataset: Dataset) -> str:
    row = _linked(figures, key)
    return row.label if row is not None else dataset.catalogue[key].name_zh
