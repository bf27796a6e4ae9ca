"""A report as an Excel workbook (openpyxl): one sheet per part, typed cells, and a Notes sheet.

Each sheet has the title, subtitle and scope on top, then a styled header row (frozen, with a filter) and the rows
as typed cells: counts as integers (``#,##0``), amounts as decimals (``#,##0.00``), rates as fractions shown as
percentages (``0.0%``), dates as dates, so a reader can sum and sort without retyping. ``None`` is an empty cell;
a cell note becomes a comment on that cell (the red corner), and every note is also listed on the Notes sheet with
the scope and the time the report was generated.

Text is always a text cell: openpyxl would otherwise store a string starting with ``=`` as a formula, and a
district named ``=HYPERLINK(...)`` would run in the reader's Excel. Control characters that XML cannot carry are
dropped.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.report_table import Column, ReportTable, Value
from .csv_file import note_lines

NUMBER_FORMATS = {"int": "#,##0", "decimal": "#,##0.00", "percent": "0.0%", "date": "yyyy-mm-dd", "text": "@"}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
THIN = Side(style="thin", color="A6A6A6")
HEADER_BORDER = Border(bottom=THIN, top=THIN, left=THIN, right=THIN)
MAX_WIDTH = 60
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub(" ", _clean(title)).strip()[:31] or "Report"
    name, n = base, 2
    while name.lower() in taken or name.lower() == "notes":
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _set(sheet: Worksheet, row: int, col: int, value: Value, column: Column | None = None) -> None:
    cell = sheet.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return
    if isinstance(value, float | int | Decimal | date) and not isinstance(value, bool):
        cell.value = value
    else:  # pragma: no cover - Value has no other members
        cell.value = str(value)
    if column is not None:
        cell.number_format = NUMBER_FORMATS[column.kind]


def _display_length(value: Value, column: Column) -> int:
    if value is None:
        return 0
    if column.kind == "percent":
        return 7
    if column.kind == "int" and isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))


def _write_part(sheet: Worksheet, table: ReportTable) -> None:
    top = [table.title, table.subtitle, f"Scope: {table.scope}"]
    row = 1
    for i, line in enumerate(line for line in top if line):
        _set(sheet, row, 1, line)
        sheet.cell(row=row, column=1).font = Font(bold=i == 0, size=14 if i == 0 else 11)
        row += 1
    header_row = row + 1
    for col, column in enumerate(table.columns, start=1):
        _set(sheet, header_row, col, column.label)
        cell = sheet.cell(row=header_row, column=col)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    labels = {column.key: column.label for column in table.columns}
    for r, values in enumerate(table.rows):
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            _set(sheet, header_row + 1 + r, col, value, column)
        for note in table.cell_notes:
            if note.row == r:
                col = 1 if note.column is None else 1 + [c.key for c in table.columns].index(note.column)
                where = "row" if note.column is None else labels[note.column]
                sheet.cell(row=header_row + 1 + r, column=col).comment = Comment(
                    f"{where}: {_clean(note.text)}", "TrackChild"
                )
    for col, column in enumerate(table.columns, start=1):
        longest = max([len(column.label), *(_display_length(values[col - 1], column) for values in table.rows)])
        sheet.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 8), MAX_WIDTH)
    sheet.freeze_panes = f"A{header_row + 1}"
    if table.columns and table.rows:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(table.rows)}"


def _notes_sheet(sheet: Worksheet, table: ReportTable) -> None:
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    rows: list[tuple[str, str]] = [
        ("Report", table.title),
        ("Scope", table.scope),
        ("Generated", table.generated_at.isoformat(timespec="seconds")),
    ]
    for part in table.parts():
        rows += [(part.title, line) for line in note_lines(part)]
    for r, (what, text) in enumerate(rows, start=1):
        _set(sheet, r, 1, what)
        sheet.cell(row=r, column=1).font = Font(bold=True)
        _set(sheet, r, 2, text)
        sheet.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")


def render_xlsx(table: ReportTable) -> bytes:
    """The report's workbook as bytes."""
    workbook = Workbook()
    workbook.properties.title = _clean(table.title)
    workbook.properties.creator = "TrackChild Hub"
    generated = table.generated_at
    if generated.tzinfo is not None:  # the workbook's dates are naive UTC
        generated = generated.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = generated
    taken: set[str] = set()
    first = workbook.active
    assert first is not None
    for index, part in enumerate(table.parts()):
        sheet = first if index == 0 else workbook.create_sheet()
        sheet.title = _sheet_name(part.title, taken)
        _write_part(sheet, part)
    _notes_sheet(workbook.create_sheet("Notes"), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
