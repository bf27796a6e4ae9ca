"""A report as the downloads render it: a titled table with typed columns, notes and charts.

Every report the hub hands out as a file (``/reports/stats.csv``, ``/reports/progress.pdf``...) is first turned into
one :class:`ReportTable` by the report's own adapter (``to_report_table`` next to the report's dataclass), and the
renderers in ``trackchild_hub.reports`` know nothing else: one CSV, XLSX and PDF writer for every report, so a
suppression note or a number format is decided once.

Values are plain Python: ``str``, ``int``, ``Decimal`` (money, rates), ``float``, ``date``. ``None`` is a cell that
is not shown: suppressed (a small cell that could single a child out) or not recorded. Say which with a
:class:`CellNote` (one cell, or a whole row when ``column`` is ``None``) or a table note: a blank cell must never be
mistaken for a zero. A report with more than one part (the progress report's physical and financial parts) puts the
further parts in ``sections``: each its own sheet in the XLSX, its own block in the CSV and PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

ColumnKind = Literal["text", "int", "decimal", "percent", "date"]
"""How a column's values are typed and formatted: ``percent`` values are fractions (0.25 shows as 25.0%)."""

Value = str | int | float | Decimal | date | None
ChartKind = Literal["line", "bar"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: ``key`` is its machine name (CSV header), ``label`` what a reader sees (XLSX, PDF)."""

    key: str
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True, slots=True)
class CellNote:
    """Why a cell (or, with ``column=None``, a whole row) reads as it does, e.g. "fewer than 5: suppressed"."""

    row: int
    column: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Series:
    """One line or one set of bars: a value per x label (``None``: no value there, drawn as a gap)."""

    label: str
    values: tuple[float | int | Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A chart the PDF draws, e.g. missing against traced by month (line) or by district (bar)."""

    kind: ChartKind
    title: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    y_label: str = ""

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.x_labels):
                raise ValueError(
                    f"series {series.label!r} has {len(series.values)} values for {len(self.x_labels)} labels"
                )


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A report ready to render; ``scope`` says whose data it is ("West Bengal, district Howrah", "India")."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    generated_at: datetime
    scope: str
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    cell_notes: tuple[CellNote, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    sections: tuple[ReportTable, ...] = field(default=())

    def __post_init__(self) -> None:
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"row {index} has {len(row)} values for {width} columns")
        keys = {column.key for column in self.columns}
        for note in self.cell_notes:
            if not 0 <= note.row < len(self.rows) or (note.column is not None and note.column not in keys):
                raise ValueError(f"cell note for row {note.row}, column {note.column!r} is outside the table")

    def notes_for(self, row: int, column: str | None = None) -> Sequence[CellNote]:
        """The notes on one cell (row notes included), or on the row alone when ``column`` is None."""
        return [note for note in self.cell_notes if note.row == row and note.column in (None, column)]

    def parts(self) -> tuple[ReportTable, ...]:
        """This table and its sections, in reading order."""
        return (self, *self.sections)
