"""What kind of figure a number is: a result of the year, a target the report commits to, a change
against another year, or other (a rule such as 每年不少于4次). Only results are merged as observations;
targets and changes are listed for the reviewer with their kind and skipped at merge with the reason.
The cue words live in `data.vocabulary` (the pages find part 四's commitments with the same words).

- target: in part 四 (next_year), or a target cue (力争, 确保, 计划, 目标 …) before the number in its clause,
  or in the clause before it when that clause's figure is itself a target (力争…达到100%，…不少于20场);
- change: a comparison (同比, 较上年 …) before the number in its clause, or a direction (增长, 下降 …) right
  before it that is not followed by 到/至 (提高到98% is a level, a result);
- other: a rule, not a result (the `norm` flag: 每年…不少于).
Dates, document numbers, ages and article numbers are never figures (`figures`), so never listed.
"""

import re

from ..data.vocabulary import CHANGE_COMPARISONS, CHANGE_DIRECTIONS, TARGET_CUES

_TARGET = re.compile("|".join(map(re.escape, TARGET_CUES)))
# with the year or period it names: 较2022年, 比上年同期, 与去年相比
_COMPARISON = re.compile("(?:" + "|".join(map(re.escape, CHANGE_COMPARISONS)) + r")(?:[0-9]*年度?)?(?:同期)?(?:相比)?")
_DIRECTION = re.compile("(?:" + "|".join(map(re.escape, sorted(CHANGE_DIRECTIONS, key=len, reverse=True)))
                        + r")\s*$")


def figure_kind(folded: str, clause_start: int, start: int, part: str, flags: tuple[str, ...],
                previous_clause_target: bool) -> str:
    """result / target / change / other for the figure whose expression starts at `start`."""
    before = folded[clause_start:start]
    if _COMPARISON.search(before) or _DIRECTION.search(before):
        return "change"
    if part == "next_year" or _TARGET.search(before) or previous_clause_target:
        return "target"
    return "other" if "norm" in flags else "result"


def change_start(folded: str, clause_start: int, start: int) -> int:
    """Where a change's expression starts: the comparison and direction right before the number are part
    of what it says (同比下降12%, 较上年减少25件), so the expression keeps them."""
    before = folded[clause_start:start]
    direction = _DIRECTION.search(before)
    at = direction.start() if direction else start
    comparison = next(reversed(list(_COMPARISON.finditer(before))), None)
    if comparison and comparison.end() >= (direction.start() if direction else len(before)) - 2:
        at = clause_start + comparison.start()
    elif direction:
        at = clause_start + direction.start()
    return at
