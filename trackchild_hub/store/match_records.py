"""Cases as the matcher sees them (``MatchRecord``), read in the order they changed: ``(updated_at, id)``.

``records_after`` reads the cases changed after a point in full. ``stamps_after`` lists only which cases changed
and when (an index-only range scan), so a caller re-checking a recent stretch can skip the versions it holds and
read the rest with ``match_records``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseKind, CaseStatus, Gender
from ..domain.geography import Geography
from ..matching.records import MatchRecord
from .models import CaseRow, ChildAliasRow, ChildRow, FoundCaseRow, GuardianRow

Stamp = tuple[datetime, str]  # (updated_at, case id): a position in the order cases changed
IN_CHUNK = 500  # ids per IN (...): well under every backend's limit on bound parameters

_cases = CaseRow.__table__
_found = FoundCaseRow.__table__
_children = ChildRow.__table__
_COLUMNS = (
    *(_cases.c[name] for name in ("id", "kind", "status", "child_id", "state_code", "district_code")),
    *(_cases.c[name] for name in ("latitude", "longitude", "updated_at")),
    _cases.c.event_date,
    _found.c.missing_since,
    *(_children.c[name] for name in ("gender", "name", "age_years", "date_of_birth", "height_cm", "clothing")),
    *(_children.c[name] for name in ("identifying_marks", "languages", "confidential")),
)


@dataclass(frozen=True, slots=True)
class Changes:
    open: list[MatchRecord]  # to add or refresh
    closed: list[str]  # case ids no longer open (or gone): out of the index
    stamps: list[Stamp]  # of the cases read, in order


async def stamps_after(session: AsyncSession, after: Stamp | None, limit: int) -> list[Stamp]:
    """Up to ``limit`` cases changed after ``after`` (all when None), in order."""
    query = _after(select(_cases.c.updated_at, _cases.c.id), after)
    rows = await session.execute(query.order_by(_cases.c.updated_at, _cases.c.id).limit(limit))
    return [(moment, case_id) for moment, case_id in rows]


async def records_after(session: AsyncSession, geography: Geography, after: Stamp | None, limit: int) -> Changes:
    """Up to ``limit`` cases changed after ``after`` (all when None), in order."""
    query = _after(_records(), after).order_by(_cases.c.updated_at, _cases.c.id).limit(limit)
    return await _changes(session, geography, list(await session.execute(query)), ())


async def match_records(session: AsyncSession, geography: Geography, case_ids: Sequence[str]) -> Changes:
    """The current state of ``case_ids`` (``stamps`` in no particular order)."""
    rows = []
    for start in range(0, len(case_ids), IN_CHUNK):
        rows += await session.execute(_records().where(_cases.c.id.in_(case_ids[start : start + IN_CHUNK])))
    return await _changes(session, geography, rows, case_ids)


async def records_of(session: AsyncSession, geography: Geography, case_ids: Sequence[str]) -> list[MatchRecord]:
    """The records of ``case_ids`` whatever their status (a confirmed match's cases are closed: training needs them)."""
    rows = []
    for start in range(0, len(case_ids), IN_CHUNK):
        rows += await session.execute(_records().where(_cases.c.id.in_(case_ids[start : start + IN_CHUNK])))
    guardians, aliases = await _people(session, [row.child_id for row in rows])
    return [_record(row, guardians[row.child_id], aliases[row.child_id], geography) for row in rows]


def _after(query: Select[Any], after: Stamp | None) -> Select[Any]:
    if after is None:
        return query
    moment, case_id = after
    later = or_(_cases.c.updated_at > moment, and_(_cases.c.updated_at == moment, _cases.c.id > case_id))
    return query.where(_cases.c.updated_at >= moment, later)  # the first term lets the planner seek the index


def _records() -> Select[Any]:
    return (
        select(*_COLUMNS)
        .join(_children, _children.c.id == _cases.c.child_id)
        .outerjoin(_found, _found.c.case_id == _cases.c.id)
    )


async def _changes(session: AsyncSession, geography: Geography, rows: list[Row[Any]], asked: Sequence[str]) -> Changes:
    opened = [row for row in rows if row.status == CaseStatus.OPEN.value]
    guardians, aliases = await _people(session, [row.child_id for row in opened])
    records = [_record(row, guardians[row.child_id], aliases[row.child_id], geography) for row in opened]
    found = {row.id for row in rows}
    closed = [row.id for row in rows if row.status != CaseStatus.OPEN.value]
    closed += [case_id for case_id in asked if case_id not in found]  # deleted
    return Changes(records, closed, [(row.updated_at, row.id) for row in rows])


async def _people(session: AsyncSession, child_ids: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    guardians: dict[str, list[str]] = defaultdict(list)
    aliases: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(child_ids), IN_CHUNK):
        chunk = child_ids[start : start + IN_CHUNK]
        guardian_rows = await session.execute(
            select(GuardianRow.child_id, GuardianRow.name)
            .where(GuardianRow.child_id.in_(chunk))
            .order_by(GuardianRow.child_id, GuardianRow.position)  # the same record each read: equal, not "changed"
        )
        for child_id, name in guardian_rows:
            if name:
                guardians[child_id].append(name)
        alias_rows = await session.execute(
            select(ChildAliasRow.child_id, ChildAliasRow.alias)
            .where(ChildAliasRow.child_id.in_(chunk))
            .order_by(ChildAliasRow.child_id, ChildAliasRow.position)
        )
        for child_id, alias in alias_rows:
            aliases[child_id].append(alias)
    return guardians, aliases


def _record(row: Row[Any], guardians: list[str], aliases: list[str], geography: Geography) -> MatchRecord:
    latitude, longitude = row.latitude, row.longitude
    if latitude is None and row.district_code is not None:
        district = geography.district(row.district_code)
        if district is not None:
            latitude, longitude = district.latitude, district.longitude
    kind = CaseKind(row.kind)
    return MatchRecord(
        kind=kind,
        gender=Gender(row.gender),
        name=row.name,
        aliases=tuple(aliases),
        guardian_names=tuple(guardians),
        age_years=row.age_years,
        date_of_birth=row.date_of_birth,
        event_date=row.event_date,
        state=row.state_code,
        district=row.district_code,
        latitude=latitude,
        longitude=longitude,
        height_cm=row.height_cm,
        identifying_marks=tuple(row.identifying_marks),
        clothing=row.clothing,
        languages=tuple(row.languages),
        missing_since=row.missing_since if kind is CaseKind.FOUND else None,
        case_id=row.id,
        confidential=row.confidential,
    )
