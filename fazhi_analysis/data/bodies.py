"""Reporting bodies (镇 / 乡 / 街道) and the one resolver from a typed name to a body.

A body is keyed by province + district + name: other towns called 峡口镇 exist. Users type a body as
`--unit` on the command line and `unit` in a batch manifest, because offices call the reporting body
their 单位; from the notebook parameter inward the word is `body`. This module is light (no pandas), so
parameter checks answer in a fraction of a second.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple

from ..errors import ParameterError
from .names import closest, typo_of


class Body(NamedTuple):
    """A reporting body; a NamedTuple, so it sorts and hashes like the key it is."""

    province: str
    district: str
    name: str

    @property
    def full_name(self) -> str:
        """重庆市南岸区峡口镇"""
        return f"{self.province}{self.district}{self.name}"

    @property
    def office_name(self) -> str:
        """重庆市南岸区峡口镇人民政府: the government that reports and signs (a 街道 as its 办事处)."""
        return f"{self.full_name}办事处" if self.name.endswith("街道") else f"{self.full_name}人民政府"

    @property
    def short_name(self) -> str:
        """南岸区峡口镇: unique within the data, as users type it when a name is not."""
        return f"{self.district}{self.name}"


def matching(typed: str, bodies: Iterable[Body]) -> list[Body]:
    """Bodies a typed name can mean: the name alone, district + name, or province + district + name."""
    return [b for b in bodies if typed in (b.name, b.short_name, b.full_name)]


def not_unique_zh(matches: Iterable[Body]) -> str:
    """The one message for a name several bodies share."""
    return "不唯一，请加上区县名: " + "、".join(b.short_name for b in matches)


def resolve_body(typed: str, bodies: Iterable[Body], shown: Callable[[Body], str] | None = None) -> Body:
    """The one body `typed` names, or a ParameterError naming at most ten bodies, closest to what was
    typed first (`shown` says how each is listed, e.g. with its years), and "是否指 云岭镇？" for a typo."""
    bodies = list(bodies)
    matches = matching(typed, bodies)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        by_name = {}
        for body in sorted(bodies):
            by_name.setdefault(body.short_name if typed.startswith(body.district) else body.name, body)
        nearest = [by_name[n] for n in closest(typed, by_name)]
        typo = typo_of(typed, by_name)
        guess = f"是否指 {typo}？" if typo else ""
        listed = "；".join((shown or (lambda b: b.short_name))(b) for b in nearest)
        more = f"（共 {len(bodies)} 个主体，列出最接近的 {len(nearest)} 个）" if len(bodies) > len(nearest) else ""
        raise ParameterError(f"数据中没有主体 {typed!r}。{guess}已有{more}: {listed}")
    raise ParameterError(f"主体 {typed!r} {not_unique_zh(matches)}")
