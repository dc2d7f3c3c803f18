"""Add the figures of the public reports in data/public_reports.yaml to data/observations.csv.

Reproducible and idempotent: run it again and data/ comes out byte-identical. It
- appends catalogue rows for new indicator keys (existing rows, their order and their aliases, which
  other work edits, are kept as read just before the write);
- replaces, in data/observations.csv, every row whose source is one of the yaml's urls by the report's
  figures, in yaml order, each under its own wording (the yaml's `name`), measure word (`unit`) and
  topic (`section`); other rows keep their place;
- writes data/sources.csv rows naming each report (its body, year, publication date, url);
- writes data/unmapped_figures.csv: every figure not turned into an observation, with the reason
  (no number, or a norm rather than a result).

A figure is linked to a catalogue indicator only when it is the same thing (data/README.md): its
`canon` or FIGURE_OVERRIDES proposes a key, and the link is kept only if the figure's measure word is
one the catalogue lists for the key, its wording (the yaml's `name`) meets the key's definition (口径:
the catalogue's wording_requires / wording_excludes, `fazhi_analysis.data.definitions`), and no earlier
figure of the same report took the key. Otherwise the figure stays the body's own item: on its page,
never compared.
The yaml gives no sub-headings, so `heading` is empty and the part follows the topic.
Usage: .venv/bin/python scripts/import_public_reports.py [--yaml PATH] [--data-dir DIR]
"""

import argparse
import csv
import io
import re
from pathlib import Path

import yaml

from fazhi_analysis.atomic import write_text_atomic
from fazhi_analysis.data.csv_input import read_rows
from fazhi_analysis.data.definitions import Definition
from fazhi_analysis.data.layout import CATALOGUE_COLUMNS, OBSERVATION_COLUMNS, SOURCE_COLUMNS
from fazhi_analysis.data.qualifiers import QUALIFIERS

REPO = Path(__file__).resolve().parents[1]

DEFAULT_YAML = REPO / "data" / "public_reports.yaml"
UNMAPPED_FILE = "unmapped_figures.csv"
UNMAPPED_COLUMNS = (
    "report_id",
    "province",
    "district",
    "body",
    "year",
    "name",
    "value",
    "unit",
    "qualifier",
    "expr",
    "section",
    "canon",
    "reason",
    "source",
)

