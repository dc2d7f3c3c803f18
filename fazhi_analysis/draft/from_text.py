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
from ..data.formatting import change_words, labelled, written_like
from ..data.statements import figure_spans
from ..data.structure import part_text
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
    return Draft("\n".join(title) or office, tuple(out), Closing(office))


@dataclass
class _Slot:
    """A drafted block and where it stands: its mandated part and the sub-heading above it."""

    part: str
    heading: str  # the sub-heading above, without its number ("" before the first)
    block: object


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
        figures = _figures_in(block.text, earlier, now, earlier_year, year, placed)
        moved = [_Piece(s, e, new) for s, e, new in year_edits(block.text, years)
                 if not any(f.start <= s < f.end for f in figures)]
        events = [_Piece(e, e, Marker(say("draft.one_off"))) for s, e in sentence_ends(block.text)
                  if is_one_off(block.text[s:e])]
        plain = any(not any(s <= f.start < e for f in figures) for s, e in sentence_ends(block.text))
        notes = (say("draft.carried", year=earlier_year),) if plain else ()
        slots.append(_Slot(block.part, heading, Paragraph(_runs(block.text, figures + moved + events), notes)))
    _add_new_items(slots, report, placed)
    _add_suggestions(slots, dataset, report)
    _add_checklist(slots, earlier_text, earlier_year)
    return Draft(move_years("\n".join(title), years) or office, tuple(s.block for s in slots), Closing(office))


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


def _figures_in(text: str, earlier: pd.DataFrame, now, earlier_year: int, year: int,
                placed: set[tuple[str, str]]) -> list[_Piece]:
    """Last year's figures that stand in this paragraph, each replaced by this year's same item or marked."""
    pieces = []
    quoted = earlier[earlier["statement"] != ""]
    for statement, rows in quoted.groupby("statement", sort=False):
        for at in _all(text, statement)[:1]:
            for row, span in zip(rows.itertuples(), figure_spans(statement, list(rows["expr"])), strict=True):
                if span is None:
                    continue
                current = now(row)
                start, end = at + span[0], at + span[1]
                if current is None:
                    run = Placeholder(say("draft.figure_missing", year=year, earlier=earlier_year, expr=row.expr))
                else:
                    placed.add((current.label, current.measure))
                    new = written_like(row.expr, current.value, current.measure, current.qualifier or None,
                                       current.expr)
                    change = change_words(current.value - row.value, current.measure)
                    run = Noted(new, say("draft.figure_changed", earlier=earlier_year, expr=row.expr, change=change),
                                highlight=True)
                pieces.append(_Piece(start, end, run))
    return pieces


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


def _add_new_items(slots: list[_Slot], report: ReportYear, placed: set) -> None:
    """This year's figures with no place in last year's text, under their sub-heading (else at the end of
    their part, else of part 一): in the clause the clerk gave, or as a line to write up."""
    figures = report.stats.figures
    for row in figures[[(r.label, r.measure) not in placed for r in figures.itertuples()]].itertuples():
        if row.statement:
            paragraph = Paragraph((row.statement + "。",), (say("draft.new_item_stated", year=report.year),))
        else:
            paragraph = Paragraph((Marker(say("draft.new_item", item=labelled(row.label, row.expr))),))
        part, heading = row.part, without_own_number(row.heading)
        at = next((found for found in (
            _after_last(slots, lambda s, p=part, h=heading: bool(h) and s.part == p and s.heading == h),
            _after_last(slots, lambda s, p=part: s.part == p),
            _after_last(slots, lambda s: s.part == "measures")) if found is not None), len(slots))
        slots.insert(at, _Slot(part, heading, paragraph))


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
    """Last year's part-四 promises as comments on part 一's heading: what the 督察 reviewer checks."""
    notes = [say("draft.promise", year=earlier_year, promise=p)
             for p in suggestions.promises(part_text(earlier_text, "next_year"))]
    for slot in slots:
        if isinstance(slot.block, Heading1) and slot.part == "measures":
            slot.block = _with_notes(slot.block, notes)
            return


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
