"""ReportTable refuses a table its renderers could not draw truthfully."""

from __future__ import annotations

import pytest

from trackchild_hub.domain.report_table import CellNote, ChartSpec, Column, ReportTable, Series

from .tables import GENERATED, stats_table


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="row 0 has 1 values for 2 columns"):
        ReportTable("t", (Column("a", "A"), Column("b", "B")), (("x",),), GENERATED, "India")


def test_a_note_outside_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the table"):
        ReportTable("t", (Column("a", "A"),), (("x",),), GENERATED, "India", cell_notes=(CellNote(0, "b", "?"),))
    with pytest.raises(ValueError, match="outside the table"):
        ReportTable("t", (Column("a", "A"),), (("x",),), GENERATED, "India", cell_notes=(CellNote(1, None, "?"),))


def test_a_series_must_have_a_value_per_label() -> None:
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        ChartSpec("line", "t", ("a", "b", "c"), (Series("s", (1, 2)),))


def test_notes_for_a_cell_include_its_row_notes() -> None:
    table = stats_table()
    assert [n.text for n in table.notes_for(3, "traced")] == ["fewer than 5: suppressed", "partial month"]
    assert [n.text for n in table.notes_for(3)] == ["partial month"]
    assert table.notes_for(0, "traced") == []
