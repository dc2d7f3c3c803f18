"""The year's 法治政府建设年度报告 drafted from the data, in the report's own words, for the office to finish.

What the data can say it says: every figure as its report wrote it, under the report's own
sub-headings (renumbered, since a draft leaves out those with nothing to say), with last year's where
it exists. What the data cannot say is a visible 【待补充：…】 gap (the 书记's own 履职 account, the
causes of shortcomings, the date); what it only suggests is marked 【建议，请核实】 or 【建议目标】, the
same suggestions the HTML page shows in parts 三 and 四. Nothing is invented: no fact, no number, no name.
"""

import re

import pandas as pd

from ..analysis import suggestions
from ..analysis.completeness import missing_items
from ..analysis.year_statistics import YearStatistics
from ..data.dataset import Dataset
from ..data.structure import SECTION_BY_KEY, part_text
from .document import Closing, Draft, Heading1, Heading2, Paragraph, Placeholder, Suggestion, SuggestionKind

NUMERALS = "一二三四五六七八九十"
_OWN_NUMBER = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*")


def office_name(stats: YearStatistics) -> str:
    """The government that signs: a 街道 signs as its 办事处, a 镇 or 乡 as its 人民政府."""
    body = stats.body
    return f"{body.full_name}办事处" if body.name.endswith("街道") else f"{body.full_name}人民政府"


def build_draft(dataset: Dataset, stats: YearStatistics) -> Draft:
    year = stats.year
    blocks: list = [Paragraph((Placeholder("总体情况（指导思想、年度工作主线）"),
                               f"现将{year}年度法治政府建设工作情况报告如下："))]
    blocks.append(Heading1(f"一、{year}年推进法治政府建设的主要举措和成效"))
    blocks += _figure_sections(stats, "measures")
    sections = {k: i.section for k, i in dataset.catalogue.items()}
    missing = "、".join(item.name_zh for item in missing_items(stats.figures, sections))
    if missing:
        blocks.append(Paragraph((Placeholder(f"{missing}等方面的举措和成效（本年度数据中没有这些方面的数字）"),)))
    blocks.append(Heading1(f"二、{year}年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"))
    blocks.append(Paragraph((Placeholder("党政主要负责人履行第一责任人职责的情况（由本人述职内容撰写）"),)))
    blocks += _figure_sections(stats, "first_responsible", headings=False)
    blocks.append(Heading1(f"三、{year}年推进法治政府建设存在的不足和原因"))
    blocks.append(Paragraph((Placeholder("存在的不足（总体表述）"),)))
    blocks += _numbered(suggestions.shortcomings(dataset, stats), SuggestionKind.VERIFY)
    blocks.append(Paragraph((Placeholder("不足的原因分析"),)))
    blocks.append(Heading1(f"四、{year + 1}年推进法治政府建设的主要安排"))
    blocks += _numbered(suggestions.targets(dataset, stats), SuggestionKind.TARGET)
    blocks.append(Paragraph((Placeholder(f"{year + 1}年工作思路和主要举措"),)))
    blocks.append(Heading1("五、其他需要报告的情况"))
    blocks += _other(dataset, stats)
    title = f"{office_name(stats)}\n关于{year}年法治政府建设情况的报告"
    return Draft(title, tuple(blocks), Closing(office_name(stats)))


def _figure_sections(stats: YearStatistics, part: str, headings: bool = True) -> list:
    """A second-level heading per sub-heading of the report (or topic, when it gave none), renumbered,
    each with one paragraph of its figures as written and a gap for what was done."""
    figures = stats.in_part(part)
    blocks: list = []
    for number, (key, group) in enumerate(figures.groupby(_section_key(figures), sort=False)):
        title = _OWN_NUMBER.sub("", key) or "其他"
        if headings:
            blocks.append(Heading2(f"（{NUMERALS[number % len(NUMERALS)]}）{title}"))
        said = "，".join(r.shown for r in group.itertuples())
        changes = [f"{r.label}较{stats.previous_year}年{_change(r)}" for r in group.itertuples() if pd.notna(r.change)]
        runs = [f"{stats.year}年，{said}。"]
        if changes:
            runs.append("与上年相比，" + "，".join(changes) + "。")
        runs.append(Placeholder(f"{title}方面的具体举措"))
        blocks.append(Paragraph(tuple(runs)))
    return blocks


def _section_key(figures: pd.DataFrame) -> pd.Series:
    """The report's sub-heading, else the topic's name, else nothing."""
    return pd.Series([h or (SECTION_BY_KEY[t].title_zh if t else "") for h, t in
                      zip(figures["heading"], figures["topic"], strict=True)], index=figures.index)


def _numbered(proposals: list, kind: SuggestionKind) -> list:
    return [Paragraph((f"{NUMERALS[i % len(NUMERALS)]}是", Suggestion(p.wording + "。", kind)))
            for i, p in enumerate(proposals)]


def _other(dataset: Dataset, stats: YearStatistics) -> list:
    texts = [t for t in (dataset.raw_text(s) for s in dict.fromkeys(stats.figures["source"])) if t]
    stated = next((p for p in (part_text(t, "other") for t in texts) if p is not None), None)
    if stated is None:
        return [Paragraph((Placeholder("其他需要报告的情况；没有则写“无。”"),))]
    return [Paragraph((line.strip(),)) for line in stated.splitlines() if line.strip()]


def _change(row) -> str:
    if row.change == 0:
        return "持平"
    unit = "个百分点" if row.measure == "%" else row.measure
    return f"{'增加' if row.change > 0 else '减少'}{abs(row.change):g}{unit}"
