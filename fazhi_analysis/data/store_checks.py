"""The rules across rows, checked in SQL over the whole table once every row is in the store's staging
table: the same observation twice, two figures linked to one indicator, a part larger than its whole, a
total below its parts. Same rule ids and messages (`rules`) as the in-memory checks (`schema`, `dataset`)."""

from ..errors import Problem
from .rules import rule_zh
from .schema import UNIQUE_OBSERVATION

KEY = ", ".join(UNIQUE_OBSERVATION)
LISTED_DUPLICATES = 5  # rows named in a duplicate's message; a file of one row pasted 400,000 times says how many


def cross_row_problems(con, catalogue, files: list[str]) -> list[Problem]:
    """`obs` holds `seq` (file number and row, one order over several files) besides each file's own `row`."""
    def where(seq: int) -> tuple[str, int]:
        return files[seq >> 32], seq & 0xFFFFFFFF

    def also(seq: int, mine: int) -> str:
        file, row = where(seq)
        return f"第{row}行" if seq >> 32 == mine >> 32 else f"{file} 第{row}行"

    problems = _duplicates(con, where, also)
    con.execute("""CREATE TEMP TABLE firsts AS SELECT * FROM (
        SELECT *, min(seq) OVER (PARTITION BY district, body, year, indicator) AS first
        FROM obs WHERE indicator <> '' AND seq NOT IN (SELECT seq FROM dup)) WHERE seq = first""")
    once = con.execute("""SELECT seq, indicator, first FROM (
        SELECT seq, indicator, min(seq) OVER (PARTITION BY district, body, year, indicator) AS first
        FROM obs WHERE indicator <> '' AND seq NOT IN (SELECT seq FROM dup)) WHERE seq <> first""").fetchall()
    problems += [Problem(*where(seq), "indicator", key, "indicator_once",
                         rule_zh("indicator_once", where=also(first, seq))) for seq, key, first in once]
    for ind in catalogue.values():
        if ind.kind == "rate" and ind.numerator and ind.denominator:
            found = con.execute("""SELECT n.seq, n.value, d.value, d.seq FROM firsts n JOIN firsts d
                ON n.district = d.district AND n.body = d.body AND n.year = d.year
                WHERE n.indicator = ? AND d.indicator = ? AND n.value > d.value""",
                                [ind.numerator, ind.denominator]).fetchall()
            n, d = catalogue.get(ind.numerator), catalogue.get(ind.denominator)
            for seq, num, den, den_seq in found:
                why = rule_zh("part_within_whole", part=n.name_zh, part_value=f"{num:g}", whole=d.name_zh,
                              whole_value=f"{den:g}", where=also(den_seq, seq))
                problems.append(Problem(*where(seq), "value", f"{num:g}", "part_within_whole", why))
        if ind.kind == "total" and ind.components:
            marks = ", ".join("?" for _ in ind.components)
            found = con.execute(f"""SELECT t.seq, t.value, sum(c.value) FROM firsts t JOIN firsts c
                ON t.district = c.district AND t.body = c.body AND t.year = c.year
                WHERE t.indicator = ? AND c.indicator IN ({marks})
                GROUP BY t.seq, t.value HAVING t.value < sum(c.value)""", [ind.key, *ind.components]).fetchall()
            for seq, total, parts in found:
                problems.append(Problem(*where(seq), "value", f"{total:g}", "total_not_below_parts",
                                        rule_zh("total_not_below_parts", name=ind.name_zh, parts=f"{parts:g}")))
    return problems


def _duplicates(con, where, also) -> list[Problem]:
    """Every row of an observation that appears twice, each naming the others, as the schema reports them."""
    con.execute(f"""CREATE TEMP TABLE dup AS SELECT o.seq, o.value, {', '.join('o.' + c for c in UNIQUE_OBSERVATION)}
        FROM obs o JOIN (SELECT {KEY} FROM obs GROUP BY {KEY} HAVING count(*) > 1) k USING ({KEY})""")
    rows = con.execute(f"SELECT seq, value, {KEY} FROM dup ORDER BY seq").fetchall()
    groups: dict[tuple, list[tuple[int, float]]] = {}
    for seq, value, *key in rows:
        groups.setdefault(tuple(key), []).append((seq, value))
    problems = []
    for key, members in groups.items():
        shown_key = " / ".join(str(k) for k in key)
        more = f"等共{len(members)}行" if len(members) > LISTED_DUPLICATES else ""
        for seq, _ in members:
            listed = "、".join(f"{also(s, seq)} 数值 {v:g}" for s, v in members[:LISTED_DUPLICATES])
            problems.append(Problem(*where(seq), KEY, shown_key, "unique_observation",
                                    rule_zh("unique_observation", listed=listed + more)))
    return problems