# New catalogue rows: key, 中文名, measure, section, kind, aliases (specific wording only: extraction
# matches aliases in report text, so a bare 学法 or 检查 would attach wrong figures).
NEW_INDICATORS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "central_group_study_count",
        "理论学习中心组（专题）学法",
        "次",
        "study",
        "count",
        "中心组学法|中心组理论学习|中心组专题学法|理论学习中心组",
    ),
    (
        "party_committee_law_study_count",
        "党委（党工委）会议学法",
        "次",
        "study",
        "count",
        "党工委会学法|党委会学法|会前学法",
    ),
    (
        "collective_law_study_count",
        "干部职工集体学法",
        "次",
        "study",
        "count",
        "集体学法|干部职工集体学法",
    ),
    (
        "law_training_sessions_count",
        "法治培训与专题讲座（学法）",
        "场次",
        "study",
        "count",
        "法治培训|法治专题讲座",
    ),
    ("law_study_person_times", "学法培训覆盖人次", "人次", "study", "count", "培训覆盖人次|参训人次"),
    ("theory_books_distributed_copies", "发放理论书籍", "册", "study", "count", "理论书籍"),
    ("law_exam_takers_count", "法治理论考试参考人数", "名", "study", "count", "参考人数|法治理论考试人数"),
    ("law_exam_participation_rate_pct", "法治理论考试参考率", "%", "study", "rate", "参考率"),
    ("law_exam_completion_rate_pct", "法治理论考试完成率", "%", "study", "rate", "完成率"),
    ("law_exam_excellence_rate_pct", "法治理论考试优秀率", "%", "study", "rate", "优秀率"),
    (
        "key_issues_resolved_count",
        "研究解决法治建设重点问题",
        "项",
        "first_responsible",
        "count",
        "研究解决重点问题",
    ),
    ("leader_law_lectures_count", "主要负责人讲法治课", "次", "first_responsible", "count", "讲法治课"),
    ("law_assessment_weight_pct", "法治建设在综合考核中的权重", "%", "first_responsible", "rate", "考核权重"),
    ("legality_reviews_count", "重大决策合法性审查", "项", "decision", "count", "合法性审查"),
    ("legality_review_pass_rate_pct", "合法性审查通过率", "%", "decision", "rate", "审查通过率"),
    ("opinions_solicited_count", "征求意见建议", "条", "decision", "count", "征求意见建议"),
    ("expert_consultations_count", "专家论证", "次", "decision", "count", "专家论证"),
    ("contract_reviews_count", "合同审查", "份", "decision", "count", "合同审查|审核合同"),
    (
        "legal_adviser_participations_count",
        "法律顾问参与重大事项讨论",
        "次",
        "decision",
        "count",
        "法律顾问参与",
    ),
    ("legal_opinions_issued_count", "出具法律意见书", "份", "decision", "count", "法律意见书"),
    (
        "certified_enforcement_officers_count",
        "持证执法人员",
        "名",
        "enforcement",
        "count",
        "行政执法证|持证执法人员",
    ),
    ("enforcement_certified_rate_pct", "执法人员持证上岗率", "%", "enforcement", "rate", "持证上岗率|持证率"),
    ("enforcement_exam_passed_count", "通过行政执法证考试人数", "名", "enforcement", "count", "执法证考试"),
    (
        "joint_enforcement_actions_count",
        "专项与联合执法行动",
        "次",
        "enforcement",
        "count",
        "联合执法|专项整治",
    ),
    ("enforcement_inspections_count", "行政执法检查", "次", "enforcement", "count", "行政执法检查|执法检查"),
    ("admin_penalty_cases_count", "行政处罚案件", "件", "enforcement", "count", "行政处罚案件"),
    ("admin_fines_yuan", "行政处罚罚没金额", "元", "enforcement", "amount", "罚没金额|处罚金额|罚款金额"),
    ("inspection_issues_found_count", "巡察反馈问题", "个", "supervision", "count", "巡察反馈问题|反馈问题"),
    ("special_supervisions_count", "专项监督", "次", "supervision", "count", "专项监督"),
    ("issues_rectified_count", "完成整改问题", "个", "supervision", "count", "完成整改|整改问题"),
    ("requested_disclosures_count", "依申请公开信息", "件", "disclosure", "count", "依申请公开"),
    (
        "legal_education_reach_person_times",
        "普法覆盖人次",
        "人次",
        "legal_education",
        "count",
        "普法覆盖人次|受教育群众",
    ),
    ("legal_literates_trained_count", "培训法律明白人", "名", "legal_education", "count", "法律明白人"),
    (
        "legal_hot_topics_explained_count",
        "解读热点法律问题",
        "个",
        "legal_education",
        "count",
        "热点法律问题",
    ),
    ("communities_covered_count", "普法宣传覆盖村（社区）", "个", "legal_education", "count", "覆盖社区"),
    ("legal_consultations_person_times", "法律咨询", "人次", "legal_services", "count", "法律咨询|咨询答疑"),
    (
        "legal_adviser_village_talks_count",
        "法律顾问进村宣讲",
        "次",
        "legal_services",
        "count",
        "法律顾问进村",
    ),
    (
        "town_legal_service_stations_count",
        "镇（街道）公共法律服务工作站",
        "个",
        "legal_services",
        "count",
        "公共法律服务工作站",
    ),
    (
        "village_legal_service_rooms_count",
        "村（社区）公共法律服务室",
        "个",
        "legal_services",
        "count",
        "公共法律服务室",
    ),
)

# canon (the yaml's suggested grouping) → key; None = not an observation, with the reason
CANON_KEYS: dict[str, str | tuple[None, str]] = {
    "集体学法/干部职工学法": "collective_law_study_count",
    "中心组学法/专题学习": "central_group_study_count",
    "学习/培训覆盖人次": "law_study_person_times",
    "普法覆盖人次": "legal_education_reach_person_times",
    "法治培训/讲座": "law_training_sessions_count",
    "发放理论书籍": "theory_books_distributed_copies",
    "法治理论考试人数": "law_exam_takers_count",
    "法治理论考试参考率": "law_exam_participation_rate_pct",
    "法治理论考试合格率/通过率": "law_exam_pass_rate_pct",
    "法治建设专题会议": "law_work_meetings_count",
    "研究解决重点问题": "key_issues_resolved_count",
    "主要负责人讲法治课/宣讲": "leader_law_lectures_count",
    "法治建设考核权重": "law_assessment_weight_pct",
    "合法性审查（件/项/次）": "legality_reviews_count",
    "合法性审查通过率/覆盖率": "legality_review_pass_rate_pct",
    "征求/提供意见建议": "opinions_solicited_count",
    "专家论证": "expert_consultations_count",
    "合同审查/审核": "contract_reviews_count",
    "持证执法人员": "certified_enforcement_officers_count",
    "执法人员持证率/参与率": "enforcement_certified_rate_pct",
    "专项/联合执法行动": "joint_enforcement_actions_count",
    "行政执法检查/检查对象": "enforcement_inspections_count",
    "行政处罚案件": "admin_penalty_cases_count",
    "罚没/罚款金额": "admin_fines_yuan",
    "普法活动（场次）": "legal_campaigns_count",
    "发放宣传资料": "legal_materials_copies",
    "法律明白人": "legal_literates_trained_count",
    "法律咨询（人次）": "legal_consultations_person_times",
    "执法事项清单": (None, "政务服务事项：目录的报告栏目（structure.SECTIONS）没有“政务服务”，不强行归入"),
    "政务服务办件": (None, "政务服务办件：目录的报告栏目（structure.SECTIONS）没有“政务服务”，不强行归入"),
    "其他": (None, "制度要求（每年、不少于），是工作规范而不是年度结果，不作观测值"),
}

