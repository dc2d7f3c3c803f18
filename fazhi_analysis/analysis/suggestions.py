"""Suggestions for parts 三 (不足和原因) and 四 (下一年度安排) that a 书记 can check against a source he
accepts, each marked for the office to verify: the HTML page and the Word draft show the same list.

Part 三 is the town's own 不足, quoted from its text; the figures add only what they show plainly: an item
that fell against last year's same item. What the data lacks is a note in 说明, not a 不足.

Part 四 suggestions come from two sources only:
- the report's own part-四 commitments that numbers can test (要求年轻干部全部参加…考试, 提升法治宣传的频次,
  增加接访下访次数), quoted, with what to count;
- the same indicator among the bodies of the same district (中位数), for activities held (次, 场, 期).
Never a formula (每月1次), never a target for a figure written 累计 or with 余/约/超/近/以上 as if it were
exact, never one for what should be zero (事故), a one-off work (拆除), a standing structure (调委会) or a
caseload (纠纷件数): more of those is not better.
"""

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..data.dataset import Dataset
from ..data.formatting import labelled
from ..data.qualifiers import is_inexact
from ..data.statements import STATEMENT_BREAK
from ..data.structure import topic_of_heading
from ..data.vocabulary import ACTIVITY_MEASURES, CN_DIGITS, MEASURE_KINDS, TARGET_CUES
from ..wording import say
from .peers import peer_standing
from .report_year import ReportYear

Kind = Literal["verify", "target"]
ACTIVITY_TOPICS = ("legal_education", "study")
# A part-四 clause whose promise a number can test: all of a group (全部参加), a frequency (频次), a count
# (次数). Only the clause between commas is quoted, so the suggestion names exactly what was promised.
_ALL = re.compile(r"全部|全员|100%|百分之百")
_MORE = re.compile(r"频次|次数")
_MEASURE_WORDS = "|".join(sorted(MEASURE_KINDS, key=len, reverse=True))
_FIGURE = re.compile(rf"[\d{CN_DIGITS}十百千万]+(?:\.\d+)?(?:余|多)?(?:{_MEASURE_WORDS})")  # 不少于40场
_PROMISE_VERBS = ("要求", "提升", "提高", "增加", "组织", "实现", "确保", "力争", *TARGET_CUES)
_CLAUSE = re.compile(r"[，,；;。！!？?\n]")
_ITEM = re.compile(r"^([一二三四五六七八九十]+是)([^。；]*)")


@dataclass(frozen=True)
class Proposal:
    """A sentence the office may adopt once it has checked it: `basis` says where it comes from."""

    wording: str
    kind: Kind
    basis: str = ""
    source: Literal["commitment", "peers", "figures"] = "figures"  # where it comes from

    @property
    def with_basis(self) -> str:
        return self.wording + (say("suggest.basis", basis=self.basis) if self.basis else "")

    @property
    def marked(self) -> str:
        return self.with_basis + say("suggest.marker_verify" if self.kind == "verify" else "suggest.marker_target")


@dataclass(frozen=True)
class Commitment:
    """A promise of the report's part 四, as written: the numbered item it belongs to, the sentence, and
    the clause a number can test."""

    item: str  # 二是创新法治宣传方式, or "" when the part does not number its items
    sentence: str  # the whole sentence, verbatim (what next year's draft asks the clerk about)
    phrase: str  # the clause a number can test, verbatim
    test: Literal["all", "more", "figure"]  # all of a group / more often / a stated figure (不少于40场)


def shortcomings(report: ReportYear) -> list[Proposal]:
    """Items that fell against the previous year's same item, as both reports wrote them."""
    s = report.stats
    out = []
    for r in s.figures.itertuples():
        if pd.notna(r.change) and r.change < 0 and r.kind != "rate":
            out.append(Proposal(say("page.shortcomings.decline", label=r.label, previous=s.previous_year,
                                    previous_expr=r.previous_expr, year=s.year, expr=r.expr), "verify"))
    return out


