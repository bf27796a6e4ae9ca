"""The stats download's month chart runs on a calendar axis: months with no children between two that have some are
drawn as 0, not skipped (the answer lists only months with children), and a suppressed count stays a gap."""

from __future__ import annotations

from datetime import UTC, date, datetime

from trackchild_hub.domain.stats import StatsKey, StatsRow, StatsTable, to_report_table


def table(*rows: StatsRow) -> StatsTable:
    return StatsTable(("MONTH",), rows, StatsRow(StatsKey()), False, date(2023, 11, 1), date(2024, 3, 31), None, None)


def test_months_without_children_are_zero_on_the_chart() -> None:
    answer = table(
        StatsRow(StatsKey(month="2023-11"), missing=7, traced=3),
        StatsRow(StatsKey(month="2024-02"), missing=None, traced=2),
    )
    [chart] = to_report_table(answer, generated_at=datetime(2024, 4, 1, tzinfo=UTC), scope="India").charts
    assert chart.kind == "line"
    assert chart.x_labels == ("2023-11", "2023-12", "2024-01", "2024-02")
    missing, traced = chart.series
    assert missing.values == (7, 0, 0, None)  # the suppressed February stays a gap
    assert traced.values == (3, 0, 0, 2)


def test_no_month_no_chart_line_points() -> None:
    [chart] = to_report_table(table(), generated_at=datetime(2024, 4, 1, tzinfo=UTC), scope="India").charts
    assert chart.x_labels == ()
