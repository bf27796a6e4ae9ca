"""Reading cases: by id, by reference, in filtered keyset pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.age import birth_date_bounds
from ..domain.filters import CaseFilter
from .models import CareCaseRow, CaseRow, ChildRow, DirectoryEntryRow, FoundCaseRow, InstitutionRow
from .pagination import Page, decode_cursor, decode_datetime, encode_cursor

S = TypeVar("S", bound=Select[Any])


@dataclass(frozen=True, slots=True)
class Joins:
    """The to-one relations a page is read with, in its own statement (the ones the caller asked for)."""

    child: bool = False
    police_station: bool = False
    institution: bool = False  # of found and care cases


NO_JOINS = Joins()


@dataclass(slots=True)
class Related:
    """The rows a page was read with, by id."""

    children: dict[str, ChildRow] = field(default_factory=dict)
    police_stations: dict[str, DirectoryEntryRow] = field(default_factory=dict)
    institutions: dict[str, InstitutionRow] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CasePage:
    page: Page[CaseRow]
    related: Related


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_reference(self, reference: str) -> CaseRow | None:
        result = await self.session.scalars(select(CaseRow).where(CaseRow.reference == reference))
        return result.first()

    async def by_ids(self, ids: Sequence[str]) -> dict[str, CaseRow]:
        rows = await self.session.scalars(select(CaseRow).where(CaseRow.id.in_(ids)))
        return {row.id: row for row in rows}

    async def by_child_ids(self, child_ids: Sequence[str]) -> dict[str, list[CaseRow]]:
        rows = await self.session.scalars(
            select(CaseRow).where(CaseRow.child_id.in_(child_ids)).order_by(CaseRow.reported_at)
        )
        out: dict[str, list[CaseRow]] = {cid: [] for cid in child_ids}
        for row in rows:
            out[row.child_id].append(row)
        return out

    async def page(
        self, where: CaseFilter, first: int, after: str | None, today: date, joins: Joins = NO_JOINS
    ) -> CasePage:
        """One statement whatever ``joins`` asks for: to-one relations are joined, never read per row or batch."""
        entities: list[Any] = [CaseRow]
        if joins.child:
            entities.append(ChildRow)
        if joins.police_station:
            entities.append(DirectoryEntryRow)
        if joins.institution:
            entities.append(InstitutionRow)
        stmt = _filtered(select(*entities), where, today, with_child=joins.child)
        if joins.police_station:
            stmt = stmt.outerjoin(DirectoryEntryRow, DirectoryEntryRow.id == CaseRow.police_station_id)
        if joins.institution:
            placed = func.coalesce(FoundCaseRow.institution_id, CareCaseRow.institution_id)
            stmt = stmt.outerjoin(InstitutionRow, InstitutionRow.id == placed)
        if after is not None:
            reported_at, last_id = decode_cursor(after, 2)
            moment = decode_datetime(reported_at)
            stmt = stmt.where(
                or_(CaseRow.reported_at < moment, and_(CaseRow.reported_at == moment, CaseRow.id < last_id))
            )
        stmt = stmt.order_by(CaseRow.reported_at.desc(), CaseRow.id.desc()).limit(first + 1)
        found = (await self.session.execute(stmt)).all()
        found, has_next = found[:first], len(found) > first
        rows: list[CaseRow] = [r[0] for r in found]
        related = Related()
        for r in found:
            column = 1
            if joins.child:
                related.children[r[column].id] = r[column]
                column += 1
            if joins.police_station:
                if r[column] is not None:
                    related.police_stations[r[column].id] = r[column]
                column += 1
            if joins.institution and r[column] is not None:
                related.institutions[r[column].id] = r[column]
        return CasePage(Page(rows, has_next, [encode_cursor(r.reported_at, r.id) for r in rows]), related)


def _filtered(stmt: S, f: CaseFilter, today: date, *, with_child: bool = False) -> S:
    conditions: list[ColumnElement[bool]] = []
    if f.kinds:
        conditions.append(CaseRow.kind.in_([k.value for k in f.kinds]))
    if f.statuses:
        conditions.append(CaseRow.status.in_([s.value for s in f.statuses]))
    if f.scope.state is not None:
        conditions.append(CaseRow.state_code == f.scope.state)
    if f.scope.district is not None:
        conditions.append(CaseRow.district_code == f.scope.district)
    if f.state:
        conditions.append(CaseRow.state_code == f.state)
    if f.district:
        conditions.append(CaseRow.district_code == f.district)
    if f.police_station:
        conditions.append(CaseRow.police_station_id == f.police_station)
    if f.institution:
        conditions.append(
            or_(CareCaseRow.institution_id == f.institution, FoundCaseRow.institution_id == f.institution)
        )
    if f.event_from:
        conditions.append(CaseRow.event_date >= f.event_from)
    if f.event_to:
        conditions.append(CaseRow.event_date <= f.event_to)
    hide_confidential = not f.scope.confidential
    needs_child = (
        hide_confidential or f.gender is not None or f.min_age is not None or f.max_age is not None or bool(f.name)
    )
    if needs_child or with_child:
        stmt = stmt.join(ChildRow, ChildRow.id == CaseRow.child_id)
        if hide_confidential:
            conditions.append(ChildRow.confidential.is_(False))
        if f.gender is not None:
            conditions.append(ChildRow.gender == f.gender.value)
        earliest, latest = birth_date_bounds(f.min_age, f.max_age, today)
        if earliest is not None:
            conditions.append(ChildRow.birth_estimate >= earliest)
        if latest is not None:
            conditions.append(ChildRow.birth_estimate <= latest)
        for token in search_tokens(f.name or ""):
            conditions.append(ChildRow.search_text.contains(token, autoescape=True))
    return stmt.where(*conditions) if conditions else stmt


def search_tokens(text: str) -> list[str]:
    """Each word of a query, as it must appear in ``search_text``: at the start of a word."""
    return [" " + t for t in text.casefold().split() if t]


def search_text(*parts: str | None) -> str:
    """What the free-text filter matches: words case-folded, each preceded by a space (so prefixes match)."""
    return "".join(" " + word for p in parts if p for word in p.casefold().split())


def row_matches(row: CaseRow, child: ChildRow, f: CaseFilter, today: date) -> bool:
    """``_filtered`` for a row held in memory (a record fetched live from a connector): the same conditions."""
    institution = getattr(row, "institution_id", None)
    earliest, latest = birth_date_bounds(f.min_age, f.max_age, today)
    born = child.birth_estimate
    return (
        (not f.kinds or row.kind in {k.value for k in f.kinds})
        and (not f.statuses or row.status in {s.value for s in f.statuses})
        and f.scope.admits(row.state_code, row.district_code, child.confidential)
        and (not f.state or row.state_code == f.state)
        and (not f.district or row.district_code == f.district)
        and (not f.police_station or row.police_station_id == f.police_station)
        and (not f.institution or institution == f.institution)
        and (f.event_from is None or row.event_date >= f.event_from)
        and (f.event_to is None or row.event_date <= f.event_to)
        and (f.gender is None or child.gender == f.gender.value)
        and (earliest is None or (born is not None and born >= earliest))
        and (latest is None or (born is not None and born <= latest))
        and all(token in child.search_text for token in search_tokens(f.name or ""))
    )
