"""Chinese narrative blocks filled from the data through Jinja templates (autoescaped, strict): the
templates in `templates/narrative/` give a block its structure, and take its sentences from the wording
file through `say` (see `fazhi_analysis.wording`), so no cell glues strings together."""

from functools import cache

import jinja2

from ..paths import TEMPLATES_DIR
from ..wording import say
from .html_block import HtmlBlock


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "narrative"),
        autoescape=True,  # text from data is escaped: a body named <script> shows as text
        undefined=jinja2.StrictUndefined,  # a missing figure is a bug, not a blank in a leadership report
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.globals["say"] = say  # plain text in, escaped on the way out like any other value
    return environment


def render(template: str, **context) -> HtmlBlock:
    return HtmlBlock(_environment().get_template(f"{template}.html.j2").render(**context))
