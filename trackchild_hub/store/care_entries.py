"""The e-file in the store: a child's whole file in one statement, a new version of an entry, and the overdue lists.

``file_of`` reads every version of every entry of one case in one indexed range (``ix_care_entries_case_entry``),
so the e-file page costs the same statements for 5 entries or 500, and the history of any entry comes with it.
The overdue lists read only current versions (no newer row of the same entry: ``NOT EXISTS``), joined to the case
and its child so the record rule (jurisdiction, confidentiality) is applied in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ..domain.care_entries import CareEntryData, CareEntryKind
from ..domain.errors import Conflict
from ..domain.filters import RecordScope
from .models import CareCaseRow, CaseRow, ChildRow
from .models.base import new_id
from .models.care import CareEntryRow
from .pagination import Page, decode_cursor, decode_date, encode_cursor

E = CareEntryRow
CASES = cast("Table", CaseRow.__table__)
CARE = cast("Table", CareCaseRow.__table__)  # care_cases alone (its own columns): no second join of cases
CHILDREN = cast("Table", ChildRow.__table__)


@dataclass(frozen=True, slots=True)
class Owed:
    """A current entry something is owed on, with where its case is (no identity)."""

    entry: CareEntryRow
    case_id: str
    reference: str
    institution_id: str | None
    state_code: str
    district_code: str | None


class CareEntryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def file_of(self, case_id: str) -> list[CareEntryRow]:
        """Every version of every entry of the case, by entry then version."""
        query = select(E).where(E.case_id == case_id).order_by(E.entry_id, E.version)
        return list((await self.session.scalars(query)).all())

    async def current(self, entry_id: str) -> CareEntryRow | None:
        query = select(E).where(E.entry_id == entry_id).order_by(E.version.desc()).limit(1)
        return (await self.session.scalars(query)).first()

    async def add(
        self,
        case_id: str,
        data: CareEntryData,
        *,
        actor: str,
        agency: str | None,
        supersedes: CareEntryRow | None = None,
    ) -> CareEntryRow:
        """Write version 1 of a new entry, or the version after ``supersedes``; CONFLICT if another writer got there
        first (the unique (entry, version) pair refuses the second)."""
        row = E(
            case_id=case_id,
            kind=data.kind.value,
            occurred_on=data.occurred_on,
            due_on=data.due_on,
            payload=data.payload,
            recorded_by=actor,
            recorded_agency=agency,
        )
        if supersedes is None:
            row.id = row.entry_id = new_id()
            row.version = 1
        else:
            row.id, row.entry_id, row.version = new_id(), supersedes.entry_id, supersedes.version + 1
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(
                "this entry changed since you read it", suggestion="read the e-file again and send the new version"
            ) from exc
        return row

    async def reviews_due(self, scope: RecordScope, before: date, first: int, after: str | None) -> Page[Owed]:
        """Current REVIEW entries not held, scheduled before ``before``, oldest first, inside ``scope``, of children
        still in care (an open case without an exit date: a review left pending when a child went home is moot); a
        page of ``first`` after the cursor ``after`` (due day, then the version row's unique id)."""
        query = _owed(scope).where(
            E.kind == CareEntryKind.REVIEW.value,
            E.due_on.is_not(None),
            E.due_on < before,
            _is_current(),
            CASES.c.status == "OPEN",
            CARE.c.exit_date.is_(None),
        )
        if after is not None:
            day, last_id = decode_cursor(after, 2)
            due = decode_date(day)
            query = query.where(or_(E.due_on > due, and_(E.due_on == due, E.id > last_id)))
        rows = _owed_rows(await self.session.execute(query.order_by(E.due_on, E.id).limit(first + 1)))
        shown = rows[:first]
        cursors = [encode_cursor(_due_day(r.entry).isoformat(), r.entry.id) for r in shown]
        return Page(shown, len(rows) > first, cursors)

    async def releases_followed_since(self, scope: RecordScope, released_before: date) -> list[Owed]:
        """Current RELEASE entries (restorations and repatriations are filtered by the caller) of cases inside
        ``scope`` released before ``released_before`` (their first follow-up is due by then)."""
        query = _owed(scope).where(
            E.kind == CareEntryKind.RELEASE.value, E.occurred_on < released_before, _is_current()
        )
        return _owed_rows(await self.session.execute(query.order_by(E.occurred_on, E.id)))

    async def current_of_kind(self, case_ids: list[str], kind: CareEntryKind) -> list[CareEntryRow]:
        """Current entries of ``kind`` of these cases (the follow-up visits of the releases listed)."""
        if not case_ids:
            return []
        query = select(E).where(E.case_id.in_(case_ids), E.kind == kind.value, _is_current())
        return list((await self.session.scalars(query)).all())


def _due_day(entry: CareEntryRow) -> date:
    assert entry.due_on is not None  # the query keeps only entries with a due day
    return entry.due_on


def _is_current() -> ColumnElement[bool]:
    newer = aliased(E)
    return ~exists().where(and_(newer.entry_id == E.entry_id, newer.version > E.version))


def _owed(scope: RecordScope) -> Select[Any]:
    c = CASES.c
    query = (
        select(E, c.id, c.reference, CARE.c.institution_id, c.state_code, c.district_code)
        .join(CASES, c.id == E.case_id)
        .join(CARE, CARE.c.case_id == c.id)
        .join(CHILDREN, CHILDREN.c.id == c.child_id)
    )
    if scope.state is not None:
        query = query.where(c.state_code == scope.state)
    if scope.district is not None:
        query = query.where(c.district_code == scope.district)
    if not scope.confidential:
        query = query.where(CHILDREN.c.confidential.is_(False))
    return query


def _owed_rows(result: object) -> list[Owed]:
    return [
        Owed(entry=e, case_id=c, reference=r, institution_id=i, state_code=s, district_code=d)
        for e, c, r, i, s, d in result  # type: ignore[attr-defined]
    ]
