"""The CSV download parses back to the table's values; Excel-bound text never runs as a formula."""

from __future__ import annotations

import csv
import io

from trackchild_hub.reports.csv_file import neutralise, render_csv

from .tables import CHENNAI_TA, FORMULA, HOWRAH_HI, financial_table, stats_table


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark, so Excel reads the Indic names as UTF-8"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_header_rows_and_notes() -> None:
    rows = _rows(render_csv(stats_table()))
    assert rows[0] == ["district", "month", "missing", "traced", "trace_rate"]
    assert rows[1] == [HOWRAH_HI, "2026-01-01", "40", "30", "0.7500"]
    assert rows[2][4] == "0.7885", "a rate to 4 places"
    assert rows[4] == ["Howrah", "2026-04-01", "3", "", ""], "suppressed cells are empty, never 0"
    assert rows[6][0] == CHENNAI_TA
    assert rows[7] == []
    notes = [r[1] for r in rows[8:]]
    assert notes[:3] == [
        "Row 4, Traced: fewer than 5: suppressed",
        "Row 4: partial month",
        "Counts below 5 are suppressed so that no child can be singled out.",
    ]
    assert notes[3:] == ["Scope: West Bengal (19)", "Generated: 2026-11-30T14:00:00+00:00"]


def test_formula_like_text_is_neutralised() -> None:
    rows = _rows(render_csv(stats_table()))
    assert rows[3][0] == "'" + FORMULA
    assert rows[5][0] == "'-1+2"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "SUM(A1)").startswith("'")
    assert neutralise("Howrah") == "Howrah"
    assert neutralise("") == ""


def test_sections_follow_with_their_title() -> None:
    rows = _rows(render_csv(stats_table(sections=(financial_table(),))))
    start = rows.index(["Financial part"])
    assert rows[start - 1] == []
    assert rows[start + 1] == ["component", "sanctioned"]
    assert rows[start + 2] == ["Institutional care", "120.50"]
    assert rows[start + 3][1] == ""
    assert rows[start + 5] == ["note", "Row 2, Sanctioned (₹ lakh): not recorded"]
