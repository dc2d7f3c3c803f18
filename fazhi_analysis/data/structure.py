"""The mandated shape of a 法治政府建设年度报告: five parts, and the topic sections inside them.

Parts come from 《法治政府建设与责任落实督察工作规定》; the order of parts varies between offices, so a
part is recognised by its heading's meaning (the keywords here, with the variants offices write:
工作安排, 下一步工作打算, 存在的问题, 其他事项 …), never by its number. A part heading is a line that begins
with a part enumerator (一、 … 五、, 一. , 第一部分): body text that happens to say 不足 never switches the
part. Only a text with no numbered part heading at all falls back to short, unpunctuated keyword lines.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str
    title_zh: str
    heading_keywords: tuple[str, ...]
    short_zh: str  # for a sentence that counts figures per part


@dataclass(frozen=True)
class Section:
    """A topic a figure can be about. `part` is where the frame shows it when its report gave no
    sub-heading; `keywords` recognise it in a report's own sub-heading (（三）强化制约监督…)."""

    key: str
    title_zh: str
    part: str
    keywords: tuple[str, ...] = ()


PARTS: tuple[Part, ...] = (
    Part("measures", "主要举措和成效", ("举措", "成效", "主要工作", "工作开展情况", "工作情况", "主要做法"),
         "主要举措和成效"),
    Part("first_responsible", "党政主要负责人履行推进法治建设第一责任人职责情况",
         ("第一责任人", "主要负责人履行", "履行推进法治建设"), "第一责任人职责"),
    Part("shortcomings", "存在的不足和原因", ("不足", "原因", "存在的问题", "存在问题", "短板"), "不足和原因"),
    Part("next_year", "下一年度推进法治政府建设的主要安排",
         ("下一年度", "工作思路", "主要安排", "计划", "工作安排", "工作打算", "下一步", "工作重点", "工作设想"),
         "下一年度安排"),
    Part("other", "其他需要报告的情况", ("其他需要报告", "其他事项", "其他情况", "其他"),
         "其他需要报告的情况"),
)

SECTIONS: tuple[Section, ...] = (
    Section("decision", "依法决策", "measures", ("决策",)),
    Section("enforcement", "行政执法", "measures", ("执法",)),
    Section("supervision", "制约监督", "measures", ("监督",)),
    Section("disclosure", "政务公开", "measures", ("政务公开", "信息公开")),
    Section("services", "政务服务", "measures", ("政务服务",)),
    Section("disputes", "矛盾纠纷化解", "measures", ("纠纷", "调解", "信访")),
    Section("legal_education", "法治宣传教育（普法）", "measures", ("普法", "法治宣传", "宣传教育")),
    Section("legal_services", "公共法律服务", "measures", ("法律服务", "法律援助")),
    Section("first_responsible", "履行第一责任人职责", "first_responsible", ("第一责任人", "组织领导")),
    Section("study", "学法考法", "first_responsible", ("学法", "理论学习", "考试")),
)

PART_BY_KEY = {p.key: p for p in PARTS}
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


def topic_of_heading(heading: str) -> str:
    """The topic a report's sub-heading names by its keywords, or "" (a heading may name none)."""
    return next((s.key for s in SECTIONS if any(k in heading for k in s.keywords)), "")


def sections_of(part_key: str) -> list[Section]:
    """Topic sections shown under one part, in report order."""
    return [s for s in SECTIONS if s.part == part_key]


# A next-year heading often also says 举措 (峡口镇: 工作思路目标举措), so the rarer parts are tried first.
PART_PRECEDENCE = ("other", "next_year", "shortcomings", "first_responsible", "measures")
HEADING_MAX_CHARS = 80


# 一、 一． 一. 一 、 or 第一部分 at the start of a line: how a report numbers its five parts.
PART_ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六][、．.]|[一二三四五六]\s+、|第[一二三四五六]部分[、，,：:\s]?)")
UNNUMBERED_HEADING_MAX_CHARS = 30


def part_of_heading(line: str) -> Part | None:
    """The mandated part a heading line names by its keywords (the rarer parts first), or None."""
    key = next((k for k in PART_PRECEDENCE if any(w in line for w in PART_BY_KEY[k].heading_keywords)), None)
    return PART_BY_KEY[key] if key else None


def part_starts(text: str) -> list[tuple[int, str]]:
    """(offset, part key) for every part heading: a line that begins with a part enumerator and names a
    part by its keywords. A text with no such line: short keyword lines with no punctuation instead."""
    numbered, unnumbered, offset = [], [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and len(stripped) <= HEADING_MAX_CHARS and "。" not in stripped[:-1]:
            part = part_of_heading(stripped)
            key = part.key if part else None
            if key and PART_ENUMERATOR.match(stripped):
                numbered.append((offset, key))
            elif key and len(stripped) <= UNNUMBERED_HEADING_MAX_CHARS and not re.search(r"[，,。；;：:]", stripped):
                unnumbered.append((offset, key))
        offset += len(line)
    return numbered or unnumbered


_DATE_LINE = re.compile(r"^\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*$")
_OFFICE_LINE = re.compile(r"^\s*(\S{2,40}(?:人民政府|办事处|委员会|政府))\s*$")


def closing_of(text: str) -> tuple[str, str, int] | None:
    """The 落款 at a report's end — the office's name on its own line, then the date (青溪镇人民政府 /
    2025年1月15日) — as (office, date, where it starts), or None: it is not part 五's text."""
    lines = text.rstrip().splitlines()
    if len(lines) < 2:
        return None
    date, office = _DATE_LINE.match(lines[-1]), _OFFICE_LINE.match(lines[-2])
    if not (date and office):
        return None
    start = len("\n".join(lines[:-2]))
    return office.group(1), date.group(1), start


def part_heading(text: str, part_key: str) -> str | None:
    """A mandated part's heading line as the report wrote it (四、2024年推进法治政府建设的工作思路目标举措), or None."""
    for offset, key in part_starts(text):
        if key == part_key:
            return text[offset:].split("\n", 1)[0].strip()
    return None


def part_text(text: str, part_key: str) -> str | None:
    """The body of one mandated part in a report's text (without its heading line, nor the 落款 after the
    last part), or None."""
    starts = part_starts(text)
    closing = closing_of(text)
    for i, (offset, key) in enumerate(starts):
        if key == part_key:
            end = starts[i + 1][0] if i + 1 < len(starts) else (closing[2] if closing else len(text))
            return text[offset:end].split("\n", 1)[1].strip() if "\n" in text[offset:end] else ""
    return None
