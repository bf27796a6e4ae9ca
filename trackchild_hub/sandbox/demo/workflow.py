"""The demo's missing-child workflow: a few cases the AHTUs hold since five months before the demo's day, so their
first progress reports are overdue (``overdueAhtuReports`` lists them; ``serve``'s workflow job records each as
``AHTU_REPORT_OVERDUE`` on its first run and escalates the other untraced cases of today). The demo world only says
how many and since when; ``sandbox/seed.py`` writes them through the job's own SQL."""

from __future__ import annotations

from datetime import date

from ...domain.workflow_rules import add_months

OVERDUE_CASES = 6  # the oldest untraced FIRs still open (a closed one among them is left out)


def escalated_on(today: date) -> date:
    """When the demo's AHTU cases went to their AHTU: five months back, so a report was due two months ago."""
    return add_months(today, -5)
