"""Citizen reports and sightings in the store: add one, find one by reference, a jurisdiction's triage queue, the
waiting counts per police station, a phone's recent reports, and the triage decisions (each on the timeline)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.citizen_reports import TriageStatus
from ..domain.filters import RecordScope
from .models import CitizenReportEventRow, CitizenReportRow

R = CitizenReportRow
UNTRIAGED = TriageStatus.UNTRIAGED.value


@dataclass(frozen=True, slots=True)
class Waiting:
    """One police station's untriaged citizen reports and sightings (counts and the oldest: no identity)."""

    police_station_id: str | None
    state_code: str
    district_code: str | None
    reports: int
    sightings: int
    oldest_at: datetime


class CitizenReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: CitizenReportRow, actor: str | None) -> None:
        self.session.add(row)
        await self.session.flush()
        self.session.add(CitizenReportEventRow(report_id=row.id, type="RECEIVED", actor=actor, data={}))

    async def by_reference(self, reference: str) -> CitizenReportRow | None:
        return await self.session.scalar(select(R).where(R.reference == reference))

    async def by_id(self, report_id: str) -> CitizenReportRow | None:
        return await self.session.get(R, report_id)

    async def untriaged(self, scope: RecordScope, station: str | None, first: int) -> list[CitizenReportRow]:
        """Oldest first: the reports waiting longest are triaged first."""
        stmt = select(R).where(R.triage_status == UNTRIAGED, *_inside(scope))
        if station is not None:
            stmt = stmt.where(R.police_station_id == station)
        return list(await self.session.scalars(stmt.order_by(R.created_at, R.id).limit(first)))

    async def waiting(self, scope: RecordScope) -> list[Waiting]:
        kind_is = (R.kind == "MISSING", R.kind == "SIGHTING")
        stmt = (
            select(
                R.police_station_id,
                R.state_code,
                R.district_code,
                func.count().filter(kind_is[0]),
                func.count().filter(kind_is[1]),
                func.min(R.created_at),
            )
            .where(R.triage_status == UNTRIAGED, *_inside(scope))
            .group_by(R.police_station_id, R.state_code, R.district_code)
            .order_by(func.min(R.created_at))
        )
        rows = await self.session.execute(stmt)
        return [
            Waiting(station, state, district, int(reports), int(sightings), oldest)
            for station, state, district, reports, sightings, oldest in rows
        ]

    async def recent_by_phone(self, phone: str, since: datetime, *, besides: str | None = None) -> list[datetime]:
        """When this phone's reports since ``since`` were made, oldest first (the per-phone limit); ``besides``: a
        report of this transaction's own, left out."""
        stmt = select(R.created_at).where(R.contact_phone == phone, R.created_at >= since).order_by(R.created_at)
        if besides is not None:
            stmt = stmt.where(R.id != besides)
        return list(await self.session.scalars(stmt))

    async def hold_phone(self, phone: str) -> None:
        """Until this transaction ends, no other transaction counts this phone's reports (the per-phone limit's count
        and its insert are then one step). PostgreSQL: a transaction-scoped advisory lock on a hash of the phone (no
        table or row needed, so a phone's first report is held too; another phone hashing alike only waits a moment).
        SQLite: nothing to do once this transaction has written, as it holds the database's one write lock."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        digest = hashlib.blake2b(phone.encode(), digest_size=8, person=b"tc-phone").digest()
        key = int.from_bytes(digest, "big", signed=True)  # the phone itself never goes into a statement of its own
        await self.session.execute(select(func.pg_advisory_xact_lock(key)))

    async def decide(
        self, row: CitizenReportRow, decision: str, actor: str, at: datetime, case_id: str | None, note: str | None
    ) -> bool:
        """Record a triage decision if the report still waits for one (False: someone decided first)."""
        done = await self.session.execute(
            update(R)
            .where(R.id == row.id, R.triage_status == UNTRIAGED)
            .values(
                triage_status=TriageStatus.TRIAGED.value,
                triage_decision=decision,
                triaged_by=actor,
                triaged_at=at,
                linked_case_id=case_id,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            return False
        data = {"case_id": case_id} if case_id else {}
        self.session.add(
            CitizenReportEventRow(report_id=row.id, at=at, type=decision, actor=actor, note=note, data=data)
        )
        await self.session.refresh(row)
        return True


def _inside(scope: RecordScope) -> list[ColumnElement[bool]]:
    """The record rule in SQL: the caller's state and district (None = national)."""
    conditions: list[ColumnElement[bool]] = []
    if scope.state is not None:
        conditions.append(R.state_code == scope.state)
    if scope.district is not None:
        conditions.append(R.district_code == scope.district)
    return conditions
