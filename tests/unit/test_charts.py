"""Charts: Chinese glyphs render with the bundled font (any 'Glyph … missing' warning fails the test); a chart
stands only where it says more than the clauses, that is beside last year's same items (a synthetic 2022
year for 峡口镇 here, tests/conftest.py); never across measure words."""

import warnings

import pytest
from conftest import H4, H5, with_synthetic_2022

from fazhi_analysis.pages import charts
from fazhi_analysis.pages.annual import AnnualPage

H3 = "（三）强化制约监督，促进权力规范运行"


@pytest.fixture
def two_years(data_copy):
    return AnnualPage.load(2023, "峡口镇", str(with_synthetic_2022(data_copy)))


def test_charts_render_chinese_without_missing_glyphs(two_years):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns 'Glyph 23777 … missing from font(s)' as UserWarning
        chart = charts.bar_chart(["排查受理矛盾纠纷", "调解成功"], [242, 238], "件", "图：纠纷化解")
        rendered = [two_years.chart(heading) for heading in (H4, H5)]
    assert chart.png.startswith(b"\x89PNG") and chart.width_px > 0
    assert all(c is not None for c in rendered)


def test_one_year_alone_gets_no_chart():
    page = AnnualPage.load(2023, "峡口镇")  # the clauses already say 242件, 242件, 238件
    assert all(page.chart(heading) is None for heading in (H3, H4, H5))


def test_a_chart_never_puts_unlike_measures_on_one_axis(two_years):
    assert two_years.chart(H3) is None  # 54次 处罚决定 beside 未发生 事故 and 51条 信息 compares unlike things
    legal_education = two_years.chart(H5)
    assert "单位：期" in legal_education.caption and "2022年与2023年" in legal_education.caption
    assert "普法专栏" in legal_education.alt and "院坝会" not in legal_education.alt
    from matplotlib import rcParams

    assert rcParams["font.sans-serif"][0] == charts.CJK_FAMILY


def test_chart_html_escapes_caption_and_alt():
    chart = charts.bar_chart(["<b>x</b>"], [1], "件", '图："><script>alert(1)</script>')
    html = chart._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_same_data_gives_same_png_bytes():
    first = charts.bar_chart(["调解"], [242], "件", "图").png
    assert charts.bar_chart(["调解"], [242], "件", "图").png == first


def test_comparison_alt_text_states_the_figures(two_years):
    chart = two_years.chart(H4)
    assert "242" in chart.alt and "238" in chart.alt and "230" in chart.alt


def test_a_dollar_sign_in_a_label_is_text_not_mathtext():
    chart = charts.bar_chart(["费用$5$万元", "a$b"], [1, 2], "件", "图：$x$")
    assert chart.png.startswith(b"\x89PNG") and "$x$" in chart.caption
