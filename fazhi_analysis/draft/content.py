"""The year's 法治政府建设年度报告 drafted from the data, in the town's own words, for the office to finish.

It reads the same year model as the HTML page (analysis/report_year.py), so the two never disagree: the
report's parts and its sub-headings with their own numbering; under each, the clauses that state figures,
verbatim; figures whose clause is not held in one marked paragraph 【据填报数据，请改写为正文】, never a
sentence of the tool's. What the data cannot say is a visible 【待补充：…】 gap; what it only suggests is
marked 【建议，请核实】 or 【建议目标】, the same suggestions as the page. Nothing is invented: no fact, no number,
no name.
"""

from ..analysis import suggestions
from ..analysis.report_year import PartView, ReportYear, Section, build_report_year
from ..data.bodies import Body
from ..data.dataset import Dataset
from ..data.formatting import labelled
from ..data.vocabulary import heading2_number, list_item, without_own_number
from ..wording import say
from .document import Closing, Draft, Heading1, Heading2, Paragraph, Placeholder, Suggestion, SuggestionKind


def draft_for(dataset: Dataset, body: Body, year: int) -> Draft:
    """The draft an office would start from: the year's own report when its text is held; else last year's
    report carried forward to this year's figures; else, with no text at all, the draft from the data."""
    from .from_text import carried_forward_draft, own_report_draft

    report = build_report_year(dataset, body, year)
    if report.report_text:
        return own_report_draft(report, report.body.office_name)
    earlier_text = dataset.report_text(body, year - 1)
    if earlier_text:
        return carried_forward_draft(dataset, report, year - 1, earlier_text, report.body.office_name)
    return build_draft(dataset, report)


def has_text_to_start_from(dataset: Dataset, body: Body, year: int) -> bool:
    """Is the year's own report, or last year's, held? (`fazhi batch --draft` drafts only those.)"""
    return bool(dataset.report_text(body, year) or dataset.report_text(body, year - 1))


def build_draft(dataset: Dataset, report: ReportYear) -> Draft:
    """The data-only draft: for a body whose report text is held for neither this year nor last."""
    year = report.year
    proposals = suggestions.targets(dataset, report)
    blocks: list = [Paragraph((Placeholder(say("draft.overview_gap")), say("draft.opening", year=year)))]
    blocks.append(Heading1(say("draft.part1", year=year)))
    blocks += _figure_sections(report.parts["measures"], topic_headings=True)
    if report.missing:
        blocks.append(Paragraph((Placeholder(say("draft.missing_gap", items="、".join(report.missing))),)))
    blocks.append(Heading1(say("draft.part2", year=year)))
    blocks.append(Paragraph((Placeholder(say("draft.responsible_gap")),)))
    blocks += _figure_sections(report.parts["first_responsible"])
    blocks.append(Heading1(say("draft.part3", year=year)))
    blocks += _own_or_gap(report.parts["shortcomings"], say("draft.shortcomings_gap"))
    blocks += [Paragraph((list_item(i + 1), Suggestion(p.with_basis + "。", _kind(p))))
               for i, p in enumerate(suggestions.shortcomings(report))]
    blocks.append(Heading1(say("draft.part4", next=year + 1)))
    blocks += _own_or_gap(report.parts["next_year"], say("draft.plan_gap", next=year + 1))
    blocks += [Paragraph((list_item(i + 1), Suggestion(p.with_basis + "。", _kind(p))))
               for i, p in enumerate(proposals)]
    blocks.append(Heading1(say("draft.part5")))
    blocks += _own_or_gap(report.parts["other"], say("draft.other_gap"))
    title = say("draft.title", office=report.body.office_name, year=year)
    return Draft(title, tuple(blocks), Closing(report.body.office_name), year=year)


def _figure_sections(view: PartView, topic_headings: bool = False) -> list:
    """A second-level heading per sub-heading of the report, numbered as the report numbered it; a
    heading the report gave without a number (or, in part 一, a topic standing in for a missing heading)
    is numbered by its place. Each section's clauses form one paragraph."""
    blocks: list = []
    for number, section in enumerate(view.sections, start=1):
        title = section.heading or (section.title if topic_headings else "")
        if title:
            own = without_own_number(title)
            blocks.append(Heading2(title if own != title else f"{heading2_number(number)}{own}"))
        blocks += _section_paragraphs(section)
    return blocks


def _section_paragraphs(section: Section) -> list:
    out: list = []
    said = "".join(f"{q.text}。" for q in section.quotes)
    if said:
        out.append(Paragraph((said, Placeholder(say("draft.measures_gap", title=without_own_number(section.title))))))
    if len(section.unquoted):
        items = "；".join(labelled(r.label, r.expr) for r in section.unquoted.itertuples())
        out.append(Paragraph((Placeholder(say("draft.unquoted", items=items)),)))
    return out


def _own_or_gap(view: PartView, gap: str) -> list:
    if view.text is None:
        return [Paragraph((Placeholder(gap),))]
    return [Paragraph((line,)) for line in view.paragraphs]


def _kind(proposal: suggestions.Proposal) -> SuggestionKind:
    return SuggestionKind.VERIFY if proposal.kind == "verify" else SuggestionKind.TARGET