def commitments(plan_text: str | None) -> list[Commitment]:
    """The promises of a part-四 text that a number can test, in the text's order."""
    out: list[Commitment] = []
    item = ""
    for paragraph in (plan_text or "").splitlines():
        lead = _ITEM.match(paragraph.strip())
        item = f"{lead[1]}{lead[2]}" if lead else item
        for sentence in STATEMENT_BREAK.split(paragraph):
            for phrase in _CLAUSE.split(sentence):
                phrase = phrase.strip()
                test = ("figure" if _FIGURE.search(phrase) and phrase.startswith(TARGET_CUES) else
                        "all" if _ALL.search(phrase) else "more" if _MORE.search(phrase) else None)
                if test and phrase.startswith(_PROMISE_VERBS) or (test and "并" in phrase[:2]):
                    out.append(Commitment(item, sentence.strip(), phrase.removeprefix("并"), test))
    return out


def promises(plan_text: str | None) -> list[str]:
    """What a part 四 promised, one sentence each and verbatim, as the 督察 reviewer checks it next year:
    every sentence of each numbered item (一是…) after its lead, else the item's lead when it has nothing
    more; a plan without numbered items, every sentence of it. (Only the testable ones left five of the
    seed's eleven promises, 利用微信群、朋友圈 among them, off the clerk's checklist: a reviewer.)"""
    out: list[str] = []
    numbered = False
    for paragraph in (plan_text or "").splitlines():
        paragraph = paragraph.strip()
        lead = _ITEM.match(paragraph)
        sentences = [x.strip() for x in paragraph.split("。") if x.strip()]
        if lead:
            numbered = True
            out += sentences[1:] or [f"{lead[1]}{lead[2]}"]
        elif not numbered:
            out += sentences
    return list(dict.fromkeys(out))


def targets(dataset: Dataset, report: ReportYear) -> list[Proposal]:
    return _commitment_targets(report) + _peer_targets(dataset, report)


def _commitment_targets(report: ReportYear) -> list[Proposal]:
    """The report's own testable promises, each with what this year's report gives to test it by: the
    counts it names for the same topic (院坝会3次、集中普法宣传12次), or that it names none."""
    s = report.stats
    out = []
    for c in commitments(report.parts["next_year"].text):
        basis = say("suggest.basis_commitment", item=c.item) if c.item else ""
        if c.test in ("all", "figure"):
            wording = say(f"suggest.commitment_{c.test}", phrase=c.phrase, next=s.year + 1)
        else:
            topic = topic_of_heading(c.phrase)
            counted = s.figures[(s.figures["topic"] == topic) & s.figures["measure"].isin(ACTIVITY_MEASURES)] \
                if topic else s.figures.iloc[0:0]
            baseline = "、".join(labelled(r.label, r.expr) for r in counted.itertuples())
            wording = say("suggest.commitment_more" if baseline else "suggest.commitment_more_unstated",
                          phrase=c.phrase, year=s.year, next=s.year + 1, baseline=baseline)
        out.append(Proposal(wording, "verify", basis, "commitment"))
    return out


def _peer_targets(dataset: Dataset, report: ReportYear) -> list[Proposal]:
    """An activity held fewer times than the district's median of the same indicator and measure word."""
    s = report.stats
    figures = s.figures.set_index("indicator", drop=False)
    out = []
    for standing in peer_standing(dataset, s.body, s.year):
        if standing.median is None or standing.size or standing.value >= standing.median:
            continue
        row = figures.loc[standing.indicator]
        exact = not is_inexact(row["qualifier"]) and "累计" not in row["expr"]
        if row["topic"] in ACTIVITY_TOPICS and row["measure"] in ACTIVITY_MEASURES and exact:
            median = f"{standing.median:g}{standing.measure}"
            out.append(Proposal(say("suggest.peer_median", label=row["label"], year=s.year, expr=row["expr"],
                                    district=s.body.district, n_others=standing.n_bodies - 1, median=median,
                                    next=s.year + 1),
                                "verify", say("suggest.basis_peers", district=s.body.district, year=s.year),
                                "peers"))
    return out


