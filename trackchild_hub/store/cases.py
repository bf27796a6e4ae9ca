"""Reading cases: by id, by reference, in filtered keyset pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Column, ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.case_conditions import Condition, case_conditions, on_child
from ..domain.case_conditions import search_tokens as search_tokens  # institutions and directory search alike
from ..domain.filters import CaseFilter
from .case_records import (
    KIND_RECORDS,
    CaseRecord,
    ChildRecord,
    DirectoryEntryRecord,
    InstitutionRecord,
    columns,
    table_of,
)
from .models import CareCaseRow, CaseRow, ChildRow, DirectoryEntryRow, FoundCaseRow, InstitutionRow, MissingCaseRow
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
    """The records a page was read with, by id."""

    children: dict[str, ChildRecord] = field(default_factory=dict)
    police_stations: dict[str, DirectoryEntryRecord] = field(default_factory=dict)
    institutions: dict[str, InstitutionRecord] = field(default_factory=dict)

    def update(self, other: Related) -> None:
        self.children.update(other.children)
        self.police_stations.update(other.police_stations)
        self.institutions.update(other.institutions)


@dataclass(frozen=True, slots=True)
class CasePage:
    page: Page[CaseRecord]
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
        """One statement whatever ``joins`` asks for: to-one relations are joined, never read per row or batch.

        Read as Core rows into records (``case_records``): the page is only shown.
        """
        cases, missing, found, care = (table_of(t) for t in (CaseRow, MissingCaseRow, FoundCaseRow, CareCaseRow))
        selected: list[Any] = [*_CASE_COLUMNS]
        if joins.child:
            selected += _CHILD_COLUMNS
        if joins.police_station:
            selected += _STATION_COLUMNS
        if joins.institution:
            selected += _INSTITUTION_COLUMNS
        details = (
            cases.outerjoin(missing, missing.c.case_id == cases.c.id)
            .outerjoin(found, found.c.case_id == cases.c.id)
            .outerjoin(care, care.c.case_id == cases.c.id)
        )
        stmt = _filtered(select(*selected).select_from(details), where, today, with_child=joins.child)
        if joins.police_station:
            stations = table_of(DirectoryEntryRow)
            stmt = stmt.outerjoin(stations, stations.c.id == cases.c.police_station_id)
        if joins.institution:
            institutions = table_of(InstitutionRow)
            placed = func.coalesce(found.c.institution_id, care.c.institution_id)
            stmt = stmt.outerjoin(institutions, institutions.c.id == placed)
        if after is not None:
            reported_at, last_id = decode_cursor(after, 2)
            moment = decode_datetime(reported_at)
            stmt = stmt.where(
                or_(cases.c.reported_at < moment, and_(cases.c.reported_at == moment, cases.c.id < last_id))
            )
        stmt = stmt.order_by(cases.c.reported_at.desc(), cases.c.id.desc()).limit(first + 1)
        connection = await self.session.connection()
        found_rows = (await connection.execute(stmt)).all()
        has_next = len(found_rows) > first
        rows: list[CaseRecord] = []
        related = Related()
        for values in found_rows[:first]:
            case = _case_record(values)
            rows.append(case)
            at = len(_CASE_COLUMNS)
            if joins.child:
                child = ChildRecord(*values[at : at + len(_CHILD_COLUMNS)])
                related.children[child.id] = child
                at += len(_CHILD_COLUMNS)
            if joins.police_station:
                if values[at] is not None:
                    station = DirectoryEntryRecord(*values[at : at + len(_STATION_COLUMNS)])
                    related.police_stations[station.id] = station
                at += len(_STATION_COLUMNS)
            if joins.institution and values[at] is not None:
                institution = InstitutionRecord(*values[at : at + len(_INSTITUTION_COLUMNS)])
                related.institutions[institution.id] = institution
        return CasePage(Page(rows, has_next, [encode_cursor(r.reported_at, r.id) for r in rows]), related)


# The page's columns: the common ones, then each kind's details (a case has one kind's, the others are NULL).
_COMMON = columns(CaseRecord)
_KIND_SLICES: dict[str, tuple[type[CaseRecord], slice]] = {}
_CASE_COLUMNS: list[Column[Any]] = list(_COMMON)
for _kind, _record in KIND_RECORDS.items():
    _details = columns(_record)
    _KIND_SLICES[_kind] = (_record, slice(len(_CASE_COLUMNS), len(_CASE_COLUMNS) + len(_details)))
    _CASE_COLUMNS += _details
_KIND_AT = [c.name for c in _COMMON].index("kind")
_CHILD_COLUMNS = columns(ChildRecord)
_STATION_COLUMNS = columns(DirectoryEntryRecord)
_INSTITUTION_COLUMNS = columns(InstitutionRecord)


def _case_record(values: Sequence[Any]) -> CaseRecord:
    record, details = _KIND_SLICES[values[_KIND_AT]]
    return record(*values[: len(_COMMON)], *values[details])


def _filtered(stmt: S, f: CaseFilter, today: date, *, with_child: bool = False) -> S:
    """``stmt`` narrowed by the filter's conditions (``domain.case_conditions``), compiled to SQL."""
    conditions = case_conditions(f, today)
    if on_child(conditions) or with_child:
        stmt = stmt.join(ChildRow, ChildRow.id == CaseRow.child_id)
    compiled = [_sql(c) for c in conditions]
    return stmt.where(*compiled) if compiled else stmt


def _sql(c: Condition) -> ColumnElement[bool]:
    """One condition on its column; on a column of some kinds' details (``institution_id``), on any of them."""
    tested = [_test(column, c) for column in _COLUMNS[c.on][c.field]]
    return tested[0] if len(tested) == 1 else or_(*tested)


def _test(column: Column[Any], c: Condition) -> ColumnElement[bool]:
    if c.op == "in":
        return column.in_(list(c.value))
    if c.op == "eq":
        return column.is_(c.value) if isinstance(c.value, bool) else column == c.value
    bound: Any = c.value
    if c.op == "ge":
        return column.__ge__(bound)
    if c.op == "le":
        return column.__le__(bound)
    return column.contains(bound, autoescape=True)


def _columns_by_name() -> dict[str, dict[str, list[Column[Any]]]]:
    """Each record attribute's column(s): a case's own, then its kinds' details; a child's."""
    on_case: dict[str, list[Column[Any]]] = {c.name: [c] for c in table_of(CaseRow).c}
    for detail in (CareCaseRow, FoundCaseRow, MissingCaseRow):  # care before found: the statement's old order
        for column in table_of(detail).c:
            if column.name != "case_id":
                on_case.setdefault(column.name, []).append(column)
    return {"case": on_case, "child": {c.name: [c] for c in table_of(ChildRow).c}}


_COLUMNS = _columns_by_name()


def search_text(*parts: str | None) -> str:
    """What the free-text filter matches: words case-folded, each preceded by a space (so prefixes match)."""
    return "".join(" " + word for p in parts if p for word in p.casefold().split())
