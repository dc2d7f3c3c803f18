"""Check what a report states against what its own figures imply.

A stated rate is checked only when the report gives both of its terms (catalogue numerator and
denominator); otherwise it is *unverifiable* and never recomputed from other figures — a district
report gives 37 出庭 of 90 应诉案件 and rightly states 出庭应诉率 100 %, because the denominator is
the cases that required appearance. Rounding and the qualifier are honoured: 98%以上 means ≥ 98.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..data.qualifiers import QUALIFIERS
from ..wording import say

Status = Literal["consistent", "inconsistent", "unverifiable"]
STATUS_ZH = {"consistent": "相符", "inconsistent": "不符", "unverifiable": "未作核对"}
APPROX_TOLERANCE_PCT = 1.0  # 约98% accepts 97–99 %
NEARLY_RANGE_PCT = 5.0  # 近98% accepts 93–98 %


@dataclass(frozen=True)
class Stated:
    """One stated figure: value with qualifier applied nowhere, and the expression as written."""

    value: float
    qualifier: str | None = None
    expr: str = ""


@dataclass(frozen=True)
class ClaimCheck:
    indicator: str
    status: Status
    stated: Stated
    computed: float | None  # the figure the report's own counts imply
    numerator: float | None
    denominator: float | None
    explanation_zh: str


def rounding_tolerance(stated: Stated) -> float:
    """Half a unit of the last digit written: '98%' → 0.5, '98.35%' → 0.005."""
    text = stated.expr or f"{stated.value:g}"
    digits = text.split(".", 1)[1] if "." in text else ""
    decimals = len(digits) - len(digits.lstrip("0123456789"))
    return 0.5 * 10 ** -decimals if digits else 0.5


def satisfies(computed: float, stated: Stated) -> bool:
    """Does the computed figure agree with the stated one under its qualifier and rounding?"""
    bound = QUALIFIERS[stated.qualifier].bound if stated.qualifier in QUALIFIERS else "exact"
    v, tol = stated.value, rounding_tolerance(stated)
    if bound in ("at_least", "more_than"):
        return computed >= v - 1e-9
    if bound == "approx":
        return abs(computed - v) <= max(tol, APPROX_TOLERANCE_PCT)
    if bound == "at_most":
        return v - NEARLY_RANGE_PCT <= computed <= v + tol
    if v == 100:  # 100% (达100%) says all of them: 99.6% is not all, whatever rounding would make of it
        return computed >= v - 1e-9
    return abs(computed - v) <= tol + 1e-9


def check_rate(indicator, stated: Stated, figures: Mapping[str, float], names: Mapping[str, str]) -> ClaimCheck:
    """Check one stated rate (an Indicator of kind 'rate') against the counts in `figures`. Wording is for
    a reader: 调解成功率238÷242＝98.35%，与“达98%以上”相符; or 报告未同时列出计算…所需的数字，未作核对."""
    num_key, den_key = indicator.numerator, indicator.denominator
    as_stated = stated.expr or f"{stated.value:g}%"
    if not num_key or not den_key:  # the catalogue names no counts to check it with: never guess them
        return ClaimCheck(indicator.key, "unverifiable", stated, None, None, None,
                          say("check.no_terms", name=names.get(indicator.key, indicator.key)))
    if num_key not in figures or den_key not in figures:
        missing = "、".join(names.get(k, k) for k in (num_key, den_key) if k not in figures)
        return ClaimCheck(indicator.key, "unverifiable", stated, None, figures.get(num_key),
                          figures.get(den_key), say("check.no_base", base=missing))
    num, den = figures[num_key], figures[den_key]
    if den == 0 or math.isnan(den):
        return ClaimCheck(indicator.key, "unverifiable", stated, None, num, den, say("check.zero_base"))
    computed = 100.0 * num / den
    shown = f"{computed:.2f}".rstrip("0").rstrip(".")
    formula = say("check.formula", name=names.get(indicator.key, indicator.key), num=f"{num:g}", den=f"{den:g}",
                  computed=shown)
    status: Status = "consistent" if satisfies(computed, stated) else "inconsistent"
    return ClaimCheck(indicator.key, status, stated, computed, num, den,
                      say(f"check.{status}", formula=formula, stated=as_stated))


def check_total(indicator, stated: Stated, figures: Mapping[str, float], names: Mapping[str, str]) -> ClaimCheck:
    """A stated total against its parts: it may exceed them (parts not all listed), never fall below."""
    parts = {k: figures[k] for k in indicator.components if k in figures}
    if not parts:
        return ClaimCheck(indicator.key, "unverifiable", stated, None, None, None, say("check.no_parts"))
    total = sum(parts.values())
    listing = "、".join(f"{names.get(k, k)}{v:g}" for k, v in parts.items())
    status: Status = "consistent" if stated.value >= total - 1e-9 else "inconsistent"
    verdict = "不少于" if status == "consistent" else "少于"
    return ClaimCheck(indicator.key, status, stated, total, None, None,
                      say("check.total", total=f"{stated.value:g}", verdict=verdict, listing=listing, sum=f"{total:g}"))


def check_claims(catalogue, stated: Mapping[str, Stated]) -> list[ClaimCheck]:
    """Every stated rate and total of one body-year, in catalogue order."""
    figures = {k: s.value for k, s in stated.items()}
    names = {k: i.name_zh for k, i in catalogue.items()}
    checks = []
    for key, ind in catalogue.items():
        if key not in stated:
            continue
        if ind.kind == "rate" and (ind.numerator or ind.base_zh):  # a weight or a share of nothing named: no check
            checks.append(check_rate(ind, stated[key], figures, names))
        elif ind.kind == "total":
            checks.append(check_total(ind, stated[key], figures, names))
    return checks
