"""Drafts that start from a report's own text, as an office writes its report.

- `own_report_draft`: the year's own report is held (the seed for 2023): the draft is that report, every
  sentence verbatim, in 公文 layout; a figure the data holds differently is noted where it stands.
- `carried_forward_draft`: last year's report is held and this year's figures are entered: the clerk's
  way. Last year's parts, sub-headings (their own numbering) and sentences are kept; each figure is
  replaced by this year's same item (noted "2023年：54次；增加6次") or marked 【待补充：2024年数字（2023年为54次）】;
  year words move on (`years`); sentences without figures are noted 沿用2023年表述，请核实更新, one-off
  events 【请核实本年度是否开展】; part 一 carries last year's part-四 promises as a checklist; this year's
  new items go under their sub-heading; parts 三 and 四 add the page's marked suggestions.
"""

import re
from dataclasses import dataclass

import pandas as pd

from ..analysis import suggestions
from ..analysis.report_year import ReportYear
from ..analysis.year_statistics import same_item
from ..data.dataset import Dataset
from ..data.formatting import change_words, fmt_number, labelled, written_like
from ..data.qualifiers import is_inexact
from ..data.statements import figure_spans
from ..data.structure import closing_of, part_text
from ..data.vocabulary import without_own_number
from ..wording import say
from .document import (
    Closing,
    Draft,
    Heading1,
    Heading2,
    Marker,
    Noted,
    Paragraph,
    Placeholder,
    Suggestion,
    SuggestionKind,
)
from .report_text import read_report_text
from .years import is_one_off, move_years, sentence_ends, year_edits


@dataclass(frozen=True)
class _Piece:
    """A stretch of a paragraph replaced by something else (a moved year, a figure, a marker)."""

    start: int
    end: int
    run: object


def own_report_draft(report: ReportYear, office: str) -> Draft:
    text = report.report_text or ""
    title, blocks = read_report_text(text)
    notes = _data_differences(text, report.stats.figures)
    out: list = []
    for block in blocks:
        if block.kind != "paragraph":
            out.append(_heading(block.text, block.kind))
            continue
        pieces = [_Piece(at, at + len(clause), Noted(clause, note, highlight=True))
                  for clause, note in notes.items() for at in _all(block.text, clause)]
        out.append(Paragraph(_runs(block.text, pieces)))
    unplaced = [note for clause, note in notes.items() if not _all(text, clause)]
    if unplaced and out:
        out[0] = _with_notes(out[0], unplaced)
    return Draft("\n".join(title) or office, tuple(out), _own_closing(text, office), year=report.year)


def _own_closing(text: str, office: str) -> Closing:
    """The report's own 落款 when it has one (青溪镇人民政府, 2025年1月15日), else the office and a date to fill."""
    import datetime

    closing = closing_of(text)
    if closing is None:
        return Closing(office)
    year, month, day = (int(n) for n in re.findall(r"\d+", closing[1]))
    return Closing(closing[0], datetime.date(year, month, day))


@dataclass
class _Slot:
    """A drafted block and where it stands: its mandated part and the sub-heading above it."""

    part: str
    heading: str  # the sub-heading above, without its number ("" before the first)
    block: object
    carried: bool = False  # a paragraph holding sentences kept from last year's report as they were


def carried_forward_draft(dataset: Dataset, report: ReportYear, earlier_year: int, earlier_text: str,
                          office: str) -> Draft:
    year = report.year
    years = {earlier_year: year, year: year + 1}
    earlier = dataset.rows_of(report.body, earlier_year)
    now = same_item(dataset.rows_of(report.body, year))
    title, blocks = read_report_text(earlier_text)
    placed: set[tuple[str, str]] = set()  # (label, measure) of this year's figures put in last year's place
    slots: list[_Slot] = []
    heading = ""
    for block in blocks:
        if block.kind != "paragraph":
            heading = without_own_number(block.text) if block.kind == "heading2" else ""
            slots.append(_Slot(block.part, heading, _heading(move_years(block.text, years), block.kind)))
            continue
        figures = _figures_in(block.text, earlier, now, (dataset, report, earlier_year), placed)
        # last year's 不足 stay dated as written under their mark: a clerk who deletes only the mark then sends
        # a visibly wrong year, not last year's shortcomings silently re-dated as this year's (a reviewer)
        moved = [] if block.part == "shortcomings" else [
            _Piece(s, e, new) for s, e, new in year_edits(block.text, years)
            if not any(f.start <= s < f.end for f in figures)]
        events = [_Piece(e, e, Marker(say("draft.one_off"))) for s, e in sentence_ends(block.text)
                  if is_one_off(block.text[s:e])]
        plain = any(not any(s <= f.start < e for f in figures) for s, e in sentence_ends(block.text))
        slots.append(_Slot(block.part, heading, Paragraph(_runs(block.text, figures + moved + events)), plain))
    _add_new_items(slots, report, placed, part_text(earlier_text, "next_year") or "")
    _note_carried(slots, earlier_year)
    _add_suggestions(slots, dataset, report)
    _add_checklist(slots, earlier_text, earlier_year)
    return Draft(move_years("\n".join(title), years) or office, tuple(s.block for s in slots), Closing(office),
                 year=year)


