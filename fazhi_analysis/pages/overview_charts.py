"""Charts for overview pages at a city's scale: how many bodies sit where (a strip of dots with the
median), each district's spread (one box per district), and who reports what (a grid of bodies ×
indicators, rows grouped by district). Sized for A4 (at most 6.5 in wide, a grid cut into page-high
pieces) and stored as palette PNGs: a flat chart needs few colours, and a page of 20 charts stays small.
"""

import io
import random

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..data.formatting import fmt_number
from .charts import BAR_COLOR, DPI, PREVIOUS_COLOR, Chart, _label_width_in, ensure_cjk_font

PRINT_WIDTH_IN = 6.5  # A4 minus margins
PALETTE_COLOURS = 48
GRID_ROWS_PER_IMAGE = 60  # one A4 page of body rows at GRID_ROW_IN
GRID_ROW_IN = 0.15
GRID_COL_IN = 0.2
GRID_FONT_PT = 7.5
REPORTED_COLOR = "#8c1c13"
NOT_REPORTED_COLOR = "#f1ece6"


def render_small(fig: Figure, caption: str, alt: str) -> Chart:
    """PNG quantised to a small palette (deterministic, and Pillow writes no Software tag or time, so the
    same data gives the same bytes)."""
    fig.set_dpi(DPI)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # straight to pixels: no full-colour PNG encoded only to be decoded again
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    return Chart(_palette_png(image), caption, alt, width, height)


def shrink(chart: Chart) -> Chart:
    """A chart drawn elsewhere (pages/charts.py) re-encoded with a small palette."""
    return Chart(_palette_png(Image.open(io.BytesIO(chart.png))), chart.caption, chart.alt, chart.width_px,
                 chart.height_px)


def _palette_png(image: Image.Image) -> bytes:
    small = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE,
                                          dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def strip_chart(values: list[float], median: float, measure: str, caption: str, alt: str) -> Chart:
    """Every body a dot on one line, `median` (`analysis.peers.median_of`, as the page says it) marked: the
    shape of a district at a glance."""
    ensure_cjk_font()
    fig = Figure(figsize=(PRINT_WIDTH_IN, 1.3))
    fig.subplots_adjust(left=0.03, right=0.97, bottom=0.3, top=0.8)
    ax = fig.add_subplot()
    rng = random.Random(0)  # fixed jitter: the same data gives the same picture and the same bytes
    offsets = [rng.uniform(-0.45, 0.45) for _ in values]
    ax.scatter(values, offsets, s=14, color=BAR_COLOR, alpha=0.6, linewidths=0)
    ax.axvline(median, color="#333333", linewidth=1)
    ax.text(median, 1.02, f"中位数{fmt_number(median)}{measure}", ha="center", va="bottom", fontsize=8,
            transform=ax.get_xaxis_transform())
    ax.set_ylim(-0.8, 0.8)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(measure, fontsize=8, loc="right")
    return render_small(fig, caption, alt)


def district_box_chart(groups: list[tuple[str, list[float], float]], measure: str, caption: str, alt: str) -> Chart:
    """One row per district (name, its bodies' values, their median as the page says it): the values as dots
    over a box from the lower to the upper quartile, the median as a bar; districts compared by spread,
    not by one number."""
    ensure_cjk_font()
    labels = [label for label, _, _ in groups]
    left_in = max(_label_width_in(label) for label in labels) * 0.9 + 0.2
    height_in = 0.55 + 0.32 * len(groups)
    fig = Figure(figsize=(PRINT_WIDTH_IN, height_in))
    fig.subplots_adjust(left=left_in / PRINT_WIDTH_IN, right=0.97, bottom=0.42 / height_in, top=1 - 0.1 / height_in)
    ax = fig.add_subplot()
    positions = list(range(len(groups)))[::-1]
    ax.boxplot([values for _, values, _ in groups], usermedians=[median for _, _, median in groups],
               positions=positions, orientation="horizontal", widths=0.55,
               showfliers=False, whis=(0, 100), patch_artist=True,
               boxprops={"facecolor": PREVIOUS_COLOR, "edgecolor": "#555555", "linewidth": 0.8},
               medianprops={"color": BAR_COLOR, "linewidth": 2}, whiskerprops={"color": "#555555", "linewidth": 0.8},
               capprops={"color": "#555555", "linewidth": 0.8})
    for pos, (_, values, _) in zip(positions, groups, strict=True):
        ax.scatter(values, [pos] * len(values), s=6, color="#333333", alpha=0.45, linewidths=0, zorder=3)
    ax.set_yticks(positions, labels, fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(measure, fontsize=8, loc="right")
    return render_small(fig, caption, alt)


def coverage_grid(rows: list[tuple[str, str]], columns: list[str], reported: list[list[bool]],
                  caption: str) -> list[Chart]:
    """Bodies (rows, grouped by district: (district, body)) × indicators (columns): a filled cell where the
    body reports the indicator. Cut into images of GRID_ROWS_PER_IMAGE rows so that each fits a page."""
    ensure_cjk_font()
    charts = []
    pieces = range(0, len(rows), GRID_ROWS_PER_IMAGE)
    for number, start in enumerate(pieces, 1):
        part = rows[start:start + GRID_ROWS_PER_IMAGE]
        cells = reported[start:start + GRID_ROWS_PER_IMAGE]
        shown = [f"{district} {body}" if i == 0 or part[i - 1][0] != district else body
                 for i, (district, body) in enumerate(part)]
        left_in = max(_label_width_in(s) for s in shown) * GRID_FONT_PT / 10 + 0.15
        top_in = max(_label_width_in(c) for c in columns) * GRID_FONT_PT / 10 + 0.15
        width_in = min(PRINT_WIDTH_IN, left_in + GRID_COL_IN * len(columns) + 0.1)
        height_in = top_in + GRID_ROW_IN * len(part) + 0.1
        fig = Figure(figsize=(width_in, height_in))
        fig.subplots_adjust(left=left_in / width_in, right=1 - 0.1 / width_in, bottom=0.1 / height_in,
                            top=1 - top_in / height_in)
        ax = fig.add_subplot()
        image = [[REPORTED_COLOR if yes else NOT_REPORTED_COLOR for yes in row] for row in cells]
        from matplotlib.colors import to_rgb

        ax.imshow([[to_rgb(c) for c in row] for row in image], aspect="auto", interpolation="nearest")
        ax.set_yticks(range(len(part)), shown, fontsize=GRID_FONT_PT)
        ax.set_xticks(range(len(columns)), columns, fontsize=GRID_FONT_PT, rotation=90)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for i in range(1, len(part)):  # a rule between districts
            if part[i][0] != part[i - 1][0]:
                ax.axhline(i - 0.5, color="#222222", linewidth=1)
        for spine in ax.spines.values():
            spine.set_visible(False)
        suffix = f"（{number}/{len(pieces)}）" if len(pieces) > 1 else ""
        counts = [sum(row) for row in cells]
        alt = f"{caption}{suffix}：" + "；".join(f"{b}报告{n}项" for (_, b), n in zip(part, counts, strict=True))
        charts.append(render_small(fig, caption + suffix, alt))
    return charts
