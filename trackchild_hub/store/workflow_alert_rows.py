"""What the workflow job's alerts need of one batch, read in one statement after the batch's own writes (same
transaction): the cases it escalated (reference, receiving AHTU, the station that held them) and the open cases whose
AHTU report it recorded as overdue (reference, AHTU, due date). Read by the batch's id (``ahtu_escalations.batch``,
indexed), never per case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseStatus
from .models import AhtuEscalationRow, CaseRow

E = AhtuEscalationRow


@dataclass(frozen=True, slots=True)
class BatchCase:
    case_id: str
    reference: str
    ahtu_id: str
    from_station_id: str | None
    due_on: date  # the report due date (for an overdue batch: the date now overdue)


async def escalated(session: AsyncSession, batch: str) -> list[BatchCase]:
    """The cases ``batch`` escalated."""
    rows = await session.execute(
        select(E.case_id, CaseRow.reference, E.ahtu_id, E.from_station_id, E.report_due_on)
        .join(CaseRow, CaseRow.id == E.case_id)
        .where(E.batch == batch)
        .order_by(E.case_id)
    )
    return [BatchCase(*row) for row in rows]


async def overdue(session: AsyncSession, batch: str) -> list[BatchCase]:
    """The open cases whose overdue report ``batch`` recorded (the date noted is the one now overdue)."""
    rows = await session.execute(
        select(E.case_id, CaseRow.reference, E.ahtu_id, E.from_station_id, E.overdue_noted_on)
        .join(CaseRow, CaseRow.id == E.case_id)
        .where(E.batch == batch, CaseRow.status == CaseStatus.OPEN.value)
        .order_by(E.case_id)
    )
    return [BatchCase(case_id, ref, unit, station, due) for case_id, ref, unit, station, due in rows if due is not None]
