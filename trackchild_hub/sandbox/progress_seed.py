"""Writes the demo States' Mission Vatsalya financial statements (``demo.progress_financials``): each checked as
``setProgressFinancials`` checks it (``domain.progress_financials.validated_lines``), each version a row as the
mutation writes it, dated when the SCPS or the CPSU would have entered it. One transaction; run once at seeding."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.progress_financials import stored, validated_lines
from ..store.models import ProgressFinancialsRow
from ..store.models.base import new_id
from .demo.progress_financials import statements


async def seed_progress_financials(sessions: async_sessionmaker[AsyncSession], today: date, *, seed: int) -> int:
    """Write every demo statement's versions; returns how many were written."""
    versions: dict[tuple[str, int], int] = {}
    rows: list[dict[str, Any]] = []
    for s in statements(today, seed=seed):
        key = (s.state, s.year.start)
        versions[key] = versions.get(key, 0) + 1
        rows.append(
            {
                "id": new_id(),
                "state_code": s.state,
                "financial_year": s.year.start,
                "version": versions[key],
                "lines": [stored(line) for line in validated_lines(list(s.lines))],
                "recorded_by": s.recorded_by,
                "recorded_agency": s.recorded_by.split("-")[1],
                "recorded_at": datetime.combine(s.recorded_on, time(10, 30), tzinfo=UTC),
            }
        )
    async with sessions() as session, session.begin():
        await session.execute(insert(ProgressFinancialsRow), rows)
    return len(rows)
