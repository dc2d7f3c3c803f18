"""A piece of report HTML that notebooks display as-is. Everything from data is escaped before it gets
here (tables escape cells, narrative templates autoescape), so a block is trusted markup. A block keeps
the tables it was joined from, so every table of a page can also be had as a DataFrame."""

from dataclasses import dataclass


@dataclass(frozen=True)
class HtmlBlock:
    html: str
    tables: tuple = ()  # the tables.Table objects inside, in page order

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _tables_in(block) -> tuple:
    if hasattr(block, "to_frame"):  # a Table
        return (block,)
    return tuple(getattr(block, "tables", ()))


def join(*blocks) -> HtmlBlock:
    """Concatenate blocks (or objects with _repr_html_) into one, skipping None."""
    present = [b for b in blocks if b is not None]
    return HtmlBlock("\n".join(b._repr_html_() for b in present), tuple(t for b in present for t in _tables_in(b)))


def tables_by_caption(blocks) -> dict:
    """{caption: DataFrame} of every table inside `blocks`, in page order; a caption met twice gets （2）.
    Each frame keeps its caption and note in `frame.attrs`."""
    found: dict = {}
    for block in blocks:
        for table in _tables_in(block):
            caption, n = table.caption, 1
            while caption in found:
                n += 1
                caption = f"{table.caption}（{n}）"
            frame = table.to_frame()
            frame.attrs.update(caption=table.caption, note=table.note)
            found[caption] = frame
    return found
