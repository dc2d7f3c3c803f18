"""The mandated shape of a 法治政府建设年度报告: five parts, and the topic sections inside them.

Parts come from 《法治政府建设与责任落实督察工作规定》; the order of parts varies between offices,
so detection elsewhere uses the heading keywords here, never the numbering.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str
    title_zh: str
    heading_keywords: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title_zh: str
    part: str


PARTS: tuple[Part, ...] = (
    Part("measures", "主要举措和成效", ("举措", "成效")),
    Part("first_responsible", "党政主要负责人履行推进法治建设第一责任人职责情况", ("第一责任人",)),
    Part("shortcomings", "存在的不足和原因", ("不足", "原因")),
    Part("next_year", "下一年度推进法治政府建设的主要安排", ("下一年度", "工作思路", "主要安排", "计划")),
    Part("other", "其他需要报告的情况", ("其他需要报告",)),
)

SECTIONS: tuple[Section, ...] = (
    Section("decision", "依法决策", "measures"),
    Section("enforcement", "行政执法", "measures"),
    Section("supervision", "制约监督", "measures"),
    Section("disclosure", "政务公开", "measures"),
    Section("disputes", "矛盾纠纷化解", "measures"),
    Section("legal_education", "法治宣传教育（普法）", "measures"),
    Section("legal_services", "公共法律服务", "measures"),
    Section("first_responsible", "履行第一责任人职责", "first_responsible"),
    Section("study", "学法考法", "first_responsible"),
)

PART_BY_KEY = {p.key: p for p in PARTS}
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


def sections_of(part_key: str) -> list[Section]:
    """Topic sections shown under one part, in report order."""
    return [s for s in SECTIONS if s.part == part_key]