SAME_KEY = "同一报告中该指标已有另一数字（见 {other}），分项或口径不同的数字不合并、不相加"
# (report id, figure name) → key, or (None, reason)
FIGURE_OVERRIDES: dict[tuple[str, str], str | tuple[None, str]] = {
    ("P007", "普法覆盖人次"): "legal_education_reach_person_times",
    ("P007", "解读热点法律问题"): "legal_hot_topics_explained_count",
    ("P007", "法律顾问进村宣讲"): "legal_adviser_village_talks_count",
    ("P011", "重大合同审查"): "contract_reviews_count",
    ("P011", "通过执法证考试人数"): "enforcement_exam_passed_count",
    ("P012", "法治专题学习（制度要求）"): (
        None,
        "制度要求（不少于4次），是工作规范而不是年度结果，不作观测值",
    ),
    ("P019", "镇级公共法律服务工作站"): "town_legal_service_stations_count",
    ("P019", "村级公共法律服务室"): "village_legal_service_rooms_count",
    ("P021", "党工委会议研究学习"): "party_committee_law_study_count",
    ("P025", "党工委会专题传达学习"): "party_committee_law_study_count",
    ("P025", "基层党组织集中学习"): (
        None,
        "全街道基层党组织的学习场次，与机关干部集体学法口径不同；目录暂无对应指标",
    ),
    ("P025", "学法考试完成率"): "law_exam_completion_rate_pct",
    ("P025", "学法考试优秀率"): "law_exam_excellence_rate_pct",
    ("P038", "党工委会学法"): "party_committee_law_study_count",
    ("P040", "红色基地实地学习"): (
        None,
        SAME_KEY.format(other="集中学习 12次") + "；实地参观学习目录暂无对应指标",
    ),
    ("P040", "理论微宣讲活动"): (
        None,
        "理论宣讲，非法治专题；" + SAME_KEY.format(other="普法学法活动 100余场次"),
    ),
    ("P040", "理论微宣讲"): (
        None,
        "理论宣讲，非法治专题；" + SAME_KEY.format(other="普法学法活动 100余场次"),
    ),
    ("P040", "宪法主题宣传"): (None, "分项活动，" + SAME_KEY.format(other="普法学法活动 100余场次")),
    ("P040", "普法覆盖人次"): "legal_education_reach_person_times",
    ("P042", "法律讲座"): "law_lectures_count",
    ("P044", "第一议题学习"): (
        None,
        "“第一议题”学习不限于法治内容；" + SAME_KEY.format(other="习近平法治思想专题集中学习 20余次"),
    ),
    ("P044", "讲法治活动覆盖率"): (
        None,
        "覆盖率的对象（干部职工）未说明，目录暂无同口径比率；不从其他数字推算",
    ),
    ("P047", "法律顾问参与重大事项讨论"): "legal_adviser_participations_count",
    ("P047", "审核征求意见"): (None, "法律顾问审核的征求意见稿件数，目录暂无同口径指标"),
    ("P047", "出具法律意见书"): "legal_opinions_issued_count",
    ("P047", "依申请公开信息"): "requested_disclosures_count",
    ("P055", "机关村社干部专题学习"): "collective_law_study_count",
    ("P058", "党工委会议专题学习习近平法治思想"): "party_committee_law_study_count",
    ("P058", "学法考试结果"): (None, "原文没有数字（全员优秀通过），不能作为观测值"),
    ("P058", "巡察反馈问题"): "inspection_issues_found_count",
    ("P058", "专项监督"): "special_supervisions_count",
    ("P058", "完成整改问题"): "issues_rectified_count",
    ("P069", "宣传覆盖社区"): "communities_covered_count",
    ("P069", "咨询答疑群众"): "legal_consultations_person_times",
}

