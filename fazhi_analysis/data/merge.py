"""The one way rows enter data/observations.csv (`fazhi import` and `fazhi extract --merge`): plan what
would change, refuse to change a stored value unless asked, validate the merged table as the loader
would, and write it atomically, all under a lock on the data directory, so two writers at once never
lose each other's rows (the second waits for the first and then reads what it wrote)."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..atomic import commit_files, tidy_dead_temporaries, write_text_atomic
from ..errors import DataError, Problem, display_path
from ..locks import data_lock
from .csv_input import fold_width, normalise_name, normalise_text, parse_number, parse_year, read_text_table
from .formatting import fmt_number
from .layout import OBSERVATION_COLUMNS
from .names import typo_of
from .qualifiers import written
from .sources import registered_sources


@dataclass(frozen=True)
class Incoming:
    """One row to merge, as data/ stores it, and where its typist sees it (workbook or draft row)."""

    row: int
    record: dict[str, str]


@dataclass(frozen=True)
class Change:
    row: int
    body: str
    year: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class MergePlan:
    added: list[Incoming]
    changed: list[Change]
    unchanged: int
    merged: list[dict[str, str]]  # the whole observations table after the merge
    restated: list[Incoming] = ()  # stored figures that only gained their statement (no --replace needed)


def observation_key(record: dict[str, str]) -> tuple[str, str, str, str, str]:
    """What makes two rows the same observation: district, body, year, the item's label and measure word."""
    year = parse_year(record["year"])
    return (normalise_name(record["district"]), normalise_name(record["body"]),
            str(year) if year is not None else record["year"], normalise_text(record["label"]),
            fold_width(record["measure"]))


def shown(record: dict[str, str], with_statement: bool = False) -> str:
    """A stored figure for a change listing: the number and the expression as written (and its statement,
    when that is what changed)."""
    number = fmt_number(parse_number(record["value"]))
    said = f"，原文“{record.get('statement', '')}”" if with_statement else ""
    return f"{number}（{record['expr'] or written(number, record['qualifier'], '')}{said}）"


def plan_merge(incoming: list[Incoming], observations_path: Path, source: str) -> MergePlan:
    """What merging would do; nothing is written. Two incoming rows for one observation are an error."""
    current = read_text_table(observations_path, OBSERVATION_COLUMNS).to_dict("records")
    index = {observation_key(r): i for i, r in enumerate(current)}
    merged = [dict(r) for r in current]
    added, changed, restated, seen, problems = [], [], [], {}, []
    unchanged = 0
    for entry in incoming:
        key = observation_key(entry.record)
        if key in seen:
            problems.append(Problem(source, entry.row, "label", entry.record["label"], "unique_observation",
                                    f"与第{seen[key]}行是同一主体、年度、事项"))
            continue
        seen[key] = entry.row
        if key not in index:
            added.append(entry)
            merged.append(entry.record)
            continue
        old = merged[index[key]]
        if parse_number(old["value"]) == parse_number(entry.record["value"]) and \
                old["qualifier"] == entry.record["qualifier"] and \
                entry.record.get("statement", "") in ("", old.get("statement", "")):
            unchanged += 1
            continue
        if parse_number(old["value"]) == parse_number(entry.record["value"]) and \
                old["qualifier"] == entry.record["qualifier"] and not old.get("statement"):
            restated.append(entry)  # the same figure, now with the clause that states it
            merged[index[key]] = {**old, "statement": entry.record["statement"]}
            continue
        restating = parse_number(old["value"]) == parse_number(entry.record["value"])  # only the clause differs
        changed.append(Change(entry.row, entry.record["body"], entry.record["year"], entry.record["label"],
                              shown(old, restating), shown(entry.record, restating)))
        merged[index[key]] = entry.record
    if problems:
        raise DataError(f"{source} 有 {len(problems)} 个问题，未写入", problems)
    return MergePlan(added, changed, unchanged, merged, restated)


