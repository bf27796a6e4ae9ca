"""An institution's infrastructure and inspections in the store: new versions, the current one, the history.

A new version is written only on top of the version the writer read (``expected``): a writer that read an older one
gets CONFLICT, and two writers of the same version are told apart by the unique (record, version) pair, so exactly
one wins. Nothing is ever updated in place but ``institutions.capacity``, the institution's current capacity.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ..domain.errors import Conflict
from ..domain.institution_records import Infrastructure, Inspection
from .models import InfrastructureRow, InspectionRow, InstitutionRow
from .models.base import new_id


def _conflict(what: str) -> Conflict:
    return Conflict(f"the {what} changed since you read it", suggestion="read it again and send the new version")


class InstitutionRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def infrastructure(self, institution_id: str) -> list[InfrastructureRow]:
        """Every version, newest first (the first is the current one)."""
        query = (
            select(InfrastructureRow)
            .where(InfrastructureRow.institution_id == institution_id)
            .order_by(InfrastructureRow.version.desc())
        )
        return list((await self.session.scalars(query)).all())

    async def current_infrastructure(self, institution_ids: list[str]) -> dict[str, InfrastructureRow]:
        """The current version of each institution's infrastructure that has one."""
        newer = aliased(InfrastructureRow)
        query = select(InfrastructureRow).where(
            InfrastructureRow.institution_id.in_(institution_ids),
            ~exists().where(
                newer.institution_id == InfrastructureRow.institution_id, newer.version > InfrastructureRow.version
            ),
        )
        return {row.institution_id: row for row in await self.session.scalars(query)}

    async def set_infrastructure(
        self, institution: InstitutionRow, expected: int, value: Infrastructure, *, actor: str, agency: str | None
    ) -> InfrastructureRow:
        """Write version ``expected + 1`` (``expected`` 0: the first) and make its capacity the institution's."""
        latest = await self.session.scalar(
            select(func.max(InfrastructureRow.version)).where(InfrastructureRow.institution_id == institution.id)
        )
        if (latest or 0) != expected:
            raise _conflict("infrastructure")
        row = InfrastructureRow(
            id=new_id(),
            institution_id=institution.id,
            version=expected + 1,
            capacity=value.capacity,
            dormitories=value.dormitories,
            toilets=value.toilets,
            classrooms=value.classrooms,
            medical_room=value.medical_room,
            kitchen=value.kitchen,
            cctv_cameras=value.cctv_cameras,
            staff=[asdict(post) for post in value.staff],
            recorded_by=actor,
            recorded_agency=agency,
        )
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise _conflict("infrastructure") from exc
        await self.session.execute(
            update(InstitutionRow).where(InstitutionRow.id == institution.id).values(capacity=value.capacity)
        )
        return row

    async def inspections(self, institution_id: str, first: int) -> list[InspectionRow]:
        """Current versions of the institution's inspections, latest inspection first."""
        query = (
            select(InspectionRow)
            .where(InspectionRow.institution_id == institution_id, _is_current())
            .order_by(InspectionRow.inspected_on.desc(), InspectionRow.inspection_id)
            .limit(first)
        )
        return list((await self.session.scalars(query)).all())

    async def inspection_versions(self, inspection_id: str) -> list[InspectionRow]:
        """Every version of one inspection, newest first."""
        query = (
            select(InspectionRow)
            .where(InspectionRow.inspection_id == inspection_id)
            .order_by(InspectionRow.version.desc())
        )
        return list((await self.session.scalars(query)).all())

    async def record_inspection(
        self,
        institution_id: str,
        value: Inspection,
        *,
        actor: str,
        agency: str | None,
        supersedes: InspectionRow | None = None,
    ) -> InspectionRow:
        """Version 1 of a new inspection, or the version after ``supersedes`` (the current one the writer read)."""
        row = InspectionRow(
            id=new_id(),
            inspection_id=supersedes.inspection_id if supersedes else new_id(),
            version=supersedes.version + 1 if supersedes else 1,
            institution_id=institution_id,
            inspected_on=value.inspected_on,
            inspecting_body=value.inspecting_body,
            findings=value.findings,
            follow_up=value.follow_up,
            follow_up_due=value.follow_up_due,
            recorded_by=actor,
            recorded_agency=agency,
        )
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise _conflict("inspection") from exc
        return row


def _is_current() -> ColumnElement[bool]:
    newer = aliased(InspectionRow)
    return ~exists().where(
        and_(newer.inspection_id == InspectionRow.inspection_id, newer.version > InspectionRow.version)
    )
