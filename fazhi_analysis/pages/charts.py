"""Charts with Chinese labels that render on a fresh machine.

matplotlib's default font has no CJK glyphs (tofu plus 'Glyph … missing' warnings), so the font comes
from the PyPI package noto-cjk-sans-otc (SIL OFL 1.1), registered once: importing `fazhi_analysis`
arranges it, and `ensure_cjk_font` is kept for the page code and the kernel's warm-up.
Figures are built with the object API (no pyplot state, so warm kernels reused across reports cannot
leak figures) and saved as PNG without the Software tag, so the same data gives the same bytes.

Speed (a batch draws a few charts a page): the layout is computed from the labels' lengths, so each chart
is drawn once (`bbox_inches="tight"` draws it twice), and there is no x axis, whose tick labels cost
more than the bars (every bar carries its value, so the axis said nothing the reader lacked).
"""

import base64
import io
import unicodedata
from dataclasses import dataclass
from html import escape

from matplotlib.figure import Figure

from .. import CJK_FAMILY, register_cjk_font

DPI = 110
BAR_COLOR = "#8c1c13"  # a restrained official red
PREVIOUS_COLOR = "#b9b2a8"
LABEL_PT = 10
AXES_WIDTH_IN = 5.4
RIGHT_PAD_IN = 0.5  # room for a value note that runs past the axes
EDGE_PAD_IN = 0.12
LEGEND_IN = 0.4
__all__ = ["CJK_FAMILY", "Chart", "bar_chart", "comparison_chart", "ensure_cjk_font"]


def ensure_cjk_font() -> None:
    """Register the bundled Noto Sans CJK collection and make it the default family (once)."""
    register_cjk_font()


@dataclass(frozen=True)
class Chart:
    """A rendered chart with its caption and alt text (what a reader without the picture should know)."""

    png: bytes
    caption: str
    alt: str
    width_px: int
    height_px: int

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{escape(self.alt)}" '
                f'width="{self.width_px}" height="{self.height_px}">'
                f"<figcaption>{escape(self.caption)}</figcaption></figure>")


def _label_width_in(label: str) -> float:
    """Width of a y tick label: CJK characters are one em, others about 0.6 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in label)
    return ems * LABEL_PT / 72


def _new_figure(labels: list[str], height_in: float, top_in: float = EDGE_PAD_IN) -> Figure:
    """A figure whose left margin fits the longest label, so one draw suffices."""
    left_in = max([_label_width_in(label) for label in labels] + [0.5]) + 0.15
    width_in = left_in + AXES_WIDTH_IN + RIGHT_PAD_IN
    fig = Figure(figsize=(width_in, height_in))
    fig.subplots_adjust(left=left_in / width_in, right=1 - RIGHT_PAD_IN / width_in,
                        bottom=EDGE_PAD_IN / height_in, top=1 - top_in / height_in)
    return fig


def _render(fig: Figure, caption: str, alt: str) -> Chart:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    png = buffer.getvalue()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return Chart(png, caption, alt, width, height)


def bar_chart(labels: list[str], values: list[float], measure: str, caption: str,
              annotations: list[str] | None = None) -> Chart:
    """Horizontal bars, one per label, each with its value (and an optional note such as a rate)."""
    ensure_cjk_font()
    fig = _new_figure(labels, 0.5 + 0.42 * len(labels))
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=BAR_COLOR, height=0.6)
    ax.set_yticks(positions, labels)
    peak = max(values) if values and max(values) > 0 else 1
    for pos, value, note in zip(positions, values, annotations or [""] * len(values), strict=True):
        text = f"{value:g}{measure}" + (f"  {note}" if note else "")
        ax.text(value + peak * 0.01, pos, text, va="center", fontsize=9)
    ax.set_xlim(0, peak * 1.35)
    _plain_axes(ax)
    alt = f"{caption}：" + "；".join(f"{label}{value:g}{measure}" for label, value in zip(labels, values, strict=True))
    return _render(fig, caption, alt)


def comparison_chart(labels: list[str], current: list[float], previous: list[float], year: int,
                     previous_year: int, measure_by_label: list[str], caption: str) -> Chart:
    """This year's counts beside the previous year's, one pair of bars per indicator."""
    ensure_cjk_font()
    fig = _new_figure(labels, 0.85 + 0.6 * len(labels), top_in=LEGEND_IN)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh([p + 0.2 for p in positions], previous, height=0.38, color=PREVIOUS_COLOR, label=f"{previous_year}年")
    ax.barh([p - 0.2 for p in positions], current, height=0.38, color=BAR_COLOR, label=f"{year}年")
    ax.set_yticks(positions, labels)
    peak = max([*current, *previous, 1])
    for pos, value, measure in zip(positions, current, measure_by_label, strict=True):
        ax.text(value + peak * 0.01, pos - 0.2, f"{value:g}{measure}", va="center", fontsize=8)
    ax.set_xlim(0, peak * 1.3)
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, frameon=False, fontsize=9)  # above the bars
    _plain_axes(ax)
    alt = f"{caption}：" + "；".join(
        f"{label} {previous_year}年{p:g}{m}，{year}年{c:g}{m}"
        for label, c, p, m in zip(labels, current, previous, measure_by_label, strict=True))
    return _render(fig, caption, alt)


def _plain_axes(ax) -> None:
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=LABEL_PT)
    ax.xaxis.set_visible(False)
