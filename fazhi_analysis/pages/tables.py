"""Report tables with Chinese labels, a caption and right-aligned numbers. Cells are escaped here, so
text from data (a body's name, an expression) can never become markup."""

from dataclasses import dataclass, field
from html import escape

import pandas as pd


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric_columns: set[int] = field(default_factory=set)  # indexes of right-aligned columns
    note: str = ""
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → a relative href

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame, for an analyst who wants to sort or export it."""
        return pd.DataFrame(self.rows, columns=self.columns)

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
