"""Small-cell suppression as plain functions: primary cells, complementary cells (no hidden cell, and no small sum of
hidden cells, comes back as the total minus the shown ones), derived values, who sees what; and the report table
adapter that the downloads render."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from trackchild_hub.domain.stats import StatsKey, StatsMeasure, StatsRow, StatsTable, to_report_table
from trackchild_hub.domain.stats_suppression import hidden_cells, sees_small_cells, suppress


@pytest.mark.parametrize(
    ("values", "hidden"),
    [
        ([8, 2, 7, 0], {1, 2}),  # 2 is small; alone it is total - 15: the smallest shown non-zero (7) goes too
        ([8, 2, 3, 9], {1, 2}),  # two small cells adding up to 5: enough
        ([8, 1, 2, 9], {1, 2, 0}),  # two small cells adding up to 3: a third cell hides the sum
        ([5, 6, 0], set()),  # nothing small; 0 is no small cell
        ([1, 0, 0], {0}),  # nothing to hide it with: the total (1) is small and hidden itself
        ([], set()),
    ],
)
def test_hidden_cells(values: list[int], hidden: set[int]) -> None:
    assert hidden_cells(values) == hidden


@pytest.mark.parametrize("values", [[8, 2, 7, 0], [8, 1, 2, 9], [3, 30, 40, 50, 1], [4, 4, 100], [12, 1]])
def test_no_hidden_cell_or_small_sum_can_be_worked_out_from_the_total(values: list[int]) -> None:
    hidden = hidden_cells(values)
    total = sum(values)
    if total >= 5 and any(0 < v < 5 for v in values):
        # what a reader learns: total - shown = the sum of the hidden cells, never a single cell, never below 5
        assert len(hidden) >= 2
        assert total - sum(v for i, v in enumerate(values) if i not in hidden) >= 5


def row(missing: int, traced: int, pending: int, key: str) -> StatsRow:
    return StatsRow(
        key=StatsKey(district=key),
        missing=missing,
        traced=traced,
        pending=pending,
        trace_rate=traced / missing,
        median_days_to_trace=3.0,
    )


def test_rates_and_medians_follow_their_counts() -> None:
    rows, total = suppress([row(20, 3, 10, "a"), row(30, 12, 10, "b")], row(50, 15, 20, "all"))
    a, b = rows
    assert (a.traced, a.trace_rate, a.median_days_to_trace) == (None, None, None)
    assert (b.traced, b.trace_rate) == (None, None)  # the complement of a's 3
    assert (a.missing, b.missing, a.pending) == (20, 30, 10)
    assert a.suppressed == {StatsMeasure.TRACED, StatsMeasure.TRACE_RATE, StatsMeasure.MEDIAN_DAYS_TO_TRACE}
    assert (total.traced, total.trace_rate, total.suppressed) == (15, 0.3, frozenset())


def test_who_sees_small_cells() -> None:
    for agency in ("police", "ahtu", "cci", "cwc", "jjb", "dcpu", "scps", "cpsu"):
        assert sees_small_cells(agency)
    for agency in ("legal_services", "district_admin", "state_it", "ngo", None, "someone"):
        assert not sees_small_cells(agency)


def test_report_table_has_a_row_per_group_a_total_and_a_note_per_hidden_cell() -> None:
    rows, total = suppress([row(20, 3, 10, "313"), row(30, 12, 10, "315")], row(50, 15, 20, "all"))
    table = StatsTable(
        dimensions=("DISTRICT",),
        rows=rows,
        total=total,
        suppressed=True,
        from_date=date(2026, 1, 1),
        to_date=date(2026, 6, 30),
        state="19",
        district=None,
        suppression="small cells hidden",
        names={"district:313": "Howrah"},
    )
    report = to_report_table(table, generated_at=datetime(2026, 7, 1, tzinfo=UTC), scope="West Bengal")
    keys = [c.key for c in report.columns]
    assert keys[:4] == ["district", "missing", "traced", "pending"]
    assert report.rows[0][:4] == ("Howrah", 20, None, 10)
    assert report.rows[1][0] == "315"  # no name known: the code
    assert report.rows[2][:3] == ("Total", 50, 15)
    assert report.rows[2][keys.index("median_days_to_trace")] == Decimal("3.0")
    assert {(n.row, n.column) for n in report.cell_notes} == {
        (r, m) for r in (0, 1) for m in ("traced", "trace_rate", "median_days_to_trace")
    }
    assert any("small cells hidden" in note for note in report.notes)
    [chart] = report.charts
    assert (chart.kind, chart.x_labels, chart.series[0].values) == ("bar", ("Howrah", "315"), (20, 30))
