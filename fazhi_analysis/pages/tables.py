"""Report tables with Chinese labels, a caption and right-aligned numbers. Cells are escaped here, so
text from data (a body's name, an expression) can never become markup."""

import re
from dataclasses import dataclass, field
from html import escape

import pandas as pd

_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def as_number(cell: str):
    """'242' → 242, '98.35' → 98.35; anything else (12次, 80余次, —) stays text."""
    if isinstance(cell, str) and _PLAIN_NUMBER.fullmatch(cell):
        number = float(cell)
        return int(number) if number.is_integer() and "." not in cell else number
    return cell


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric_columns: set[int] = field(default_factory=set)  # indexes of right-aligned columns
    note: str = ""
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → a relative href

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame, for an analyst who wants to sort or export it: a plain number in a
        numeric column is a number (242, 98.35); everything else is the text the page shows."""
        rows = [[as_number(v) if i in self.numeric_columns else v for i, v in enumerate(r)] for r in self.rows]
        return pd.DataFrame(rows, columns=self.columns)

    def _repr_html_(self) -> str:
        def cell(tag: str, i: int, text: str, href: str | None = None) -> str:
            cls = ' class="num"' if i in self.numeric_columns else ""
            shown = escape(str(text))
            if href:
                shown = f'<a href="{escape(href)}">{shown}</a>'
            return f"<{tag}{cls}>{shown}</{tag}>"

        head = "".join(cell("th", i, c) for i, c in enumerate(self.columns))
        body = "\n".join("<tr>" + "".join(cell("td", i, v, self.links.get((n, i))) for i, v in enumerate(r)) + "</tr>"
                         for n, r in enumerate(self.rows))
        note = f'<p class="table-note">{escape(self.note)}</p>' if self.note else ""
        return (f'<div class="table-wrap"><table class="fazhi-table">\n<caption>{escape(self.caption)}</caption>\n'
                f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>{note}</div>")
