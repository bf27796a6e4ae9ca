"""A report's table on PDF pages, drawn cell by cell: fast enough for thousands of rows.

fpdf2's own ``table()`` lays every cell out as a wrapped paragraph with bidirectional analysis and HarfBuzz shaping:
about 30 ms a row, 38 s for a thousand police stations. Here a cell that fits on one line is one ``cell()`` call,
and text is shaped only where it needs it (any non-ASCII text: a Bengali name, the rupee sign); a number or an
ASCII name goes the plain way. A cell too long for its column wraps (``multi_cell``), and the header row repeats on
every page.

Column widths: each column's natural width (its widest value, its header's longest word), stretched by up to half
when the page has room; when it is too narrow, numbers keep theirs and the text columns share what is left, in
proportion, wrapping their long values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue

from ..domain.report_table import Column

LINE = 4.4  # mm per line of 8 pt text
PAD = 1.2  # mm on each side of a cell's text
HEADER_FILL = (31, 78, 121)
ZEBRA_FILL = (242, 242, 242)
RULE = (190, 190, 190)
MAX_STRETCH = 1.5
MIN_TEXT_WIDTH = 18.0  # mm: a text column never narrower (its values wrap instead)


@dataclass(frozen=True, slots=True)
class TableStyle:
    """The family for shaped text and the same face registered under ``plain`` for ASCII text (regular and bold)."""

    family: str
    plain: str
    size: float = 8


def _shape_for(pdf: FPDF, text: str, style: TableStyle) -> None:
    """Shaping is what Indic text needs and what makes a cell slow: on only for text that is not plain ASCII.

    One font must not be used both shaped and unshaped in a document (fpdf2 subsets it one way or the other, and
    the other text comes out as wrong glyphs), so plain text is set in the same face registered a second time
    (:data:`PLAIN`), shaped text in the main one."""
    shaped = not text.isascii()
    pdf.set_text_shaping(shaped)
    pdf.set_font(style.family if shaped else style.plain, style=pdf.font_style, size=style.size)


def _width(pdf: FPDF, text: str, style: TableStyle) -> float:
    _shape_for(pdf, text, style)
    return float(pdf.get_string_width(text))


def _lines(pdf: FPDF, text: str, width: float, style: TableStyle) -> list[str]:
    _shape_for(pdf, text, style)
    lines = pdf.multi_cell(width, LINE, text, dry_run=True, output=MethodReturnValue.LINES)
    assert isinstance(lines, list)  # output=LINES answers the list of lines
    return [str(line) for line in lines] or [""]


def column_widths(
    pdf: FPDF, columns: Sequence[Column], header: Sequence[str], body: Sequence[Sequence[str]], style: TableStyle
) -> list[float]:
    """Each column's width in mm, filling at most the page's width (see the module's docstring)."""
    pdf.set_font(pdf.font_family, style="B")
    natural = [max((_width(pdf, word, style) for word in label.split()), default=0.0) + 2 * PAD for label in header]
    pdf.set_font(pdf.font_family, style="")
    for row in body:
        for i, text in enumerate(row):
            natural[i] = max(natural[i], _width(pdf, text, style) + 2 * PAD)
    room = float(pdf.epw)
    if sum(natural) <= room:  # room to spare: every column a little wider (at most half again), easier to read
        scale = min(room / sum(natural), MAX_STRETCH)
        return [w * scale for w in natural]
    text_columns = [i for i, column in enumerate(columns) if column.kind == "text"]
    fixed = sum(w for i, w in enumerate(natural) if i not in text_columns)
    left = room - fixed
    wanted = sum(natural[i] for i in text_columns)
    if not text_columns or left <= MIN_TEXT_WIDTH * len(text_columns):
        scale = room / sum(natural)  # nothing sensible to share: every column shrinks alike
        return [w * scale for w in natural]
    widths = list(natural)
    for i in text_columns:
        widths[i] = max(MIN_TEXT_WIDTH, natural[i] * left / wanted)
    return widths


class _Writer:
    """One table being drawn: its header (repeated after a page break), column widths and alignments."""

    def __init__(
        self, pdf: FPDF, header: Sequence[str], widths: Sequence[float], aligns: Sequence[Align], style: TableStyle
    ) -> None:
        self.pdf, self.header, self.widths, self.aligns, self.style = pdf, header, widths, aligns, style

    def header_row(self) -> None:
        pdf = self.pdf
        pdf.set_font(pdf.font_family, style="B")
        pdf.set_text_color(255)
        self._row(self.header, HEADER_FILL)
        pdf.set_font(pdf.font_family, style="")
        pdf.set_text_color(0)

    def body_row(self, texts: Sequence[str], *, zebra: bool) -> None:
        if self.pdf.get_y() + self._height(texts) > self.pdf.page_break_trigger:
            self.pdf.add_page(orientation=self.pdf.cur_orientation.value)
            self.header_row()
        self._row(texts, ZEBRA_FILL if zebra else None)

    def _wrapped(self, texts: Sequence[str]) -> list[list[str]]:
        pdf = self.pdf
        return [
            _lines(pdf, text, width, self.style) if _width(pdf, text, self.style) + 2 * PAD > width else [text]
            for text, width in zip(texts, self.widths, strict=True)
        ]

    def _height(self, texts: Sequence[str]) -> float:
        return LINE * max(len(lines) for lines in self._wrapped(texts))

    def _row(self, texts: Sequence[str], fill: tuple[int, int, int] | None) -> None:
        pdf = self.pdf
        wrapped = self._wrapped(texts)
        height = LINE * max(len(lines) for lines in wrapped)
        x, y = pdf.l_margin, pdf.get_y()
        if fill is not None:
            pdf.set_fill_color(*fill)
            pdf.rect(x, y, sum(self.widths), height, style="F")
        for text, lines, width, align in zip(texts, wrapped, self.widths, self.aligns, strict=True):
            _shape_for(pdf, text, self.style)
            pdf.set_xy(x, y)
            if len(lines) == 1:
                pdf.cell(width, LINE, text, align=align)
            else:
                pdf.multi_cell(width, LINE, text, align=align)
            x += width
        pdf.set_draw_color(*RULE)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(self.widths), y + height)
        pdf.set_xy(pdf.l_margin, y + height)


def draw_table(
    pdf: FPDF, columns: Sequence[Column], header: Sequence[str], body: Sequence[Sequence[str]], style: TableStyle
) -> None:
    """``body`` (already formatted text) under ``header``, from the current position; pages added as needed. The
    cursor is left under the table, at the left margin."""
    pdf.set_font(style.family, size=style.size)
    margin, pdf.c_margin = pdf.c_margin, PAD
    widths = column_widths(pdf, columns, header, body, style)
    aligns = [Align.L if column.kind in ("text", "date") else Align.R for column in columns]
    writer = _Writer(pdf, header, widths, aligns, style)
    try:
        writer.header_row()
        for index, texts in enumerate(body):
            writer.body_row(texts, zebra=index % 2 == 1)
    finally:
        pdf.set_text_shaping(True)
        pdf.set_font(style.family, size=style.size)
        pdf.c_margin = margin
