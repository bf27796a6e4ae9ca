"""Cases as the matcher sees them (``MatchRecord``), read from the store in batches: all, or those changed since."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_polymorphic

from ..domain.enums import CaseKind, CaseStatus, Gender
from ..domain.geography import Geography
from ..matching.records import MatchRecord
from .models import CareCaseRow, CaseRow, ChildAliasRow, ChildRow, FoundCaseRow, GuardianRow, MissingCaseRow

BATCH = 5000


@dataclass(frozen=True, slots=True)
class Changes:
    open: list[MatchRecord]  # to add or refresh
    closed: list[str]  # case ids no longer open: out of the index
    latest: datetime | None  # the newest updated_at seen: where the next refresh starts


async def changed_cases(session: AsyncSession, geography: Geography, since: datetime | None) -> AsyncIterator[Changes]:
    """Every case updated since ``since`` (all when None), a batch at a time, oldest change first."""
    any_case = with_polymorphic(CaseRow, [MissingCaseRow, FoundCaseRow, CareCaseRow])
    after: tuple[datetime, str] | None = None
    while True:
        query = select(any_case, ChildRow).join(ChildRow, ChildRow.id == any_case.child_id)
        if since is not None:
            query = query.where(any_case.updated_at >= since)  # a change committed at the same instant is not missed
        if after is not None:
            moment, last_id = after
            query = query.where(
                or_(any_case.updated_at > moment, and_(any_case.updated_at == moment, any_case.id > last_id))
            )
        query = query.order_by(any_case.updated_at, any_case.id).limit(BATCH)
        rows = [(case, child) for case, child in await session.execute(query)]
        if not rows:
            return
        guardians, aliases = await _people(session, [child.id for _, child in rows])
        open_, closed = [], []
        for case, child in rows:
            if case.status != CaseStatus.OPEN.value:
                closed.append(case.id)
            else:
                open_.append(_record(case, child, guardians[child.id], aliases[child.id], geography))
        after = (rows[-1][0].updated_at, rows[-1][0].id)
        yield Changes(open_, closed, after[0])


async def _people(session: AsyncSession, child_ids: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    guardians: dict[str, list[str]] = defaultdict(list)
    aliases: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(child_ids), 1000):
        chunk = child_ids[start : start + 1000]
        for child_id, name in await session.execute(
            select(GuardianRow.child_id, GuardianRow.name).where(GuardianRow.child_id.in_(chunk))
        ):
            if name:
                guardians[child_id].append(name)
        for child_id, alias in await session.execute(
            select(ChildAliasRow.child_id, ChildAliasRow.alias).where(ChildAliasRow.child_id.in_(chunk))
        ):
            aliases[child_id].append(alias)
    return guardians, aliases


def _record(
    case: CaseRow, child: ChildRow, guardians: list[str], aliases: list[str], geography: Geography
) -> MatchRecord:
    latitude, longitude = case.latitude, case.longitude
    if latitude is None and case.district_code is not None:
        district = geography.district(case.district_code)
        if district is not None:
            latitude, longitude = district.latitude, district.longitude
    return MatchRecord(
        kind=CaseKind(case.kind),
        gender=Gender(child.gender),
        name=child.name,
        aliases=tuple(aliases),
        guardian_names=tuple(guardians),
        age_years=child.age_years,
        date_of_birth=child.date_of_birth,
        event_date=case.event_date,
        state=case.state_code,
        district=case.district_code,
        latitude=latitude,
        longitude=longitude,
        height_cm=child.height_cm,
        identifying_marks=tuple(child.identifying_marks),
        clothing=child.clothing,
        languages=tuple(child.languages),
        missing_since=case.missing_since if isinstance(case, FoundCaseRow) else None,
        case_id=case.id,
        confidential=child.confidential,
    )
