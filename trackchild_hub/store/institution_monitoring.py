"""What legal services authorities watch, computed in SQL: institutions whose children's records went quiet, and
institutions holding more children than they may.

A child in care is an open care case without an exit date (as ``InstitutionRepository.occupancy``). A child's record
was last updated at the later of its case row's ``updated_at`` and its newest e-file entry (``care_entries``); an
institution's last update is the latest over its children in care. One GROUP BY over the children in care of the
institutions inside the reader's jurisdiction gives both lists; each is paged by a keyset on what it is ordered by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Subquery, Table, and_, case, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseStatus
from ..domain.filters import RecordScope
from .models import CareCaseRow, CareEntryRow, CaseRow, InstitutionRow
from .models.base import UtcDateTime
from .pagination import Page, decode_cursor, decode_datetime, decode_number, encode_cursor

CASES = cast("Table", CaseRow.__table__)
CARE = cast("Table", CareCaseRow.__table__)  # care_cases alone: no polymorphic join of the other kinds
ENTRIES = cast("Table", CareEntryRow.__table__)
INSTITUTIONS = cast("Table", InstitutionRow.__table__)


@dataclass(frozen=True, slots=True)
class InstitutionActivity:
    """An institution, the children living there, and when any of their records was last updated."""

    institution: InstitutionRow
    children: int
    last_update: datetime


def _in_care(scope: RecordScope) -> Subquery:
    """Per institution inside ``scope``: children in care and their records' last update.

    Two aggregates over the children in care -- their case rows, and their e-file entries -- joined per institution,
    rather than a correlated subquery per child: each is one hash aggregate however many children and entries."""
    children = CARE.join(CASES, CASES.c.id == CARE.c.case_id).join(
        INSTITUTIONS, INSTITUTIONS.c.id == CARE.c.institution_id
    )
    in_care = [CASES.c.status == CaseStatus.OPEN.value, CARE.c.exit_date.is_(None)]
    if scope.state is not None:
        in_care.append(INSTITUTIONS.c.state_code == scope.state)
    if scope.district is not None:
        in_care.append(INSTITUTIONS.c.district_code == scope.district)
    cases = (
        select(
            CARE.c.institution_id.label("institution_id"),
            func.count().label("children"),
            func.max(CASES.c.updated_at).label("case_update"),
        )
        .select_from(children)
        .where(*in_care)
        .group_by(CARE.c.institution_id)
        .subquery("cases_in_care")
    )
    entries = (
        select(CARE.c.institution_id.label("institution_id"), func.max(ENTRIES.c.recorded_at).label("entry_update"))
        .select_from(children.join(ENTRIES, ENTRIES.c.case_id == CARE.c.case_id))
        .where(*in_care)
        .group_by(CARE.c.institution_id)
        .subquery("entries_in_care")
    )
    newer = case((entries.c.entry_update > cases.c.case_update, entries.c.entry_update), else_=cases.c.case_update)
    return (
        select(
            cases.c.institution_id,
            cases.c.children,
            type_coerce(newer, UtcDateTime()).label("last_update"),
        )
        .select_from(cases.outerjoin(entries, entries.c.institution_id == cases.c.institution_id))
        .subquery("in_care")
    )


def _listed(counts: Subquery) -> Select[Any]:
    return select(InstitutionRow, counts.c.children, counts.c.last_update).join(
        counts, counts.c.institution_id == InstitutionRow.id
    )


class InstitutionMonitoring:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stale(
        self, scope: RecordScope, before: datetime, first: int, after: str | None
    ) -> Page[InstitutionActivity]:
        """Institutions with children in care none of whose records changed since ``before``; stalest first."""
        counts = _in_care(scope)
        last, iid = counts.c.last_update, InstitutionRow.id
        query = _listed(counts).where(last < before)
        if after is not None:
            at, last_id = decode_cursor(after, 2)
            moment = decode_datetime(at)
            query = query.where(or_(last > moment, and_(last == moment, iid > last_id)))
        rows = await self._page(query.order_by(last, iid), first)
        shown = rows[:first]
        return Page(shown, len(rows) > first, [encode_cursor(r.last_update, r.institution.id) for r in shown])

    async def over_capacity(self, scope: RecordScope, first: int, after: str | None) -> Page[InstitutionActivity]:
        """Institutions with more children in care than their capacity; the most over first."""
        counts = _in_care(scope)
        excess: ColumnElement[int] = counts.c.children - InstitutionRow.capacity
        iid = InstitutionRow.id
        query = _listed(counts).where(excess > 0)
        if after is not None:
            over, last_id = decode_cursor(after, 2)
            most = decode_number(over)
            query = query.where(or_(excess < most, and_(excess == most, iid > last_id)))
        rows = await self._page(query.order_by(excess.desc(), iid), first)
        shown = rows[:first]
        cursors = [encode_cursor(str(r.children - r.institution.capacity), r.institution.id) for r in shown]
        return Page(shown, len(rows) > first, cursors)

    async def _page(self, query: Select[Any], first: int) -> list[InstitutionActivity]:
        result = await self.session.execute(query.limit(first + 1))
        return [InstitutionActivity(row, int(children), last) for row, children, last in result]
