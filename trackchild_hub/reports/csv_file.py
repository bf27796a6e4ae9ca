"""A report as CSV: RFC 4180 (CRLF, quotes doubled), UTF-8 with a byte-order mark so Excel reads Indic names right.

Layout, read back by any CSV reader: a header row of column keys, the data rows; then, after an empty row, the notes
as two-cell rows (``note``, text): the cell notes ("row 3, traced: fewer than 5, suppressed"), the table's notes, the
scope and the time it was generated. A further section (``ReportTable.sections``) follows after another empty row
with its title as a one-cell row, its own header, rows and notes.

Values: a number as Python writes it (a ``percent`` column holds the fraction, 0.25, as the XLSX cell does), a date
as ISO 8601, ``None`` as an empty cell. Text that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is prefixed with an apostrophe (OWASP "CSV injection"): a district named
``=HYPERLINK(...)`` by a careless or hostile import stays text.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from ..domain.report_table import ColumnKind, ReportTable, Value

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` safe to open in a spreadsheet: a formula-like start gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Value, kind: ColumnKind = "text") -> str:
    """One value as CSV text; a rate rounded to 4 places (0.7885, not 0.7884615384615384)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # bool is an int: never meant here, but never "True" in a count column either
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(round(value, 4) if kind == "percent" else value, "f")
    if isinstance(value, float):
        return repr(round(value, 4) if kind == "percent" else value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def _write_part(writer: _Writer, table: ReportTable, *, first: bool) -> None:
    if not first:
        writer.writerow([])
        writer.writerow([neutralise(table.title)])
    writer.writerow([neutralise(column.key) for column in table.columns])
    for row in table.rows:
        writer.writerow([cell_text(value, column.kind) for column, value in zip(table.columns, row, strict=True)])
    notes = note_lines(table)
    if first:
        notes += [f"Scope: {table.scope}", f"Generated: {table.generated_at.isoformat(timespec='seconds')}"]
    if notes:
        writer.writerow([])
        for note in notes:
            writer.writerow(["note", neutralise(note)])


def note_lines(table: ReportTable) -> list[str]:
    """The cell notes then the table's notes, as one line each (the PDF prints the same lines)."""
    labels = {column.key: column.label for column in table.columns}
    lines = []
    for note in table.cell_notes:
        where = f"Row {note.row + 1}" + (f", {labels[note.column]}" if note.column is not None else "")
        lines.append(f"{where}: {note.text}")
    return [*lines, *table.notes]


class _Writer:
    """``csv.writer`` with the dialect fixed: RFC 4180 line ends, quotes only where needed."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def writerow(self, row: list[str]) -> None:
        self._writer.writerow(row)


def render_csv(table: ReportTable) -> bytes:
    """The report's CSV file (UTF-8 with BOM)."""
    out = io.StringIO()
    out.write(BOM)
    writer = _Writer(out)
    for index, part in enumerate(table.parts()):
        _write_part(writer, part, first=index == 0)
    return out.getvalue().encode("utf-8")
