"""The progress report's plain rules: financial years, amounts stored as whole rupees and read back exactly, gender
counts and their suppression (complementary cells, so the total gives no blank count back), the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.progress_financials import (
    Component,
    FinancialLine,
    FinancialYear,
    financial_year,
    from_stored,
    stored,
)
from trackchild_hub.domain.progress_report import GenderCounts, period

TODAY = date(2026, 11, 30)


def test_financial_years_run_april_to_march() -> None:
    year = financial_year("y", " 2026-27 ", TODAY)
    assert (year.label, year.first_day, year.last_day) == ("2026-27", date(2026, 4, 1), date(2027, 3, 31))
    assert financial_year("y", "2009-10", TODAY).start == 2009
    assert financial_year("y", "2027-28", TODAY).start == 2027  # next year's plan may be entered ahead
    assert FinancialYear.containing(date(2027, 3, 31)).label == "2026-27"
    assert FinancialYear.containing(date(2027, 4, 1)).label == "2027-28"
    assert FinancialYear(2099).label == "2099-00"
    for bad in ("2026-28", "2028-29", "2008-09", "26-27", "2026/27", ""):
        with pytest.raises(BadUserInput) as refused:
            financial_year("y", bad, TODAY)
        assert refused.value.field == "y"


def test_the_period_is_cut_at_today_and_absent_before_the_year() -> None:
    assert period(FinancialYear(2026), TODAY) == (date(2026, 4, 1), TODAY)
    assert period(FinancialYear(2025), TODAY) == (date(2025, 4, 1), date(2026, 3, 31))
    assert period(FinancialYear(2027), TODAY) is None


def test_amounts_are_kept_in_whole_rupees_and_read_back_exactly() -> None:
    line = FinancialLine(
        Component.CHILD_HELPLINE,
        Decimal("12.34567"),
        Decimal("12.3"),
        Decimal("0.00001"),
        Decimal(0),
        Decimal("7.38"),
        Decimal("4.92"),
    )
    kept = stored(line)
    assert (kept["sanctioned"], kept["released"], kept["utilised"]) == (1_234_567, 1_230_000, 1)
    back = from_stored(kept)
    assert (str(back.sanctioned), str(back.released), str(back.utilised)) == ("12.34567", "12.30", "0.00001")
    assert back.central_share + back.state_share == back.released  # type: ignore[operator]


def test_gender_counts_and_their_suppression() -> None:
    counts = GenderCounts.of({"MALE": 7, "FEMALE": 3, "OTHER": 1})
    assert counts == GenderCounts(7, 3, 0, 1, 11)  # an unexpected value counts as unknown, never dropped
    # 3 and 1 are small; hidden together they add up to 4 (< 5), so the smallest shown count goes too: the total
    # minus what is shown must not give back a blank count.
    assert counts.suppressed() == GenderCounts(None, None, 0, None, 11)
    # one small count alone: the smallest other non-zero count is hidden with it (2 and 6), 40 stays
    assert GenderCounts.of({"FEMALE": 2, "MALE": 40, "TRANSGENDER": 6}).suppressed() == GenderCounts(
        40, None, None, 0, 48
    )
    assert GenderCounts.of({"FEMALE": 3}).suppressed() == GenderCounts(0, None, 0, 0, None)
    assert GenderCounts.of({}).suppressed() == GenderCounts(0, 0, 0, 0, 0)
