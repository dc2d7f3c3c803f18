"""A report's own text read as a draft's structure: its title lines, its part headings (一、), its
sub-headings with their own numbering (（一）), and its paragraphs, each as the report wrote it.

Offices number their parts 一、 to 五、 and their sub-headings （一）, sometimes (一) on a web page: a line that
starts so and ends without a full stop inside is a heading; anything else is a paragraph. The title is the
short lines before the first paragraph or heading.
"""

import re
from dataclasses import dataclass
from typing import Literal

from ..data.structure import closing_of, part_of_heading

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
HEADING_MAX_CHARS = 80
TITLE_MAX_CHARS = 40
TITLE_MAX_LINES = 3


@dataclass(frozen=True)
class TextBlock:
    kind: Literal["heading1", "heading2", "paragraph"]
    text: str
    part: str  # the mandated part it stands in ("" before the first part heading)


def _is_heading(line: str) -> bool:
    return len(line) <= HEADING_MAX_CHARS and "。" not in line[:-1]


def read_report_text(text: str) -> tuple[list[str], list[TextBlock]]:
    """(title lines, blocks) of a report's text, in order; the 落款 at its end is not a block (`closing_of`)."""
    closing = closing_of(text)
    lines = [line.strip() for line in (text[:closing[2]] if closing else text).splitlines() if line.strip()]
    title: list[str] = []
    for line in lines[:TITLE_MAX_LINES]:
        if len(line) > TITLE_MAX_CHARS or "。" in line or _HEADING1.match(line) or _HEADING2.match(line):
            break
        title.append(line)
    blocks: list[TextBlock] = []
    part = ""
    for line in lines[len(title):]:
        if _HEADING1.match(line) and _is_heading(line):
            found = part_of_heading(line)
            part = found.key if found else part
            blocks.append(TextBlock("heading1", line, part))
        elif _HEADING2.match(line) and _is_heading(line):
            blocks.append(TextBlock("heading2", _HEADING2.sub(r"（\1）", line, count=1), part))
        else:
            blocks.append(TextBlock("paragraph", line, part))
    return title, blocks
