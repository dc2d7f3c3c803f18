"""One body's year as its report stated it: the one model the HTML page, the Word draft and the suggestions
read, so the three never disagree.

Inside each mandated part, the report's own sub-headings in its order (their numbering as written); under
each, the clauses that state figures, verbatim and in the report's order, each with its figures marked
(`Quote`), and the figures whose clause is not held, to be listed as named (`unquoted`). Where the report's
text is kept in data/raw/, the parts without figures (不足, 安排, 其他) are its own words too.
"""

from dataclasses import dataclass, field

import pandas as pd

from ..data.bodies import Body
from ..data.dataset import Dataset
from ..data.qualifiers import number_start
from ..data.statements import figure_spans
from ..data.structure import PART_BY_KEY, PARTS, SECTION_BY_KEY, part_heading, part_text
from ..wording import say
from .completeness import missing_items
from .year_statistics import YearStatistics, compute_year_statistics


@dataclass(frozen=True)
class Quote:
    """A clause of the report, as written, and where its figures stand in it. Sentences of one paragraph
    shown together are joined as the paragraph has them, with …… where the page leaves text out."""

    text: str
    spans: tuple[tuple[int, int], ...]  # each figure's expression, in order of position
    cut_before: bool = False  # the paragraph goes on before it: the page shows ……
    cut_after: bool = False

    def pieces(self) -> list[tuple[str, bool]]:
        """The clause cut into (text, is a figure) pieces, for marking the figures out; a figure's leading
        work words stay plain text (全部 of 全部约2.7万方 says what was done, not how much)."""
        out, at = [], 0
        for start, end in self.spans:
            number_at = start + number_start(self.text[start:end])
            if number_at > at:
                out.append((self.text[at:number_at], False))
            out.append((self.text[number_at:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out


@dataclass(frozen=True)
class Section:
    """One of the report's sub-headings within a part (or the part itself, when it has none)."""

    heading: str  # as the report wrote it, its own number included; "" when the report gave none
    title: str  # the heading, else the topic's name: what a caption calls the section
    figures: pd.DataFrame  # every figure of the section, report order (YearStatistics.figures rows)
    quotes: tuple[Quote, ...]  # the clauses that state them, report order
    unquoted: pd.DataFrame  # figures whose clause is not held: listed as named, never put into a sentence


@dataclass(frozen=True)
class PartView:
    key: str
    sections: tuple[Section, ...]
    text: str | None  # the part's own text in the report, when the report's text is kept
    heading: str = ""  # the part's heading as the report wrote it; else the mandated title

    @property
    def title(self) -> str:
        return self.heading or say(f"page.part_heading.{self.key}")

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in (self.text or "").splitlines() if line.strip()]

    def marked_paragraphs(self) -> list[Quote]:
        """The part's own paragraphs with the figures the data holds for this part marked in them (a 不足 may
        state one: 全镇持证执法人员仅8名)."""
        figures = pd.concat([s.figures for s in self.sections]) if self.sections else None
        out = []
        for line in self.paragraphs:
            spans: list[tuple[int, int]] = []
            if figures is not None:
                for statement, rows in figures[figures["statement"] != ""].groupby("statement", sort=False):
                    at = line.find(statement)
                    if at >= 0:
                        spans += [(at + s, at + e) for s, e in
                                  (x for x in figure_spans(statement, list(rows["expr"])) if x is not None)]
            out.append(Quote(line, tuple(sorted(spans))))
        return out


@dataclass(frozen=True)
class ReportYear:
    stats: YearStatistics
    parts: dict[str, PartView]
    report_text: str | None  # the whole report as kept in data/raw/, or None
    missing: list[str] = field(default_factory=list)  # expected items the year has no figure for

    @property
    def body(self) -> Body:
        return self.stats.body

    @property
    def year(self) -> int:
        return self.stats.year

    @property
    def quoted(self) -> bool:
        """Does any figure of the year come with the clause that states it?"""
        return bool((self.stats.figures["statement"] != "").any())


def build_report_year(dataset: Dataset, body: Body, year: int, stats: YearStatistics | None = None) -> ReportYear:
    stats = stats or compute_year_statistics(dataset, body, year)
    text = dataset.report_text(body, year)
    sections_of = {k: i.section for k, i in dataset.catalogue.items()}
    texts = {p.key: part_text(text, p.key) if text else None for p in PARTS}
    parts = {p.key: PartView(p.key, _sections(stats.in_part(p.key), texts[p.key]), texts[p.key],
                             (part_heading(text, p.key) or "") if text else "") for p in PARTS}
    missing = [item.name_zh for item in missing_items(stats.figures, sections_of)]
    return ReportYear(stats, parts, text, missing)


def _sections(figures: pd.DataFrame, part_text: str | None = None) -> tuple[Section, ...]:
    """The report's sub-headings in its order; figures recorded without one are grouped by their topic,
    each group captioned by its own topic (never by the first row's)."""
    keys = [(h, "" if h else t) for h, t in zip(figures["heading"], figures["topic"], strict=True)]
    out = []
    for (heading, topic), group in figures.groupby(pd.Series(keys, index=figures.index), sort=False):
        title = heading or (SECTION_BY_KEY[topic].title_zh if topic else PART_BY_KEY[group["part"].iloc[0]].title_zh)
        quoted = group[group["statement"] != ""]
        quotes = []
        for statement, rows in quoted.groupby("statement", sort=False):
            spans = [s for s in figure_spans(statement, list(rows["expr"])) if s is not None]
            quotes.append(Quote(statement, tuple(sorted(spans))))
        quotes = _as_in_paragraphs(quotes, part_text) if part_text else quotes
        out.append(Section(heading, title, group, tuple(quotes), group[group["statement"] == ""]))
    return tuple(out)


def _as_in_paragraphs(quotes: list[Quote], part_text: str) -> list[Quote]:
    """Quotes of one paragraph of the part's text joined in the paragraph's order: sentences that follow each
    other directly stay together, a gap between them is ……, and a paragraph that goes on before the first or
    after the last is marked so (a reader of a quote must see where the page left the town's words out)."""
    paragraphs = [line.strip() for line in part_text.splitlines()]
    placed: dict[int, list[tuple[int, Quote]]] = {}
    out: list[Quote] = []
    for quote in quotes:
        where = next(((i, p.find(quote.text)) for i, p in enumerate(paragraphs) if quote.text in p), None)
        if where is None:
            out.append(quote)  # a statement the kept text does not hold as written: shown alone
        else:
            placed.setdefault(where[0], []).append((where[1], quote))
    for i, found in sorted(placed.items()):
        found.sort(key=lambda f: f[0])
        paragraph, text, spans, at_end = paragraphs[i], "", [], found[0][0]
        for start, quote in found:
            if text:
                text += "。" if paragraph[at_end:start] == "。" else "。……"
            spans += [(len(text) + a, len(text) + b) for a, b in quote.spans]
            text += quote.text
            at_end = start + len(quote.text)
        out.append(Quote(text, tuple(spans), cut_before=found[0][0] > 0,
                         cut_after=paragraph[at_end:].strip("。") != ""))
    return out
