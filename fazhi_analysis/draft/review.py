"""What is left to do in a draft, part by part (`fazhi draft --check`): figures still to fill (【待补充：…】),
lines marked for action (【请核实本年度是否开展】, 【新增事项，请写入正文：…】), carried-over sentences not yet
reviewed (沿用2023年表述，请核实更新), and last year's promises not yet answered (2023年报告安排：… — 本年度完成情况？).

It reads the clerk's working copy when there is one: a comment the clerk deleted, resolved (Word's 解决) or
replied to counts as done, as does a 【注：…】 or 【待补充：…】 the clerk removed from the text. Without a working
copy it reads the draft fazhi would write.
"""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..wording import say
from .document import Draft, Heading1, Marker, Paragraph, Placeholder, run_text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_TO_FILL = re.compile(r"【待补充：[^】]*】")
_MARK = re.compile(r"【(?!待补充：|注：|建议)[^】]*】")  # 【请核实本年度是否开展】, 【新增事项，请写入正文：…】
_INLINE_NOTE = re.compile(r"【注：([^】]*)】")
BEFORE_PARTS = "（标题和开头）"


@dataclass
class PartTodo:
    part: str  # the part's heading as the draft has it
    to_fill: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # lines marked for the clerk to act on
    carried: int = 0
    promises: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.to_fill or self.marks or self.carried or self.promises)


class _Kinds:
    """Tells a note's kind from the wording file's own patterns, so editing the wording keeps --check right."""

    def __init__(self, earlier_year: int):
        self.carried = say("draft.carried", year=earlier_year)
        head, _, tail = say("draft.promise", year=earlier_year, promise="\x00").partition("\x00")
        self.promise_head, self.promise_tail = head, tail

    def add(self, todo: PartTodo, note: str) -> None:
        if note == self.carried:
            todo.carried += 1
        elif note.startswith(self.promise_head) and note.endswith(self.promise_tail):
            todo.promises.append(note[len(self.promise_head):len(note) - len(self.promise_tail)])


def todo_of_draft(draft: Draft, earlier_year: int) -> list[PartTodo]:
    kinds, parts = _Kinds(earlier_year), [PartTodo(BEFORE_PARTS)]
    for block in draft.blocks:
        if isinstance(block, Heading1):
            parts.append(PartTodo(block.text))
        for note in getattr(block, "notes", ()):
            kinds.add(parts[-1], note)
        if isinstance(block, Paragraph):
            parts[-1].to_fill += [run_text(r) for r in block.runs if isinstance(r, Placeholder)]
            parts[-1].marks += [run_text(r) for r in block.runs if isinstance(r, Marker)]
    if draft.closing is not None and draft.closing.date is None:
        parts[-1].to_fill.append(draft.closing.date_text)
    return [p for p in parts if not p.empty]


def todo_of_docx(path: Path, earlier_year: int) -> list[PartTodo]:
    """The same, read from a .docx the clerk may have edited in Word or WPS."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        names = set(archive.namelist())
        comments = etree.fromstring(archive.read("word/comments.xml")) if "word/comments.xml" in names else None
        extended = (etree.fromstring(archive.read("word/commentsExtended.xml"))
                    if "word/commentsExtended.xml" in names else None)
    open_notes = _open_comments(comments, extended)
    kinds, parts = _Kinds(earlier_year), [PartTodo(BEFORE_PARTS)]
    for paragraph in document.iter(f"{{{_W}}}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{_W}}}t"))
        style = paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
        if style is not None and style.get(f"{{{_W}}}val") in ("Heading1", "1"):
            parts.append(PartTodo(text))
        for start in paragraph.iter(f"{{{_W}}}commentRangeStart"):
            note = open_notes.get(start.get(f"{{{_W}}}id"))
            if note is not None:
                kinds.add(parts[-1], note)
        for note in _INLINE_NOTE.findall(text):
            kinds.add(parts[-1], note)
        parts[-1].to_fill += _TO_FILL.findall(text)
        parts[-1].marks += _MARK.findall(text)
    return [p for p in parts if not p.empty]


def _open_comments(comments, extended) -> dict[str, str]:
    """Comment id → text of each comment nobody has resolved or replied to."""
    if comments is None:
        return {}
    done, parents = set(), set()
    for entry in ([] if extended is None else extended.iter(f"{{{_W15}}}commentEx")):
        if entry.get(f"{{{_W15}}}done") == "1":
            done.add(entry.get(f"{{{_W15}}}paraId"))
        if entry.get(f"{{{_W15}}}paraIdParent"):
            parents.add(entry.get(f"{{{_W15}}}paraIdParent"))
    out = {}
    for comment in comments.iter(f"{{{_W}}}comment"):
        paragraphs = list(comment.iter(f"{{{_W}}}p"))
        last = paragraphs[-1].get(f"{{{_W14}}}paraId") if paragraphs else None
        if last is not None and (last in done or last in parents):
            continue
        out[comment.get(f"{{{_W}}}id")] = "".join(t.text or "" for t in comment.iter(f"{{{_W}}}t"))
    return out
