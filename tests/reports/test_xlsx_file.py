"""The XLSX download opened with openpyxl: typed cells, number formats, comments, the Notes sheet."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from trackchild_hub.domain.report_table import Column, ReportTable
from trackchild_hub.reports.xlsx_file import render_xlsx

from .tables import FORMULA, GENERATED, HOWRAH_HI, SHAPED_BN, financial_table, stats_table


def _sheet(book: object, name: str) -> Worksheet:
    sheet = book[name]  # type: ignore[index]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_cells_are_typed_and_formatted() -> None:
    book = load_workbook(io.BytesIO(render_xlsx(stats_table(sections=(financial_table(),)))))
    assert book.sheetnames == ["Missing and traced children", "Financial part", "Notes"]
    sheet = _sheet(book, "Missing and traced children")
    assert sheet["A1"].value == "Missing and traced children"
    assert sheet["A1"].font.b
    assert sheet["A3"].value == "Scope: West Bengal (19)"
    header = [cell.value for cell in sheet[5]]
    assert header == ["District", "Month", "Missing", "Traced", "Trace rate"]
    assert sheet["A5"].font.b
    assert sheet.freeze_panes == "A6"
    first = sheet[6]
    assert first[0].value == HOWRAH_HI
    assert first[1].value == datetime(2026, 1, 1)
    assert first[1].number_format == "yyyy-mm-dd"
    assert first[2].value == 40
    assert first[2].data_type == "n"
    assert first[2].number_format == "#,##0"
    assert first[4].value == 0.75
    assert first[4].number_format == "0.0%"
    assert sheet["A7"].value == f"{SHAPED_BN} কলকাতা"
    assert sheet.column_dimensions["A"].width >= len(f"{SHAPED_BN} কলকাতা")
    assert sheet.auto_filter.ref == "A5:E11"


def test_suppressed_cells_are_empty_with_a_comment() -> None:
    sheet = _sheet(load_workbook(io.BytesIO(render_xlsx(stats_table()))), "Missing and traced children")
    traced = sheet["D9"]
    assert sheet["C9"].value == 3
    assert traced.value is None
    assert traced.comment is not None
    assert "fewer than 5: suppressed" in traced.comment.text
    assert sheet["A9"].comment is not None
    assert "partial month" in sheet["A9"].comment.text


def test_formula_like_text_stays_text() -> None:
    sheet = _sheet(load_workbook(io.BytesIO(render_xlsx(stats_table()))), "Missing and traced children")
    assert sheet["A8"].value == FORMULA
    assert sheet["A8"].data_type == "s", "stored as a string, not as a formula Excel would run"
    assert sheet["A10"].value == "-1+2"
    assert sheet["A10"].data_type == "s"


def test_notes_sheet_lists_scope_and_every_note() -> None:
    book = load_workbook(io.BytesIO(render_xlsx(stats_table(sections=(financial_table(),)))))
    notes = [(row[0].value, row[1].value) for row in _sheet(book, "Notes").iter_rows()]
    assert notes[:3] == [
        ("Report", "Missing and traced children"),
        ("Scope", "West Bengal (19)"),
        ("Generated", "2026-11-30T14:00:00+00:00"),
    ]
    assert ("Missing and traced children", "Row 4, Traced: fewer than 5: suppressed") in notes
    assert ("Financial part", "Row 2, Sanctioned (₹ lakh): not recorded") in notes
    money = _sheet(book, "Financial part")
    assert money["B4"].value == "Sanctioned (₹ lakh)", "no subtitle: the header comes a row earlier"
    assert money["B5"].value == 120.5
    assert money["B5"].number_format == "#,##0.00"
    assert money["B6"].value is None


def test_sheet_names_are_cleaned_and_unique() -> None:
    part = ReportTable("Stats: by state/district [2026]", (Column("a", "A"),), (("x",),), GENERATED, "India")
    book = load_workbook(io.BytesIO(render_xlsx(ReportTable(**{**_fields(part), "sections": (part,)}))))
    assert book.sheetnames == ["Stats  by state district  2026", "Stats  by state district  2 (2)", "Notes"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def _fields(table: ReportTable) -> dict[str, object]:
    return {name: getattr(table, name) for name in table.__dataclass_fields__}
