"""Which items a 法治政府建设年度报告 is expected to give figures for, and which ones a body's year lacks.

The list follows what the mandated parts ask about (《法治政府建设与责任落实督察工作规定》 and the
indicators about 70 public reports use): an office that sees the gaps before 1 March can still
collect the numbers. An item counts as covered when any figure of the year is linked to one of its
catalogue indicators, is about its topic, or names one of its keywords in its label or sub-heading.
"""

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class ExpectedItem:
    name_zh: str
    indicators: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


EXPECTED_ITEMS: tuple[ExpectedItem, ...] = (
    ExpectedItem("重大行政决策合法性审查", ("legality_reviews_count", "legality_review_pass_rate_pct"),
                 keywords=("合法性审查",)),
    ExpectedItem("规范性文件备案审查", ("normative_documents_issued_count", "normative_documents_filed_count",
                                       "document_legality_reviews_count"), keywords=("规范性文件", "备案审查")),
    ExpectedItem("行政执法", ("admin_penalty_decisions_count", "admin_penalty_cases_count",
                            "enforcement_inspections_count", "certified_enforcement_officers_count"),
                 ("enforcement",), ("执法", "处罚")),
    ExpectedItem("行政执法案卷评查", keywords=("案卷",)),
    ExpectedItem("行政复议、行政诉讼和负责人出庭应诉", ("admin_review_cases_count", "admin_review_closed_count",
                                                     "admin_review_corrected_count", "admin_litigation_cases_count",
                                                     "admin_litigation_lost_count", "leader_court_appearance_rate_pct"),
                 keywords=("复议", "诉讼", "应诉", "出庭")),
    ExpectedItem("政务公开", ("gov_info_disclosed_count", "requested_disclosures_count"), ("disclosure",),
                 ("公开",)),
    ExpectedItem("矛盾纠纷化解", ("disputes_received_count", "disputes_resolved_count"), ("disputes",),
                 ("纠纷", "调解")),
    ExpectedItem("法治宣传教育", topics=("legal_education",), keywords=("普法", "法治宣传")),
    ExpectedItem("领导干部学法和法治考试", topics=("study",), keywords=("学法", "考试")),
    ExpectedItem("公共法律服务", ("town_legal_advisers_count", "villages_with_legal_adviser_count",
                                "village_legal_adviser_coverage_pct"), ("legal_services",),
                 ("法律服务", "法律顾问", "法律援助")),
)


def missing_items(figures: pd.DataFrame, sections: dict[str, str]) -> list[ExpectedItem]:
    """The expected items none of the year's figures covers; `sections` maps a linked indicator to its
    catalogue topic (a figure linked to 行政处罚 covers 行政执法 wherever its report put it)."""
    indicators = set(figures["indicator"]) - {""}
    topics = set(figures["topic"]) | {sections[k] for k in indicators if k in sections}
    words = " ".join(figures["label"]) + " " + " ".join(figures["heading"])
    return [item for item in EXPECTED_ITEMS
            if not (indicators & set(item.indicators) or topics & set(item.topics)
                    or any(k in words for k in item.keywords))]