def _note_carried(slots: list[_Slot], earlier_year: int) -> None:
    """One note per sub-heading (or part) whose sentences are carried over as they were, on its heading;
    parts 三 and 四 get what the reviewer asks of them: last year's 不足 answered, last year's 安排 renewed."""
    specific = {"shortcomings": say("draft.carried_shortcomings", year=earlier_year),
                "next_year": say("draft.carried_plan", year=earlier_year)}
    noted: set[int] = set()
    for i, slot in enumerate(slots):
        if not slot.carried:
            continue
        at = next((j for j in range(i, -1, -1) if isinstance(slots[j].block, Heading1 | Heading2)), i)
        if isinstance(slots[at].block, Heading2) or at == i:
            note = say("draft.carried", year=earlier_year)
        else:
            note = specific.get(slots[at].part, say("draft.carried", year=earlier_year))
        if at not in noted:
            slots[at].block = _with_notes(slots[at].block, [note])
            noted.add(at)
    _mark_rewritten_parts(slots, earlier_year)


def _mark_rewritten_parts(slots: list[_Slot], earlier_year: int) -> None:
    """Parts 三 and 四 of last year stand under this year's headings: a mark in the text (a comment alone
    is lost when the clerk deletes all comments or pastes into the office system, and last year's plan
    would go out as this year's) says they are last year's, to be rewritten."""
    marks = {"shortcomings": say("draft.carried_shortcomings_mark", year=earlier_year, next=earlier_year + 1),
             "next_year": say("draft.carried_plan_mark", year=earlier_year, next=earlier_year + 1,
                              after=earlier_year + 2)}
    for i in range(len(slots) - 1, -1, -1):
        slot = slots[i]
        if isinstance(slot.block, Heading1) and slot.part in marks and i + 1 < len(slots) \
                and slots[i + 1].part == slot.part:
            slots.insert(i + 1, _Slot(slot.part, "", Paragraph((Marker(marks[slot.part]),))))


# ---- pieces of a paragraph ------------------------------------------------------------------------------


def _runs(text: str, pieces: list[_Piece]) -> tuple:
    """The paragraph's text with its pieces put in, plain text merged."""
    runs: list = []
    at = 0
    for piece in sorted(pieces, key=lambda p: (p.start, p.end)):
        if piece.start < at:
            continue  # overlaps one already put in
        if piece.start > at:
            runs.append(text[at:piece.start])
        runs.append(piece.run)
        at = piece.end
    runs.append(text[at:])
    merged: list = []
    for run in runs:
        if isinstance(run, str) and merged and isinstance(merged[-1], str):
            merged[-1] += run
        elif run != "":
            merged.append(run)
    return tuple(merged)


def _figures_in(text: str, earlier: pd.DataFrame, now, context, placed: set[tuple[str, str]]) -> list[_Piece]:
    """Last year's figures that stand in this paragraph, each replaced by this year's same item or marked."""
    dataset, report, earlier_year = context
    pieces = []
    quoted = earlier[earlier["statement"] != ""]
    for statement, rows in quoted.groupby("statement", sort=False):
        for at in _all(text, statement)[:1]:
            for row, span in zip(rows.itertuples(), figure_spans(statement, list(rows["expr"])), strict=True):
                if span is not None:
                    current = now(row)
                    if current is not None:
                        placed.add((current.label, current.measure))
                    run = _replaced(row, current, dataset, report, earlier_year)
                    pieces.append(_Piece(at + span[0], at + span[1], run))
    return pieces


