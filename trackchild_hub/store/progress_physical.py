"""The physical part of a State's Mission Vatsalya progress report, counted in SQL (three GROUP BYs, no rows loaded).

- institutions registered in the State, by type: count and capacity;
- children in care (care cases) of the State's institutions by institution type and the child's gender: in care on
  ``end`` (admitted by then, and either leaving after it or, with no exit date, still open) and admitted between
  ``start`` and ``end``. A case closed without an exit date has no day it left, so it is not counted as in care;
- releases from the CCI e-file between ``start`` and ``end`` by kind (RESTORATION, REPATRIATION, TRANSFER) and
  gender: the current version of each release entry only (a correction replaces, never adds).

Where a child is counted is where the institution is (its State), not where the case was reported.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Integer, Table, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ..domain.care_entries import CareEntryKind
from ..domain.enums import CaseStatus
from .models import CareCaseRow, CareEntryRow, CaseRow, ChildRow, InstitutionRow

CASES = cast("Table", CaseRow.__table__)
CARE = cast("Table", CareCaseRow.__table__)  # care_cases alone: no polymorphic join of the other kinds
CHILDREN = cast("Table", ChildRow.__table__)
INSTITUTIONS = cast("Table", InstitutionRow.__table__)
ENTRIES = cast("Table", CareEntryRow.__table__)


class ProgressPhysical:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def institutions(self, state: str) -> dict[str, tuple[int, int]]:
        """Per institution type: (institutions, their capacity)."""
        query = (
            select(INSTITUTIONS.c.type, func.count(), func.coalesce(func.sum(INSTITUTIONS.c.capacity), 0))
            .where(INSTITUTIONS.c.state_code == state)
            .group_by(INSTITUTIONS.c.type)
        )
        return {kind: (int(n), int(capacity)) for kind, n, capacity in await self.session.execute(query)}

    async def children(self, state: str, start: date, end: date) -> dict[tuple[str, str], tuple[int, int]]:
        """Per (institution type, gender): (in care on ``end``, admitted from ``start`` to ``end``)."""
        admitted_by_end = CARE.c.admission_date <= end
        in_care = and_(
            admitted_by_end,
            or_(
                CARE.c.exit_date > end,
                and_(CARE.c.exit_date.is_(None), CASES.c.status == CaseStatus.OPEN.value),
            ),
        )
        admitted = and_(CARE.c.admission_date >= start, admitted_by_end)
        query = (
            select(
                INSTITUTIONS.c.type,
                CHILDREN.c.gender,
                func.sum(case((in_care, 1), else_=0), type_=Integer),
                func.sum(case((admitted, 1), else_=0), type_=Integer),
            )
            .select_from(
                CARE.join(CASES, CASES.c.id == CARE.c.case_id)
                .join(INSTITUTIONS, INSTITUTIONS.c.id == CARE.c.institution_id)
                .join(CHILDREN, CHILDREN.c.id == CASES.c.child_id)
            )
            .where(
                INSTITUTIONS.c.state_code == state,
                admitted_by_end,
                or_(CARE.c.exit_date.is_(None), CARE.c.exit_date >= start),  # could be either: the rest are neither
            )
            .group_by(INSTITUTIONS.c.type, CHILDREN.c.gender)
        )
        return {
            (kind, gender): (int(held or 0), int(new or 0))
            for kind, gender, held, new in await self.session.execute(query)
        }

    async def releases(self, state: str, start: date, end: date) -> dict[tuple[str, str], int]:
        """Per (release kind, gender): children released from the State's institutions from ``start`` to ``end``."""
        newer = aliased(CareEntryRow)
        release_kind = CareEntryRow.payload["kind"].as_string()
        query = (
            select(release_kind, ChildRow.gender, func.count())
            .select_from(CareEntryRow)
            .join(CARE, CARE.c.case_id == CareEntryRow.case_id)
            .join(CASES, CASES.c.id == CareEntryRow.case_id)
            .join(INSTITUTIONS, INSTITUTIONS.c.id == CARE.c.institution_id)
            .join(ChildRow, ChildRow.id == CASES.c.child_id)
            .where(
                CareEntryRow.kind == CareEntryKind.RELEASE.value,
                CareEntryRow.occurred_on >= start,
                CareEntryRow.occurred_on <= end,
                INSTITUTIONS.c.state_code == state,
                ~exists().where(newer.entry_id == CareEntryRow.entry_id, newer.version > CareEntryRow.version),
            )
            .group_by(release_kind, ChildRow.gender)
        )
        return {(kind, gender): int(n) for kind, gender, n in await self.session.execute(query)}
