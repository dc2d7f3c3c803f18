"""Chinese narrative paragraphs filled from the data through Jinja templates (autoescaped, strict), so
the wording lives in `templates/narrative/` and no cell glues strings together."""

from functools import cache

import jinja2

from ..paths import TEMPLATES_DIR
from .html_block import HtmlBlock


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "narrative"),
        autoescape=True,  # text from data is escaped: a body named <script> shows as text
        undefined=jinja2.StrictUndefined,  # a missing figure is a bug, not a blank in a leadership report
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **context) -> HtmlBlock:
    return HtmlBlock(_environment().get_template(f"{template}.html.j2").render(**context))
