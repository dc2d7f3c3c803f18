"""Qualifiers that bound a stated figure (15000余份, 约2.7万方, 98%以上): what each one means for checks."""

from dataclasses import dataclass
from typing import Literal

Bound = Literal["exact", "at_least", "more_than", "approx", "at_most"]


@dataclass(frozen=True)
class Qualifier:
    text: str
    bound: Bound
    meaning_zh: str


QUALIFIERS: dict[str, Qualifier] = {
    q.text: q
    for q in (
        Qualifier("余", "more_than", "实际数略多于所写数字（15000余份 ≥ 15000）"),
        Qualifier("超", "more_than", "实际数超过所写数字"),
        Qualifier("以上", "at_least", "实际数不低于所写数字（98%以上 ≥ 98%）"),
        Qualifier("不少于", "at_least", "实际数不低于所写数字；多为工作要求，不是结果"),
        Qualifier("约", "approx", "约数，实际数接近所写数字"),
        Qualifier("近", "at_most", "接近但不到所写数字（近300名 ≤ 300）"),
        Qualifier("达", "exact", "达到所写数字，按四舍五入核对"),
        Qualifier("均为", "exact", "几个指标数值相同（参考率、合格率均为100%）"),
        Qualifier("全部", "exact", "全部完成，数字即总数"),
    )
}
