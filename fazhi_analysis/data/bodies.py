"""Reporting bodies (镇 / 乡 / 街道) and the one resolver from a typed name to a body.

A body is keyed by province + district + name: other towns called 峡口镇 exist. Users type a body as
`--unit` on the command line and `unit` in a batch manifest, because offices call the reporting body
their 单位; from the notebook parameter inward the word is `body`. This module is light (no pandas), so
parameter checks answer in a fraction of a second.
"""

from collections.abc import Iterable
from typing import NamedTuple

from ..errors import ParameterError


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
    def short_name(self) -> str:
        """南岸区峡口镇: unique within the data, as users type it when a name is not."""
        return f"{self.district}{self.name}"


def matching(typed: str, bodies: Iterable[Body]) -> list[Body]:
    """Bodies a typed name can mean: the name alone, district + name, or province + district + name."""
    return [b for b in bodies if typed in (b.name, b.short_name, b.full_name)]


def not_unique_zh(matches: Iterable[Body]) -> str:
    """The one message for a name several bodies share."""
    return "不唯一，请加上区县名: " + "、".join(b.short_name for b in matches)


def resolve_body(typed: str, bodies: Iterable[Body], listing: str | None = None) -> Body:
    """The one body `typed` names, or a ParameterError that lists what exists (or `listing`)."""
    bodies = list(bodies)
    matches = matching(typed, bodies)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = listing if listing is not None else "、".join(b.short_name for b in sorted(bodies))
        raise ParameterError(f"数据中没有主体 {typed!r}。已有: {known}")
    raise ParameterError(f"主体 {typed!r} {not_unique_zh(matches)}")