def known_names(data_dir: Path) -> dict[str, set[str]]:
    """Province, district and body names already in data/, so a lookalike is refused beside the real one."""
    current = read_text_table(data_dir / paths.OBSERVATIONS_FILE, OBSERVATION_COLUMNS)
    return {column: {normalise_name(n) for n in current[column]} for column in ("province", "district", "body")}


def typo_problems(incoming: list[Incoming], current: list[dict[str, str]], source: str) -> list[Problem]:
    """A body not in the data whose name is one or two characters from a body of the same district
    (云领镇 beside 云岭镇) is a typo until the user says otherwise (`--new-body`): one problem per name."""
    known: dict[str, set[str]] = {}
    for record in current:
        known.setdefault(normalise_name(record["district"]), set()).add(normalise_name(record["body"]))
    problems, seen = [], set()
    for entry in incoming:
        district, body = normalise_name(entry.record["district"]), normalise_name(entry.record["body"])
        guess = typo_of(body, known.get(district, ()))
        if guess and (district, body) not in seen:
            seen.add((district, body))
            problems.append(Problem(source, entry.row, "body", body, "body_known",
                                    f"{district}没有“{body}”。是否指 {guess}？是笔误请改正；确是新主体请加 --new-body"))
    return problems


def merge_into(data_dir: Path, incoming: list[Incoming], catalogue, source: str, replace_values: bool,
               verb_zh: str = "导入", new_body: bool = False, reports: list | None = None) -> MergePlan:
    """Plan, refuse changes unless `replace_values`, refuse a body name that looks like a typo of a known
    one unless `new_body`, validate and write: under the data directory's lock. `reports` (`KeptReport`s)
    are registered in the same commit: their text kept under raw/ and a sources.csv row each."""
    observations_path = data_dir / paths.OBSERVATIONS_FILE
    with data_lock(data_dir):
        for folder in (observations_path.resolve().parent, data_dir / "raw"):  # what merges that died left
            tidy_dead_temporaries(folder)
        if not new_body:
            current = read_text_table(observations_path, OBSERVATION_COLUMNS).to_dict("records")
            typos = typo_problems(incoming, current, source)
            if typos:
                raise DataError(f"{source} 中有疑似笔误的主体名称，未{verb_zh}", typos)
        plan = plan_merge(incoming, observations_path, source)
        if plan.changed and not replace_values:
            raise DataError(f"{source} 会改动 {len(plan.changed)} 个已有数值，未{verb_zh}；确认无误请加 --replace", [
                Problem(source, c.row, "value", c.new, "existing_value_kept",
                        f"{c.body}{c.year}年 {c.label} 现有 {c.old}") for c in plan.changed])
        if plan.added or plan.changed or plan.restated or reports:
            _validate_and_write(plan.merged, observations_path, catalogue, reports or [])
    return plan


def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv_atomic(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """A CSV written through `atomic`: readers never see half a file."""
    write_text_atomic(path, csv_text(columns, rows))


def _validate_and_write(merged: list[dict], observations_path: Path, catalogue, reports: list) -> None:
    """Validate the merged table in memory as the loader would, then replace the file atomically.

    A symlinked observations file (data kept on a shared drive) is written through: the link is
    resolved and the new file renamed into place next to its target, so the link stays a link."""
    import pandas as pd

    from .dataset import table_problems

    where = display_path(observations_path)
    target = observations_path.resolve()
    if observations_path.is_symlink() and not target.is_file():
        raise DataError(f"{where} 是指向 {target} 的链接，但目标不存在，未写入", [
            Problem(where, None, None, str(target), "symlink_target_exists", "请修复链接，或换成真实文件")])
    frame = pd.DataFrame([[r[c] for c in OBSERVATION_COLUMNS] for r in merged], columns=OBSERVATION_COLUMNS,
                         dtype=object)
    _, problems = table_problems(frame, catalogue, f"{where}（合并后）")
    if problems:
        raise DataError(f"合并后的 {where} 不能通过校验，未写入", problems)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OBSERVATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(merged)
    files = registered_sources(observations_path.parent, reports)[0] if reports else {}
    commit_files({**files, target: buffer.getvalue().encode("utf-8")})  # all of them, or none
