"""The PDF download's text read back with pypdf: title, scope, values, notes, and Indic names as characters."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from trackchild_hub.domain.report_table import Column, ReportTable
from trackchild_hub.reports import pdf_file
from trackchild_hub.reports.pdf_file import render_pdf

from .tables import CHENNAI_TA, FORMULA, GENERATED, HOWRAH_HI, KOLKATA_BN, SHAPED_BN, financial_table, stats_table


def _text(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # A shaped glyph with no character of its own (a reordered vowel sign's second part, a half form) comes out as a
    # control character: dropped, what is left must be the text as written.
    return reader, "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch == "\n")


def test_title_scope_values_and_notes() -> None:
    reader, text = _text(render_pdf(stats_table(sections=(financial_table(),))))
    assert reader.metadata is not None
    assert reader.metadata.title == "Missing and traced children"
    for expected in (
        "Missing and traced children",
        "Scope: West Bengal (19)",
        "Trace rate",
        "75.0%",
        "2026-03-01",
        "*1 fewer than 5: suppressed",
        "*2 partial month",
        "3 – *1",  # row 4: missing 3, traced suppressed with its marker
        "Howrah *2",  # the row note on the row's first cell
        "Counts below 5 are suppressed",
        "Financial part",
        "120.50",
        "1 / 2",
    ):
        assert expected in " ".join(text.split()), expected  # a header wraps ("Trace\nrate")
    # A PDF runs nothing: the name as it was given (wrapped in its cell, hence the newlines dropped).
    assert FORMULA in text.replace("\n", "")


def test_indic_names_come_back_as_the_characters_written() -> None:
    _, text = _text(render_pdf(stats_table()))
    for name in (HOWRAH_HI, KOLKATA_BN, SHAPED_BN, CHENNAI_TA):
        assert name in text, name


def test_every_font_is_embedded() -> None:
    reader, _ = _text(render_pdf(stats_table()))
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        for ref in resources.values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"NotoSans", "NotoSansDevanagari", "NotoSansBengali", "NotoSansTamil"} <= fonts


def test_a_wide_table_is_set_landscape() -> None:
    columns = tuple(Column(f"c{i}", f"Column {i}", "int") for i in range(9))
    table = ReportTable("Wide", columns, ((*range(9),),), GENERATED, "India")
    page = PdfReader(io.BytesIO(render_pdf(table))).pages[0]
    assert page.mediabox.width > page.mediabox.height


def test_a_long_table_runs_over_pages_with_its_header_on_each() -> None:
    columns = (Column("station", "Police station"), Column("missing", "Missing", "int"))
    rows = tuple((f"PS-19-313-{i:04d} {HOWRAH_HI}" if i % 2 else f"PS-19-313-{i:04d}", i) for i in range(300))
    reader = PdfReader(io.BytesIO(render_pdf(ReportTable("Stations", columns, rows, GENERATED, "India"))))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    assert all("Police station" in page for page in pages)
    text = "".join(ch for ch in "\n".join(pages) if unicodedata.category(ch) != "Cc")
    assert "PS-19-313-0298 298" in text
    assert f"PS-19-313-0299 {HOWRAH_HI} 299" in text


def test_a_value_too_long_for_its_column_wraps_whole() -> None:
    long = "Specialised adoption agency of the district of " * 6
    columns = tuple(Column(f"c{i}", f"Column {i}") for i in range(5))
    table = ReportTable("Wrap", columns, ((long.strip(), "b", "c", "d", "e"),), GENERATED, "India")
    _, text = _text(render_pdf(table))
    assert " ".join(long.split()) in " ".join(text.split())


def test_a_table_past_the_print_limit_says_where_the_rest_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_file, "MAX_ROWS", 3)
    rows = tuple((f"S{i}", i) for i in range(5))
    table = ReportTable("Cut", (Column("s", "S"), Column("n", "N", "int")), rows, GENERATED, "India")
    _, text = _text(render_pdf(table))
    assert "S2 2" in text
    assert "S3" not in text
    assert "The first 3 of 5 rows are printed here; the CSV and XLSX have them all." in text
