"""The rules across rows, checked in SQL over the whole table once every row is in the store's staging
table: the same observation twice, two figures linked to one indicator, a part larger than its whole, a
total below its parts. Same rule ids and messages as the in-memory checks (`schema`, `dataset`)."""

from ..errors import Problem
from .rules import RULES_ZH
from .schema import UNIQUE_OBSERVATION

KEY = ", ".join(UNIQUE_OBSERVATION)


def cross_row_problems(con, catalogue, shown: str) -> list[Problem]:
    problems = _duplicates(con, shown)
    con.execute("""CREATE TEMP TABLE firsts AS SELECT * FROM (
        SELECT *, min(row) OVER (PARTITION BY district, body, year, indicator) AS first
        FROM obs WHERE indicator <> '' AND row NOT IN (SELECT row FROM dup)) WHERE row = first""")
    once = con.execute("""SELECT row, indicator, first FROM (
        SELECT row, indicator, min(row) OVER (PARTITION BY district, body, year, indicator) AS first
        FROM obs WHERE indicator <> '' AND row NOT IN (SELECT row FROM dup)) WHERE row <> first""").fetchall()
    problems += [Problem(shown, int(row), "indicator", key, "indicator_once",
                         f"{RULES_ZH['indicator_once']}（另见第{first}行）") for row, key, first in once]
    for ind in catalogue.values():
        if ind.kind == "rate" and ind.numerator and ind.denominator:
            found = con.execute("""SELECT n.row, n.value, d.value, d.row FROM firsts n JOIN firsts d
                ON n.district = d.district AND n.body = d.body AND n.year = d.year
                WHERE n.indicator = ? AND d.indicator = ? AND n.value > d.value""",
                                [ind.numerator, ind.denominator]).fetchall()
            n, d = catalogue.get(ind.numerator), catalogue.get(ind.denominator)
            for row, num, den, den_row in found:
                why = f"{n.name_zh}（{num:g}）不能多于{d.name_zh}（{den:g}，第{den_row}行）"
                problems.append(Problem(shown, int(row), "value", f"{num:g}", "part_within_whole", why))
        if ind.kind == "total" and ind.components:
            marks = ", ".join("?" for _ in ind.components)
            found = con.execute(f"""SELECT t.row, t.value, sum(c.value) FROM firsts t JOIN firsts c
                ON t.district = c.district AND t.body = c.body AND t.year = c.year
                WHERE t.indicator = ? AND c.indicator IN ({marks})
                GROUP BY t.row, t.value HAVING t.value < sum(c.value)""", [ind.key, *ind.components]).fetchall()
            for row, total, parts in found:
                problems.append(Problem(shown, int(row), "value", f"{total:g}", "total_not_below_parts",
                                        f"{ind.name_zh}小于其组成部分之和（{parts:g}）"))
    return problems


def _duplicates(con, shown: str) -> list[Problem]:
    """Every row of an observation that appears twice, each naming the others, as the schema reports them."""
    con.execute(f"""CREATE TEMP TABLE dup AS SELECT o.row, o.value, {', '.join('o.' + c for c in UNIQUE_OBSERVATION)}
        FROM obs o JOIN (SELECT {KEY} FROM obs GROUP BY {KEY} HAVING count(*) > 1) k USING ({KEY})""")
    rows = con.execute(f"SELECT row, value, {KEY} FROM dup ORDER BY row").fetchall()
    groups: dict[tuple, list[tuple[int, float]]] = {}
    for row, value, *key in rows:
        groups.setdefault(tuple(key), []).append((row, value))
    problems = []
    for key, members in groups.items():
        others = "、".join(f"第{r}行 数值 {v:g}" for r, v in members) + "，只能保留一行"
        shown_key = " / ".join(str(k) for k in key)
        problems += [Problem(shown, int(r), KEY, shown_key, "unique_observation",
                             RULES_ZH["unique_observation"] + "：" + others) for r, _ in members]
    return problems