# yaml qualifier → a qualifier of fazhi_analysis.data.qualifiers; words that only state scope (全年, 共,
# 今年以来 …) bound nothing and become "" (the expression keeps the number as written)
QUALIFIER_FOLD = {"累计余": "余"}


def body_name(unit: str) -> str:
    """'重庆市万州区新田镇人民政府（与中共新田镇委员会联合）' → '新田镇'; stops on a name it cannot read."""
    text = re.sub(r"（[^）]*）", "", unit).replace("人民政府", "").replace("办事处", "")
    match = re.search(r"([^省市区县]+(?:镇|乡|街道))$", text)
    if not match:
        raise SystemExit(f"cannot read a body name from {unit!r}")
    return match.group(1)


def qualifier_of(figure: dict) -> str:
    raw = figure.get("qualifier") or ""
    raw = QUALIFIER_FOLD.get(raw, raw)
    return raw if raw in QUALIFIERS else ""


def key_of(report_id: str, figure: dict) -> str | tuple[None, str]:
    if figure.get("value") is None:
        return None, f"原文没有数字（{figure['expr']}），不能作为观测值"
    chosen = FIGURE_OVERRIDES.get((report_id, figure["name"]), CANON_KEYS.get(figure["canon"]))
    if chosen is None:
        raise SystemExit(f"{report_id} {figure['name']}: canon {figure['canon']!r} has no mapping; add one")
    return chosen


def _number(value: float) -> str:
    return f"{value:g}" if float(value) != int(value) else str(int(value))


# yaml section → topic (fazhi_analysis.data.structure.SECTIONS); the part follows the topic's usual part
TOPIC_OF_SECTION = {
    "学法": "study", "学法与考试": "study", "决策": "decision", "执法": "enforcement", "政务公开": "disclosure",
    "政务服务": "services", "普法": "legal_education", "法律服务": "legal_services", "监督": "supervision",
    "第一责任人": "first_responsible",
}
PART_OF_TOPIC = {"study": "first_responsible", "first_responsible": "first_responsible"}
SCOPE_KEPT = ("累计",)  # scope words that change what a figure means, kept in front of the label


def link_of(report_id: str, figure: dict, catalogue: dict[str, dict], used: dict[str, str]) -> str:
    """The catalogue key this figure is the same thing as, or "" (the body's own item): the proposed key,
    when the figure's measure word is one the key lists and its wording meets the key's definition."""
    chosen = FIGURE_OVERRIDES.get((report_id, figure["name"]), CANON_KEYS.get(figure["canon"]))
    if not isinstance(chosen, str):
        return ""
    if chosen not in catalogue:
        raise SystemExit(f"{report_id} {figure['name']}: key {chosen} is not in the catalogue")
    row = catalogue[chosen]
    definition = Definition.from_cells(row["counts_zh"], row["wording_requires"], row["wording_excludes"])
    measures = tuple(row["measure"].split("|"))
    if (figure.get("unit") or "") not in measures or not definition.met_by(figure["name"]) or chosen in used:
        return ""
    return chosen


def _is_norm(report_id: str, figure: dict) -> str | None:
    proposed = FIGURE_OVERRIDES.get((report_id, figure["name"]), CANON_KEYS.get(figure["canon"]))
    if isinstance(proposed, tuple) and ("制度要求" in proposed[1] or "没有数字" in proposed[1]):
        return proposed[1]
    if figure.get("value") is None:
        return f"原文没有数字（{figure['expr']}），不能作为观测值"
    if (figure.get("qualifier") or "") in ("每年",) or "不少于" in (figure.get("qualifier") or ""):
        return "制度要求（每年、不少于），是工作规范而不是年度结果，不作观测值"
    return None


def expr_of(figure: dict) -> str:
    """The figure as the yaml writes it, without the item's own words the yaml left in front of it
    (持证上岗率达 100% for 执法人员持证上岗率 is 达100%) and without a space a web page put beside a number: the
    label column says what the figure is, and the page must not say it twice."""
    expr = re.sub(r"(?<=\S) (?=\d)|(?<=[\d%]) (?=\S)", "", figure["expr"])
    name = figure["name"]
    for cut in range(len(name), 1, -1):  # the longest end of the name the expression starts with
        if expr.startswith(name[-cut:]) and re.match(r"(?:达|约|近|超|为)?\d", expr[cut:]):
            return expr[cut:]  # what is left must be the figure itself (参考率和通过率均达100% stays whole)
    return expr


