"""The demo's missing-child workflow: a few cases the AHTUs hold since five months before the demo's day, so their
first progress reports are overdue (``overdueAhtuReports`` lists them; ``serve``'s workflow job records each as
``AHTU_REPORT_OVERDUE`` on its first run and escalates the other untraced cases of today)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ...domain.workflow_rules import WorkflowRule, add_months
from ...store.workflow_job import escalate_batch, window_end

OVERDUE_CASES = 6


async def seed_overdue_ahtu_cases(sessions: async_sessionmaker[AsyncSession], today: date) -> int:
    """Escalate the oldest few untraced cases as the job would have five months before ``today``; how many."""
    back = add_months(today, -5)
    async with sessions() as session, session.begin():
        last = await window_end(session, back, None, OVERDUE_CASES)  # the oldest few FIRs
        at = datetime.combine(back, time(9, 0), UTC)
        done = await escalate_batch(
            session, WorkflowRule.ESCALATE_UNTRACED, back, at, "demo-seed", OVERDUE_CASES, (None, last)
        )
    return done.changed
