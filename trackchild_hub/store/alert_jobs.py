"""The scheduled alert rules' SQL: a job's mark (which period it has done, under a row lock), the citizen reports
overdue for triage and not yet alerted, and a day's counts per district for the digest (GROUP BY in the database:
no case row comes into Python).

A job's mark is a row of ``sync_cursors`` (id ``job:<name>``, cursor = the last period done), the table the hub keeps
"how far a job got" in: ``advance`` inserts it if absent and locks it (``FOR UPDATE``; SQLite: the insert takes the
single writer's lock) until the caller's transaction ends, so two processes running the same job serialise, and the
second sees the first's period and does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.citizen_reports import TriageStatus
from ..domain.enums import CaseKind, CaseStatus
from .models import CaseRow, CitizenReportEventRow, CitizenReportRow, SyncCursorRow
from .models.base import utcnow

OVERDUE_ALERTED = "OVERDUE_ALERTED"  # the citizen report's timeline: its station's SHO was alerted
_cursors = cast("Table", SyncCursorRow.__table__)
R, E, C = CitizenReportRow, CitizenReportEventRow, CaseRow


async def advance(session: AsyncSession, job: str, period: str) -> bool:
    """Move ``job``'s mark to ``period`` if it is behind it (periods compare as strings: ISO dates or UTC times);
    the mark stays locked until the caller's transaction ends. False: this period (or a later one) is done."""
    key = f"job:{job}"
    insert_ = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    row = {"connector_id": key, "cursor": "", "records": 0, "updated_at": utcnow()}
    await session.execute(insert_(_cursors).values(row).on_conflict_do_nothing(index_elements=["connector_id"]))
    query = select(SyncCursorRow.cursor).where(SyncCursorRow.connector_id == key).with_for_update()
    done: str = (await session.scalar(query)) or ""
    if done >= period:
        return False
    await session.execute(
        update(SyncCursorRow)
        .where(SyncCursorRow.connector_id == key)
        .values(cursor=period, records=SyncCursorRow.records + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return True


@dataclass(frozen=True, slots=True)
class Overdue:
    """An untriaged citizen report past the limit (its reference and station: nothing the citizen wrote)."""

    id: str
    reference: str
    police_station_id: str | None
    created_at: datetime
    state_code: str
    district_code: str | None


async def overdue_reports(session: AsyncSession, cutoff: datetime, limit: int) -> list[Overdue]:
    """Untriaged reports and sightings received at or before ``cutoff`` whose station has not been alerted yet."""
    alerted = exists().where(E.report_id == R.id, E.type == OVERDUE_ALERTED)
    query = (
        select(R.id, R.reference, R.police_station_id, R.created_at, R.state_code, R.district_code)
        .where(R.triage_status == TriageStatus.UNTRIAGED.value, R.created_at <= cutoff, ~alerted)
        .order_by(R.created_at, R.id)
        .limit(limit)
    )
    return [Overdue(*row) for row in await session.execute(query)]


async def mark_overdue_alerted(session: AsyncSession, report_ids: list[str], at: datetime, hours: float) -> None:
    """One timeline event per report: the station was alerted (so the next run leaves it alone)."""
    if report_ids:
        rows: list[dict[str, Any]] = [
            {"report_id": i, "at": at, "type": OVERDUE_ALERTED, "actor": "alerts", "data": {"after_hours": hours}}
            for i in report_ids
        ]
        await session.execute(insert(E), rows)


@dataclass(slots=True)
class DayCounts:
    new: int = 0
    traced: int = 0
    pending: int = 0
    overdue: int = 0


async def day_counts(
    session: AsyncSession, start: datetime, end: datetime, overdue_after_h: float, *, district: str | None = None
) -> dict[tuple[str, str], DayCounts]:
    """Per (state, district), for the day [start, end):

    - new: missing children's cases reported that day (any source);
    - traced: missing children's cases now RESOLVED whose last change was that day;
    - pending: missing children's cases now OPEN, reported before the day's end;
    - overdue: citizen reports and sightings waiting for triage at the day's end for more than ``overdue_after_h``
      hours (untriaged then: not triaged, or triaged after the day's end).

    ``district``: that district's counts only (``districtDigest``: the same numbers as its digest, one district read).
    """
    missing = C.kind == CaseKind.MISSING.value
    place = (C.state_code, C.district_code)
    here: list[Any] = [] if district is None else [C.district_code == district]
    counts: dict[tuple[str, str], DayCounts] = {}

    async def count(query: Any, field: str) -> None:
        for state, district, n in await session.execute(query):
            if district is not None:
                setattr(counts.setdefault((state, district), DayCounts()), field, int(n))

    def grouped(*where: Any) -> Any:
        return select(*place, func.count()).where(missing, *here, *where).group_by(*place)

    await count(grouped(C.reported_at >= start, C.reported_at < end), "new")
    await count(grouped(C.status == CaseStatus.RESOLVED.value, C.updated_at >= start, C.updated_at < end), "traced")
    await count(grouped(C.status == CaseStatus.OPEN.value, C.reported_at < end), "pending")
    waiting = or_(R.triage_status == TriageStatus.UNTRIAGED.value, and_(R.triaged_at.is_not(None), R.triaged_at >= end))
    cutoff = end - timedelta(hours=overdue_after_h)
    overdue = (
        select(R.state_code, R.district_code, func.count())
        .where(R.created_at < cutoff, waiting, *([] if district is None else [R.district_code == district]))
        .group_by(R.state_code, R.district_code)
    )
    await count(overdue, "overdue")
    return counts
