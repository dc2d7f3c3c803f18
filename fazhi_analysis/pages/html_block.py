"""A piece of report HTML that notebooks display as-is. Everything from data is escaped before it gets
here (tables escape cells, narrative templates autoescape), so a block is trusted markup."""

from dataclasses import dataclass


@dataclass(frozen=True)
class HtmlBlock:
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def join(*blocks) -> HtmlBlock:
    """Concatenate blocks (or objects with _repr_html_) into one, skipping None."""
    return HtmlBlock("\n".join(b._repr_html_() for b in blocks if b is not None))