def _replaced(row, current, dataset: Dataset, report: ReportYear, earlier_year: int):
    """This year's figure in last year's place, noted with last year's; or the mark asking for it."""
    year = report.year
    if current is None:
        if row.qualifier == "全部" or "全部" in row.expr:  # a work finished last year: perhaps nothing this year
            return Marker(say("draft.figure_done", earlier=earlier_year, expr=row.expr))
        worked = _rate_from_counts(row.indicator, dataset, report)
        return Placeholder(say("draft.figure_missing", year=year, earlier=earlier_year, expr=row.expr) + worked)
    new = written_like(row.expr, current.value, current.measure, current.qualifier or None, current.expr)
    if new == row.expr:
        note = say("draft.figure_same", earlier=earlier_year, expr=row.expr, year=year, new=new)
    elif is_inexact(row.qualifier) or is_inexact(current.qualifier) or not any(c.isdigit() for c in row.expr):
        note = say("draft.figure_inexact", earlier=earlier_year, expr=row.expr, year=year, new=new)
    else:
        note = say("draft.figure_changed", earlier=earlier_year, expr=row.expr, year=year, new=new,
                   change=change_words(current.value - row.value, current.measure))
    return Noted(new, note, highlight=True)


def _rate_from_counts(indicator: str, dataset: Dataset, report: ReportYear) -> str:
    """For a rate left out this year: what this year's own counts give, when the catalogue names both."""
    ind = dataset.catalogue.get(indicator) if indicator else None
    if ind is None or ind.kind != "rate" or not ind.numerator:
        return ""
    num, den = report.stats.value(ind.numerator), report.stats.value(ind.denominator)
    if num is None or not den:
        return ""
    return say("draft.rate_from_counts", num=f"{num:g}", den=f"{den:g}", pct=fmt_number(100 * num / den))


def _all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part) if part else -1
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def _heading(text: str, kind: str):
    return Heading1(text) if kind == "heading1" else Heading2(text)


def _with_notes(block, notes: list[str]):
    if isinstance(block, Paragraph):
        return Paragraph(block.runs, block.notes + tuple(notes))
    return type(block)(block.text, block.notes + tuple(notes))


# ---- what the year adds --------------------------------------------------------------------------------


def _add_new_items(slots: list[_Slot], report: ReportYear, placed: set, earlier_plan: str) -> None:
    """This year's figures with no place in last year's text, at the end of the last paragraph under their
    sub-heading (else of their part, else of part 一): in the clause the clerk gave, noted, or as a mark
    asking for a sentence. A figure of work last year's part 四 planned says which plan it answers."""
    figures = report.stats.figures
    for row in figures[[(r.label, r.measure) not in placed for r in figures.itertuples()]].itertuples():
        planned = _planned_phrase(earlier_plan, row.label)
        stated = (say("draft.new_item_planned", year=report.year, earlier=report.year - 1, phrase=planned)
                  if planned else say("draft.new_item_stated", year=report.year, earlier=report.year - 1))
        run = (Noted(row.statement + "。", stated, highlight=True) if row.statement else
               Marker(say("draft.new_item", item=labelled(row.label, row.expr), label=row.label,
                          earlier=report.year - 1)))
        part, heading = row.part, without_own_number(row.heading)
        at = next((found for found in (
            _after_last(slots, lambda s, p=part, h=heading: bool(h) and s.part == p and s.heading == h),
            _after_last(slots, lambda s, p=part: s.part == p),
            _after_last(slots, lambda s: s.part == "measures")) if found is not None), len(slots))
        last = slots[at - 1] if at else None
        if last is not None and isinstance(last.block, Paragraph) and last.part == part:
            last.block = Paragraph(last.block.runs + (run,), last.block.notes)
        else:
            slots.insert(at, _Slot(part, heading, Paragraph((run,))))


def _planned_phrase(plan: str, label: str) -> str:
    """The phrase of last year's part 四 that names the item (开展法律知识竞赛、播放典型案例片等方式…), or ""."""
    if not label:
        return ""
    return next((piece.strip() for piece in re.split(r"[，。；]", plan) if label in piece), "")


def _after_last(slots: list[_Slot], wanted) -> int | None:
    found = [i for i, slot in enumerate(slots) if wanted(slot)]
    return found[-1] + 1 if found else None