def label_of(figure: dict) -> str:
    """The item's wording; a scope word that changes what the figure means (累计) stands in front of it, as a
    report writes it (累计发放宣传资料5000余份), never inside the figure's expression."""
    scope = next((w for w in SCOPE_KEPT if w in (figure.get("qualifier") or "")), "")
    return figure["name"] if figure["name"].startswith(scope) else scope + figure["name"]


def convert(reports: list[dict], catalogue: dict[str, dict]) -> tuple[list[dict], list[dict], list[dict]]:
    observations, unmapped, sources = [], [], []
    for report in reports:
        place = {
            "province": report["province"],
            "district": report["district"],
            "body": body_name(report["unit"]),
            "year": str(report["year"]),
        }
        # the title is not known (only the figures were recorded): a page must not put a made-up one in 《》
        sources.append({"source": report["url"], "title": "",
                        "published": str(report.get("published") or ""), "url": report["url"]})
        used: dict[str, str] = {}
        for figure in report["indicators"]:
            reason = _is_norm(report["id"], figure)
            if reason:
                unmapped.append({
                    **place, "report_id": report["id"], "name": figure["name"],
                    "value": "" if figure.get("value") is None else _number(figure["value"]),
                    "unit": figure.get("unit") or "", "qualifier": figure.get("qualifier") or "",
                    "expr": figure["expr"], "section": figure["section"], "canon": figure["canon"],
                    "reason": reason, "source": report["url"],
                })
                continue
            key = link_of(report["id"], figure, catalogue, used)
            if key:
                used[key] = figure["name"]
            topic = TOPIC_OF_SECTION[figure["section"]]
            observations.append({
                **place, "part": PART_OF_TOPIC.get(topic, "measures"), "heading": "", "topic": topic,
                "label": label_of(figure), "indicator": key, "value": _number(figure["value"]),
                "measure": figure.get("unit") or "", "qualifier": qualifier_of(figure), "expr": expr_of(figure),
                "source": report["url"],
            })
    return observations, unmapped, sources


def _csv_text(columns: tuple[str, ...], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _read(path: Path, columns: tuple[str, ...]) -> list[dict]:
    header, rows = read_rows(path, columns)
    return [dict(zip(header, r, strict=True)) for r in rows if any(r)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--yaml", type=Path, default=DEFAULT_YAML)
    parser.add_argument("--data-dir", type=Path, default=REPO / "data")
    args = parser.parse_args(argv)
    reports = yaml.safe_load(args.yaml.read_text(encoding="utf-8"))["reports"]
    urls = {r["url"] for r in reports}

    catalogue_path = args.data_dir / "catalogue.csv"
    catalogue = _read(catalogue_path, CATALOGUE_COLUMNS)  # re-read right before the write: aliases change
    present = {row["key"] for row in catalogue}
    added = [
        {"key": k, "name_zh": n, "measure": m, "section": s, "kind": kind, "numerator": "", "denominator": "",
         "base_zh": "", "components": "", "aliases": a}
        for k, n, m, s, kind, a in NEW_INDICATORS
        if k not in present
    ]
    by_key = {row["key"]: {c: row.get(c, "") for c in CATALOGUE_COLUMNS} for row in catalogue + added}
    observations, unmapped, sources = convert(reports, by_key)  # stops before any write
    observations_path = args.data_dir / "observations.csv"
    kept = [row for row in _read(observations_path, OBSERVATION_COLUMNS) if row["source"] not in urls]
    sources_path = args.data_dir / "sources.csv"
    kept_sources = [r for r in _read(sources_path, SOURCE_COLUMNS) if r["source"] not in urls] \
        if sources_path.is_file() else []
    if added:
        write_text_atomic(catalogue_path, _csv_text(CATALOGUE_COLUMNS, catalogue + added))
    write_text_atomic(observations_path, _csv_text(OBSERVATION_COLUMNS, kept + observations))
    write_text_atomic(sources_path, _csv_text(SOURCE_COLUMNS, kept_sources + sources))
    write_text_atomic(args.data_dir / UNMAPPED_FILE, _csv_text(UNMAPPED_COLUMNS, unmapped))
    linked = sum(bool(o["indicator"]) for o in observations)
    print(
        f"catalogue: {len(added)} indicators added; observations: {len(observations)} from {len(reports)} "
        f"reports ({linked} linked to the catalogue, {len(observations) - linked} the bodies' own items); "
        f"unmapped: {len(unmapped)} (see {UNMAPPED_FILE})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
