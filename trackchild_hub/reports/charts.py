"""Charts for the PDF downloads, drawn with matplotlib's Agg canvas (no pyplot, no display) as PNG or SVG bytes.

A line chart is a trend (missing against traced by month); a bar chart compares places (by state or district):
vertical bars for a few short categories, horizontal ones beyond :data:`VERTICAL_MAX` or for long names (in any
script), so labels never overlap. Counts start at 0. Only the object API is used (``Figure`` + ``FigureCanvasAgg``):
pyplot keeps global state and is not safe off the main thread, and these run in worker threads. The rc settings are
global too, so a lock keeps one chart at a time inside :func:`render_chart` (a chart takes tens of milliseconds).
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
from typing import Literal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..domain.report_table import ChartSpec
from . import fonts

ImageFormat = Literal["png", "svg"]
VERTICAL_MAX = 8
WRAP = 24  # characters per line of a long category name beside a horizontal bar
NO_VALUE = "n/a"  # a bar with no value (suppressed small cell, not recorded): the table's notes say which
# Okabe-Ito: told apart by readers with colour-blindness and on a greyscale printout.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

_lock = threading.Lock()


def _number(value: object) -> float:
    return math.nan if value is None else float(value)  # type: ignore[arg-type]


def _draw(figure: Figure, spec: ChartSpec) -> None:
    axes = figure.add_subplot()
    axes.set_title(spec.title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    labels = list(spec.x_labels)
    positions = list(range(len(labels)))
    if spec.kind == "line":
        for i, series in enumerate(spec.series):
            values = [_number(v) for v in series.values]
            axes.plot(positions, values, marker="o", markersize=3, color=PALETTE[i % len(PALETTE)], label=series.label)
        axes.set_xticks(
            positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
        )
        if len(labels) > 18:  # two years of months: every other label
            for i, tick in enumerate(axes.get_xticklabels()):
                tick.set_visible(i % 2 == 0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel(spec.y_label)
        axes.grid(axis="y", alpha=0.3)
    else:
        count = max(len(spec.series), 1)
        width = 0.8 / count
        horizontal = is_horizontal(spec)
        if horizontal:
            labels = [textwrap.fill(label, WRAP) for label in labels]
        for i, series in enumerate(spec.series):
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            values = [0.0 if v is None else float(v) for v in series.values]
            colour = PALETTE[i % len(PALETTE)]
            if horizontal:
                axes.barh(offsets, values, height=width, color=colour, label=series.label)
            else:
                axes.bar(offsets, values, width=width, color=colour, label=series.label)
            for offset, value in zip(offsets, series.values, strict=True):
                if value is None:  # suppressed or not recorded: say so where the bar would be, never draw a 0
                    xy = (0, offset) if horizontal else (offset, 0)
                    axes.annotate(
                        NO_VALUE,
                        xy,
                        ha="left" if horizontal else "center",
                        va="center" if horizontal else "bottom",
                        fontsize=7,
                        color="#666666",
                        rotation=0 if horizontal else 90,
                    )
        if horizontal:
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()  # first category at the top, as in the table
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlabel(spec.y_label)
            axes.grid(axis="x", alpha=0.3)
        else:
            axes.set_xticks(positions, labels)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_ylabel(spec.y_label)
            axes.grid(axis="y", alpha=0.3)
    values = [float(v) for series in spec.series for v in series.values if v is not None]
    top = max(values, default=0.0)
    # Counts: the axis starts at 0 (never below), and an all-zero or all-hidden chart still has a 0..1 scale.
    if spec.kind == "bar" and is_horizontal(spec):
        axes.set_xlim(0, None if top > 0 else 1)
    else:
        axes.set_ylim(0, None if top > 0 else 1)
    if not values:
        axes.text(
            0.5,
            0.5,
            "no values shown: suppressed or not recorded",
            transform=axes.transAxes,
            ha="center",
            color="#666666",
        )
    if len(spec.series) > 1:
        axes.legend(frameon=False, fontsize=9)


def is_horizontal(spec: ChartSpec) -> bool:
    """Bars run sideways when the categories are many or their names long (they would overlap under the bars)."""
    lengths = [len(label) for label in spec.x_labels]
    return spec.kind == "bar" and (len(lengths) > VERTICAL_MAX or sum(lengths) > 60 or max(lengths, default=0) > 16)


def figure_size(spec: ChartSpec) -> tuple[float, float]:
    """Inches: wide enough for a page, taller for a long horizontal bar chart."""
    if is_horizontal(spec):
        return (7.0, min(2.0 + 0.32 * len(spec.x_labels) * max(1, len(spec.series)) ** 0.5, 9.5))
    return (7.0, 3.4)


def render_chart(spec: ChartSpec, fmt: ImageFormat = "png", dpi: int = 150) -> bytes:
    """The chart as PNG (``dpi`` dots per inch) or SVG bytes."""
    fonts.register_with_matplotlib()
    with _lock, matplotlib.rc_context({"font.family": fonts.family_list(), "font.size": 9, "svg.fonttype": "path"}):
        figure = Figure(figsize=figure_size(spec), dpi=dpi, layout="constrained")
        FigureCanvasAgg(figure)
        _draw(figure, spec)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: ImageFormat) -> dict[str, str | None]:
    # No creation date or software version in the file: the same chart renders to the same bytes.
    return {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
