"""The content of a Word draft, free of layout: what a writer of 公文 decides (a heading, a paragraph, a
gap the office must fill, a wording it must check), not how it is set. The layout engine
(gongwen_docx) turns it into a .docx; whatever produces content (the report's figures, a template)
builds these objects and never touches python-docx.

Headings carry their own numbering ("一、", "（一）") because the office's numbering is part of the text
it signs off; a wrong level is caught here rather than printed."""

import datetime
import re
from dataclasses import dataclass
from enum import Enum

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")


def _check_line(text: str, what: str) -> None:
    if not text.strip():
        raise ValueError(f"{what} is empty")
    if "\n" in text or "\r" in text:
        raise ValueError(f"{what} has a line break: {text!r}")


@dataclass(frozen=True)
class Placeholder:
    """A gap the office must fill before sending: printed as 【待补充：…】 and highlighted, so it cannot
    slip into a signed report unnoticed."""

    what: str

    def __post_init__(self) -> None:
        _check_line(self.what, "placeholder")

    @property
    def text(self) -> str:
        return f"【待补充：{self.what}】"


class SuggestionKind(Enum):
    """Why a wording is only suggested: a figure-based sentence to check against the records, or a
    target for next year that the leadership must set."""

    VERIFY = "【建议，请核实】"
    TARGET = "【建议目标】"


@dataclass(frozen=True)
class Suggestion:
    """Wording fazhi proposes but the office must own: printed followed by its marker, both highlighted."""

    wording: str
    kind: SuggestionKind = SuggestionKind.VERIFY

    def __post_init__(self) -> None:
        _check_line(self.wording, "suggestion")

    @property
    def text(self) -> str:
        return f"{self.wording}{self.kind.value}"


@dataclass(frozen=True)
class Marker:
    """A short instruction printed in the text and highlighted: 【请核实本年度是否开展】,
    【新增事项，请写入正文：…】."""

    what: str

    def __post_init__(self) -> None:
        _check_line(self.what, "marker")

    @property
    def text(self) -> str:
        return f"【{self.what}】"


@dataclass(frozen=True)
class Noted:
    """Text the clerk should look at, with a note saying why: a Word comment anchored on the text (or, for
    offices that strip comments, a bracketed note after it). `highlight` marks a changed figure."""

    text: str
    note: str
    highlight: bool = False

    def __post_init__(self) -> None:
        _check_line(self.text, "noted text")
        _check_line(self.note, "note")


Run = str | Placeholder | Suggestion | Marker | Noted
DATE_PLACEHOLDER = Placeholder("成文日期")


def run_text(run: Run) -> str:
    """The characters a run puts on the page (markers included, notes not)."""
    return run if isinstance(run, str) else run.text


@dataclass(frozen=True)
class Heading1:
    """A first-level heading, "一、…" (黑体); `notes` are comments for the clerk anchored on it."""

    text: str
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(self.notes))
        _check_line(self.text, "heading")
        if not _HEADING1.match(self.text):
            raise ValueError(f"a first-level heading starts with 一、二、…: {self.text!r}")


@dataclass(frozen=True)
class Heading2:
    """A second-level heading, "（一）…" (楷体), full-width brackets as the office types them."""

    text: str
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(self.notes))
        _check_line(self.text, "heading")
        if not _HEADING2.match(self.text):
            raise ValueError(f"a second-level heading starts with （一）（二）…: {self.text!r}")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: plain text, placeholders and suggestions in reading order; `notes` are comments
    for the clerk on the whole paragraph (沿用2023年表述，请核实更新)."""

    runs: tuple[Run, ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "runs", tuple(self.runs))
        object.__setattr__(self, "notes", tuple(self.notes))
        if not self.runs:
            raise ValueError("a paragraph has no runs")
        for run in self.runs:
            if not isinstance(run, str | Placeholder | Suggestion | Marker | Noted):
                raise TypeError(f"a run is text, a Placeholder, Suggestion, Marker or Noted, not {type(run).__name__}")
            if isinstance(run, str) and ("\n" in run or "\r" in run):
                raise ValueError(f"a run has a line break (make two paragraphs): {run!r}")
        if not "".join(run_text(r) for r in self.runs).strip():
            raise ValueError("a paragraph has no text")

    @property
    def text(self) -> str:
        return "".join(run_text(r) for r in self.runs)


Block = Heading1 | Heading2 | Paragraph


@dataclass(frozen=True)
class Closing:
    """The 落款: the office's name and the date it signs, set right-aligned under the last paragraph.
    A draft rarely knows the signing date: then the date is a placeholder the office fills in."""

    office: str
    date: datetime.date | None = None

    def __post_init__(self) -> None:
        _check_line(self.office, "office name")

    @property
    def date_text(self) -> str:
        """Arabic numerals, full year, no leading zeros (GB/T 9704-2012 7.3.5): 2024年1月5日."""
        if self.date is None:
            return DATE_PLACEHOLDER.text
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


@dataclass(frozen=True)
class Draft:
    """A whole draft. The title may hold "\\n" where the office wants it to break (GB/T 9704 asks for
    breaks that keep words whole, which a line-filling algorithm cannot judge)."""

    title: str
    blocks: tuple[Block, ...]
    closing: Closing | None = None
    year: int | None = None  # the report's year: notes and properties are dated 1 January of the next

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        if not self.title.strip():
            raise ValueError("the title is empty")
        for block in self.blocks:
            if not isinstance(block, Heading1 | Heading2 | Paragraph):
                raise TypeError(f"a block is a Heading1, Heading2 or Paragraph, not {type(block).__name__}")

    @property
    def title_lines(self) -> list[str]:
        return [line.strip() for line in self.title.splitlines() if line.strip()]
