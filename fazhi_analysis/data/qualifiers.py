"""Qualifiers that bound a stated figure (15000余份, 约2.7万方, 98%以上): what each one means for checks,
and where it stands when the figure is written out. Every module that shows or checks a qualifier asks
this one; none spells a qualifier's place itself."""

from dataclasses import dataclass
from typing import Literal

Bound = Literal["exact", "at_least", "more_than", "approx", "at_most"]
Place = Literal["before_number", "after_number", "after_measure"]


@dataclass(frozen=True)
class Qualifier:
    text: str
    bound: Bound
    place: Place  # 约2.7万方 (before_number), 15000余份 (after_number), 98%以上 (after_measure)
    meaning_zh: str

    def write(self, number: str, measure: str) -> str:
        """The figure as a report writes it: '约' + '2.7万' + '方', '15000' + '余' + '份', '98' + '%' + '以上'."""
        if self.place == "before_number":
            return f"{self.text}{number}{measure}"
        if self.place == "after_number":
            return f"{number}{self.text}{measure}"
        return f"{number}{measure}{self.text}"


QUALIFIERS: dict[str, Qualifier] = {
    q.text: q
    for q in (
        Qualifier("余", "more_than", "after_number", "实际数略多于所写数字"),
        Qualifier("超", "more_than", "before_number", "实际数超过所写数字"),
        Qualifier("以上", "at_least", "after_measure", "实际数不低于所写数字"),
        Qualifier("不少于", "at_least", "before_number", "实际数不低于所写数字；多为工作要求，不是结果"),
        Qualifier("约", "approx", "before_number", "约数，实际数接近所写数字"),
        Qualifier("近", "at_most", "before_number", "接近但不到所写数字"),
        Qualifier("达", "exact", "before_number", "达到所写数字；核对时按所写的位数四舍五入，100%须全部达到"),
        Qualifier("均为", "exact", "before_number", "几个指标数值相同"),
        Qualifier("全部", "exact", "before_number", "全部完成，数字即总数"),
    )
}


# Qualifiers that speak of the work, not of the number (依法拆除辖区全部约2.7万方…, 覆盖率均为100%): a page
# marks the number out (约2.7万方) and leaves these words in the clause's plain text.
WORK_WORDS = ("全部", "均为")


def number_start(expr: str) -> int:
    """Where the number part of a figure as written begins: after its leading work words (全部约2.7万方 → 2),
    0 when there are none or nothing numeric would be left."""
    at = 0
    for word in WORK_WORDS:
        if expr.startswith(word, at):
            at += len(word)
    return at if at < len(expr) else 0


def written(number: str, qualifier: str | None, measure: str) -> str:
    """A figure written out with its qualifier in its place; an unknown or empty qualifier is left out."""
    known = QUALIFIERS.get(qualifier or "")
    return known.write(number, measure) if known else f"{number}{measure}"


def is_inexact(qualifier: str | None) -> bool:
    """Does the qualifier leave the figure's exact value open (15000余份, 约2.7万方, 98%以上)? Then a difference
    between two such figures is not known, and a target must not read them as exact."""
    known = QUALIFIERS.get(qualifier or "")
    return known is not None and known.bound != "exact"
