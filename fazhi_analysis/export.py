"""Executed notebook → one self-contained HTML page (nbconvert, our small 'fazhi_report' template).

The stock lab/classic templates always emit <script src> for require.js and MathJax from CDNs, which
an office PC without internet cannot load; ours extends 'basic' and adds only a stylesheet.
"""

from functools import cache

from nbconvert import HTMLExporter

from .paths import TEMPLATES_DIR

TEMPLATE_NAME = "fazhi_report"


@cache
def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


def notebook_to_html(nb, title: str) -> str:
    """The leadership page: outputs and headings only, no code, no prompts."""
    html, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return html