def _add_suggestions(slots: list[_Slot], dataset: Dataset, report: ReportYear) -> None:
    """The page's marked suggestions at the end of parts 三 and 四."""
    for part, proposals in (("shortcomings", suggestions.shortcomings(report)),
                            ("next_year", suggestions.targets(dataset, report))):
        at = _after_last(slots, lambda s, part=part: s.part == part)
        if at is None:
            continue
        for proposal in reversed(proposals):
            kind = SuggestionKind.VERIFY if proposal.kind == "verify" else SuggestionKind.TARGET
            slots.insert(at, _Slot(part, "", Paragraph((Suggestion(proposal.with_basis + "。", kind),))))


def _add_checklist(slots: list[_Slot], earlier_text: str, earlier_year: int) -> None:
    """Last year's part-四 promises as comments where this year's work on them is reported: under the
    sub-heading that shares words with the promise's own item (三是强化矛盾纠纷化解 → （四）加强纠纷化解) when
    one does, the paragraph of parts 一 and 二 sharing most words with the promise; else on part 一's
    heading. What the 督察 reviewer checks."""
    plan = part_text(earlier_text, "next_year")
    tests = {c.sentence: c.phrase for c in suggestions.commitments(plan)}
    for promise in suggestions.promises(plan):
        note = say("draft.promise", year=earlier_year, promise=promise)
        words = _bigrams(tests.get(promise, promise))
        item = _bigrams(_item_lead(plan, promise))
        candidates = [i for i, s in enumerate(slots)
                      if s.part in ("measures", "first_responsible") and isinstance(s.block, Paragraph)]
        under_item = [i for i in candidates if len(item & _bigrams(slots[i].heading)) >= MIN_ITEM_BIGRAMS]
        scored = [(len(words & _bigrams(_text_of(slots[i].block))), i) for i in under_item or candidates]
        best = max(scored, default=(0, -1))
        at = best[1] if best[0] >= MIN_SHARED_BIGRAMS or (under_item and best[1] >= 0) else next(
            (i for i, s in enumerate(slots) if isinstance(s.block, Heading1) and s.part == "measures"), None)
        if at is not None:
            slots[at].block = _with_notes(slots[at].block, [note])


MIN_SHARED_BIGRAMS = 3  # 行政执法人员考试 shares 7 with its paragraph; a stray 法治 shares 1
MIN_ITEM_BIGRAMS = 2  # 强化矛盾纠纷化解 and 加强纠纷化解 share 纠纷、化解; a stray 加强 is 1


def _item_lead(plan: str, promise: str) -> str:
    """The lead of the numbered item a promise belongs to (三是强化矛盾纠纷化解), or "" without one."""
    paragraph = next((p for p in plan.splitlines() if promise in p), "")
    lead = paragraph.split("。", 1)[0]
    return lead if lead != promise else ""


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if all("\u4e00" <= c <= "\u9fff" for c in text[i:i + 2])}


def _text_of(block) -> str:
    return "".join(r if isinstance(r, str) else getattr(r, "text", "") for r in block.runs)


def _data_differences(text: str, rows: pd.DataFrame) -> dict[str, str]:
    """The report's clauses holding a figure the data holds otherwise, and the note to put on each. The
    data's clause is looked for as written, then with its numbers free (调解成功238件 where the data says
    230件): each of its figures not in the report's clause is named. A figure found nowhere keys its note by
    its own wording (the note then goes on the draft's first block)."""
    notes: dict[str, list[str]] = {}
    for statement, group in rows.groupby("statement", sort=False):
        if statement and statement in text:
            continue
        clause = _clause_like(text, statement) if statement else None
        for row in group.itertuples():
            if clause is not None and row.expr in clause:
                continue
            if clause is None and not statement and row.expr in text:
                continue  # entered without its clause, and the report does state it
            notes.setdefault(clause or statement or row.expr, []).append(
                say("draft.data_differs", label=row.label, expr=row.expr))
    return {clause: "；".join(said) for clause, said in notes.items()}


def _clause_like(text: str, statement: str) -> str | None:
    """The report's clause that reads as `statement` but for its numbers."""
    pattern = re.escape(statement)
    for number in sorted(set(re.findall(r"\d+(?:\.\d+)?", statement)), key=len, reverse=True):
        pattern = pattern.replace(re.escape(number), r"[\d.]+")
    found = re.search(pattern, text)
    return found.group(0) if found else None
