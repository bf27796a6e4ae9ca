"""A report as PDF (fpdf2): title and scope, the charts, the table, the notes; page numbers in the footer.

Text is shaped by HarfBuzz (``set_text_shaping``) with the shipped Noto faces as fallbacks, so a Bengali or Tamil
name in a row or a chart's caption is set with its conjuncts and vowel signs, and the PDF's text layer holds the
real characters (copy and search work). Charts are matplotlib PNGs (:mod:`.charts`) at print resolution. A table
wider than :data:`PORTRAIT_MAX_COLUMNS` columns is set on landscape pages. ``None`` prints as an en dash, and a cell
with a note carries a marker (``*1``) that points to the numbered notes under the table (one number per
distinct note: every suppressed cell shares the same one; the CSV and XLSX say which note is on which cell).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from ..domain.report_table import Column, ReportTable, Value
from . import fonts
from .charts import figure_size, render_chart
from .pdf_table import TableStyle, draw_table

PORTRAIT_MAX_COLUMNS = 7
FAMILY = "noto"
PLAIN = "noto-plain"
MAX_ROWS = 2000  # rows of one table printed (about 45 pages, 5 s); the CSV and XLSX carry every row
DASH = "\u2013"


class _Document(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=7)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text}    {self.page_no()} / {{nb}}", align=Align.R)


def format_value(value: Value, column: Column) -> str:
    """A value as the PDF prints it: thousands separators, percentages, ISO dates."""
    if value is None:
        return DASH
    if column.kind == "percent" and isinstance(value, int | float | Decimal):
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,}"  # as many places as it was given: 120.50 rupees, 10.5 days
    if isinstance(value, float):
        return f"{value:,.2f}" if column.kind == "decimal" else f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _new_document(title: str) -> _Document:
    pdf = _Document(unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("TrackChild Hub")
    pdf.add_font(FAMILY, "", str(fonts.LATIN.path))
    pdf.add_font(FAMILY, "B", str(fonts.LATIN_BOLD.path))
    pdf.add_font(PLAIN, "", str(fonts.LATIN.path))  # the same faces for unshaped ASCII text: see pdf_table
    pdf.add_font(PLAIN, "B", str(fonts.LATIN_BOLD.path))
    for face in fonts.SCRIPTS:
        pdf.add_font(face.family, "", str(face.path))
    pdf.set_fallback_fonts([face.family for face in fonts.SCRIPTS], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(True, margin=16)
    pdf.alias_nb_pages()
    return pdf


def _heading(pdf: FPDF, table: ReportTable, *, level: Literal[1, 2]) -> None:
    pdf.set_font(FAMILY, "B", 15 if level == 1 else 12)
    pdf.multi_cell(0, 7, table.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=9)
    if table.subtitle:
        pdf.multi_cell(0, 5, table.subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if level == 1:
        pdf.set_text_color(80)
        generated = table.generated_at.isoformat(timespec="minutes")
        pdf.multi_cell(0, 5, f"Scope: {table.scope}    Generated: {generated}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
    pdf.ln(2)


def _charts(pdf: FPDF, table: ReportTable) -> None:
    for spec in table.charts:
        width_in, height_in = figure_size(spec)
        width = pdf.epw if pdf.epw < 190 else 180
        height = width * height_in / width_in
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        png = render_chart(spec, "png", dpi=200)
        pdf.image(png, x=pdf.l_margin, w=width, h=height)
        pdf.ln(3)


def _table(pdf: FPDF, table: ReportTable) -> None:
    if not table.columns:
        return
    numbers = note_numbers(table)
    marks: dict[tuple[int, str | None], list[int]] = {}
    for note in table.cell_notes:
        marks.setdefault((note.row, note.column), []).append(numbers[note.text])
    first_key = table.columns[0].key
    body: list[list[str]] = []
    for r, values in enumerate(table.rows[:MAX_ROWS]):
        texts = []
        for column, value in zip(table.columns, values, strict=True):
            found = marks.get((r, column.key), [])
            if column.key == first_key:
                found = marks.get((r, None), []) + found
            marker = " *" + ",".join(str(n) for n in sorted(set(found))) if found else ""
            texts.append(format_value(value, column) + marker)
        body.append(texts)
    draw_table(pdf, table.columns, [column.label for column in table.columns], body, TableStyle(FAMILY, PLAIN))


def note_numbers(table: ReportTable) -> dict[str, int]:
    """One number per distinct cell-note text, in order of appearance: thirty suppressed cells share one "*1"."""
    return {text: n for n, text in enumerate(dict.fromkeys(note.text for note in table.cell_notes), start=1)}


def _notes(pdf: FPDF, table: ReportTable) -> None:
    lines = [f"*{n} {text}" for text, n in note_numbers(table).items()]
    lines += list(table.notes)
    if len(table.rows) > MAX_ROWS:
        lines.append(
            f"The first {MAX_ROWS:,} of {len(table.rows):,} rows are printed here; the CSV and XLSX have them all."
        )
    if not lines:
        return
    pdf.ln(2)
    if pdf.get_y() + 14 > pdf.page_break_trigger:  # the heading with at least its first lines, never alone
        pdf.add_page(orientation=pdf.cur_orientation.value)
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(0, 5, "Notes", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=8)
    for line in lines:
        pdf.multi_cell(0, 4.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(table: ReportTable) -> bytes:
    """The report's PDF as bytes."""
    pdf = _new_document(table.title)
    pdf.set_creation_date(table.generated_at)
    pdf.footer_text = f"TrackChild Hub · {table.title} · {table.scope}"
    for index, part in enumerate(table.parts()):
        landscape = len(part.columns) > PORTRAIT_MAX_COLUMNS
        if index == 0 or landscape or pdf.get_y() > pdf.page_break_trigger - 60:
            pdf.add_page(orientation="L" if landscape else "P")
        else:
            pdf.ln(6)
        _heading(pdf, part, level=1 if index == 0 else 2)
        _charts(pdf, part)
        _table(pdf, part)
        _notes(pdf, part)
    return bytes(pdf.output())
