"""The number parser: the expressions reports use (约2.7万方, 10余次, 达98%以上, 全部), things that only look
like numbers, and the public reports' expressions (data/public_reports.yaml)."""

import importlib.util

import pytest
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from fazhi_analysis.errors import FazhiError
from fazhi_analysis.intake.figures import NumberFormatError, find_figures, numeral_value

PUBLIC_REPORTS = REPO / "data" / "public_reports.yaml"
BENCHMARK = REPO / "benchmarks" / "public_expressions.py"


def figures(text: str) -> list[tuple[float | None, str | None, str | None]]:
    return [(f.value, f.qualifier, f.measure) for f in find_figures(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("5000余份", [(5000, "余", "份")]),
    ("10余次", [(10, "余", "次")]),
    ("12余次", [(12, "余", "次")]),
    ("1.5万余份", [(15000, "余", "份")]),
    ("650余万元", [(6_500_000, "余", "元")]),
    ("近300名", [(300, "近", "名")]),
    ("超700人次", [(700, "超", "人次")]),
    ("60%以上", [(60, "以上", "%")]),
    ("不少于4次", [(4, "不少于", "次")]),
    ("约2.7万方", [(27000, "约", "方")]),
    ("全部约2.7万方", [(27000, "约", "方")]),
    ("达99.14%", [(99.14, "达", "%")]),
    ("达98%以上", [(98, "以上", "%")]),
    ("千余人", [(1000, "余", "人")]),
    ("万余人", [(10000, "余", "人")]),
    ("两万余人次", [(20000, "余", "人次")]),
    ("十余项", [(10, "余", "项")]),
    ("十个村委会", [(10, None, "个")]),
    ("三家企业", [(3, None, "家")]),
    ("4.71万件", [(47100, None, "件")]),
    ("36.39万件", [(363900, None, "件")]),
    ("1.2萬餘人次", [(12000, "余", "人次")]),
    ("３場活动", [(3, None, "场")]),
    ("２４２件", [(242, None, "件")]),
    ("15,000份", [(15000, None, "份")]),
    ("320场(次)", [(320, None, "场次")]),
    ("百分之九十八", [(98, None, "%")]),
    ("召开一次会议", [(1, None, "次")]),
    ("持证上岗率达 100%", [(100, "达", "%")]),
    ("3名执法人员全部取得行政执法证", [(3, "全部", "名")]),
    ("未发生", [(0, None, None)]),
    ("零败诉", [(0, None, None)]),
    ("全覆盖", [(None, None, None)]),
    ("全员优秀通过", [(None, None, None)]),
])
def test_expressions_of_design_section_1(text, expected):
    assert figures(text) == expected


def test_one_phrase_two_figures_keeps_each_subject():
    found = find_figures("参考率、合格率均为100%")
    assert [(f.subject, f.value, f.qualifier) for f in found] == [
        ("参考率", 100, "均为"), ("合格率", 100, "均为")]
    assert [f.subject for f in find_figures("参考率和通过率均达100%")] == ["参考率", "通过率"]


@pytest.mark.parametrize("text", [
    "三项制度", "八五普法", "“八五”普法", "二十大", "三重一大", "三调合一", "五老人员", "法律八进",
    "第一责任人",
    "一是", "（一）", "一、", "11月10日", "12·4", "2023年", "2021—2025年", "厅字〔2019〕28号",
    "厅字2019〕28号", "厅字〔201928号", "12345热线", "8890", "1+1+N", "X名", "xx", "*次", "XX件", "第3次",
    "2.1.3项", "1.完善制度", "两个维护", "四个意识", "统一部署", "一起参加", "进一步", "千方百计", "千家万户",
    "三个月内", "一人一档", "一次性告知", "三方协议", "截至2025年11月",
])
def test_not_a_quantity(text):
    assert find_figures(text) == []


@pytest.mark.parametrize("text", ["每年开展专题学习不少于4次", "每月1次", "每年开展1次全员轮训", "至少2次"])
def test_norms_are_flagged(text):
    assert [f.flags for f in find_figures(text)] == [("norm",)]


def test_in_words_and_no_number_are_flagged():
    assert find_figures("全年未发生重大事故")[0].flags == ("in_words",)
    assert find_figures("实现村居法律顾问全覆盖")[0].flags == ("no_number",)
    assert figures("未发生一起安全事故") == [(0, None, None)], "the in-words zero, not 一起 = 1"


def test_numeral_value_reads_one_numeral_or_says_why():
    assert numeral_value("２.７万") == 27000
    assert numeral_value("两万") == 20000
    assert numeral_value("千") == 1000
    with pytest.raises(NumberFormatError, match="不是一个数字"):
        numeral_value("若干")


TEXTISH = st.text(alphabet=st.sampled_from(list(
    "0123456789０１２.,%％万萬亿余餘约近超达以上不少于均为全部零〇一二两三四五六七八九十百千"
    "次场場期件个個项名人份元方第每年月日，。、；：（）〔〕—·率参考合格未发生覆盖员通过 xX*")), max_size=40)


@given(TEXTISH)
def test_find_figures_never_raises_and_offsets_hold(text):
    for figure in find_figures(text):
        assert text[figure.start:figure.end] == figure.expr
        assert figure.value is None or figure.value >= 0


@given(st.text(max_size=30))
def test_numeral_value_raises_only_its_documented_error(text):
    try:
        assert numeral_value(text) >= 0
    except NumberFormatError as exc:
        assert isinstance(exc, FazhiError)


@given(st.text(max_size=60))
def test_find_figures_never_raises_on_any_text(text):
    find_figures(text)


def _benchmark():
    spec = importlib.util.spec_from_file_location("extraction_accuracy", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_report_expression_parses_to_its_recorded_figure():
    outcomes = _benchmark().score_public_reports(PUBLIC_REPORTS)
    assert len(outcomes) >= 100
    assert [o for o in outcomes if not o.right] == []
