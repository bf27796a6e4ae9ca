"""Public notices: open MISSING and FOUND cases whose publication an officer consented to, never of a confidential
child, never a CARE case (the hub records no CWC/JJB order allowing a care case to be published, so none is listed).

A page without text is one keyset query, newest report first. A page with text ranks the in-process ``NoticeIndex``
(``NoticeSearch``, one per process) and reads back only the page's rows, each checked against the listing rule again
in SQL, so a notice withdrawn, closed or made confidential a moment ago is never shown, whatever the index holds.

The index follows the store by ``cases.updated_at`` (every case write moves it: updates, consent, closing, transfer,
sync, import): each search reads the latest one (an indexed aggregate) and, when it moved, reloads the cases written
since just before the last one it had seen (a few seconds' margin for transactions that committed out of order).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.age import current_age
from ..domain.enums import CaseKind, CaseStatus, DirectoryKind
from ..domain.errors import BadUserInput
from ..matching.notice_index import IndexedNotice, NoticeIndex, NoticeScope
from .models import CaseRow, ChildRow, DirectoryCoverageRow, DirectoryEntryRow
from .pagination import Page, decode_cursor, decode_datetime, encode_cursor

C = CaseRow.__table__.c
H = ChildRow.__table__.c
E = DirectoryEntryRow
LISTED_KINDS = (CaseKind.MISSING.value, CaseKind.FOUND.value)
CATCH_UP = timedelta(seconds=5)  # reread this much before the latest write seen: late commits with earlier stamps
REFILL_ROUNDS = 4  # a text page whose rows turned out unlisted is refilled from the ranking at most this often


@dataclass(frozen=True, slots=True)
class NoticeFilter:
    kinds: tuple[CaseKind, ...] = ()
    state: str | None = None
    district: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """What a public notice shows, and nothing else."""

    case_id: str
    kind: str
    first_name: str | None
    age_years: int | None
    gender: str
    state: str
    district: str | None
    event_date: date
    reported_at: datetime
    police_station_id: str | None
    contact: DirectoryEntryRow | None = None


def listed() -> list[ColumnElement[bool]]:
    """The listing rule, in SQL (cases joined with children)."""
    return [
        C.publication_consent.is_(True),
        C.status == CaseStatus.OPEN.value,
        C.kind.in_(LISTED_KINDS),
        H.confidential.is_(False),
    ]


def first_name(name: str | None) -> str | None:
    words = (name or "").split()
    return words[0] if words else None


_COLUMNS = (
    C.id,
    C.kind,
    H.name,
    H.age_years,
    H.date_of_birth,
    H.age_reported_on,
    H.gender,
    C.state_code,
    C.district_code,
    C.event_date,
    C.reported_at,
    C.police_station_id,
)


def _notices_select() -> Select[Any]:
    return select(*_COLUMNS).select_from(CaseRow.__table__.join(ChildRow.__table__, C.child_id == H.id))


def _notice(row: Sequence[Any]) -> Notice:
    case_id, kind, name, age, born, reported_on, gender, state, district, event, reported_at, station = row
    return Notice(
        case_id=case_id,
        kind=kind,
        first_name=first_name(name),
        age_years=current_age(born, age, reported_on, event),  # when last seen or found
        gender=gender,
        state=state,
        district=district,
        event_date=event,
        reported_at=reported_at,
        police_station_id=station,
    )


class NoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, where: NoticeFilter, first: int, after: str | None) -> Page[Notice]:
        """Listed notices, newest report first (keyset on reported_at, id)."""
        stmt = _notices_select().where(*listed(), *_place(where))
        if after is not None:
            at_text, last_id = decode_cursor(after, 2)
            at = decode_datetime(at_text)
            stmt = stmt.where(or_(C.reported_at < at, and_(C.reported_at == at, C.id < last_id)))
        stmt = stmt.order_by(C.reported_at.desc(), C.id.desc()).limit(first + 1)
        notices = [_notice(r) for r in await self.session.execute(stmt)]
        notices, has_next = notices[:first], len(notices) > first
        page = await self.with_contacts(notices)
        return Page(page, has_next, [encode_cursor(n.reported_at, n.case_id) for n in page])

    async def listed_among(self, ids: Sequence[str]) -> dict[str, Notice]:
        """The notices of ``ids`` that the listing rule admits now."""
        if not ids:
            return {}
        rows = await self.session.execute(_notices_select().where(C.id.in_(ids), *listed()))
        return {n.case_id: n for n in map(_notice, rows)}

    async def with_contacts(self, notices: list[Notice]) -> list[Notice]:
        """Each notice with who to call: a missing child's police station (the case's, else the one covering the
        district); for a found child the district's Child Welfare Committee (else the police station)."""
        stations = await self._active([n.police_station_id for n in notices if n.police_station_id])
        districts = {n.district for n in notices if n.district}
        covering = await self._covering(districts)
        out: list[Notice] = []
        for n in notices:
            own = stations.get(n.police_station_id or "")
            bodies = covering.get(n.district or "", {})
            station = own or bodies.get(DirectoryKind.POLICE_STATION.value)
            cwc = bodies.get(DirectoryKind.CHILD_WELFARE_COMMITTEE.value)
            contact = (cwc or station) if n.kind == CaseKind.FOUND.value else (station or cwc)
            out.append(replace(n, contact=contact))
        return out

    async def _active(self, ids: Iterable[str]) -> dict[str, DirectoryEntryRow]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(select(E).where(E.id.in_(wanted), E.retired_at.is_(None)))
        return {r.id: r for r in rows}

    async def _covering(self, districts: set[str]) -> dict[str, dict[str, DirectoryEntryRow]]:
        """Per district, the first (by name, id) active police station and CWC covering it (``store.directory``'s
        coverage: the districts listed for an entry, else its own district)."""
        if not districts:
            return {}
        kinds = [DirectoryKind.POLICE_STATION.value, DirectoryKind.CHILD_WELFARE_COMMITTEE.value]
        listed_areas = exists().where(DirectoryCoverageRow.entry_id == E.id)
        explicit = await self.session.execute(
            select(DirectoryCoverageRow.district_code, E)
            .join(E, E.id == DirectoryCoverageRow.entry_id)
            .where(DirectoryCoverageRow.district_code.in_(districts), E.kind.in_(kinds), E.retired_at.is_(None))
        )
        own = await self.session.scalars(
            select(E).where(E.district_code.in_(districts), E.kind.in_(kinds), E.retired_at.is_(None), ~listed_areas)
        )
        found: dict[str, dict[str, DirectoryEntryRow]] = {}
        pairs = [(str(d), e) for d, e in explicit] + [(str(e.district_code), e) for e in own]
        for district, entry in sorted(pairs, key=lambda p: (p[1].name, p[1].id)):
            found.setdefault(district, {}).setdefault(entry.kind, entry)
        return found


def _place(where: NoticeFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.kinds:
        conditions.append(C.kind.in_([k.value for k in where.kinds]))
    if where.state is not None:
        conditions.append(C.state_code == where.state)
    if where.district is not None:
        conditions.append(C.district_code == where.district)
    return conditions


class NoticeSearch:
    """The process's text index of listed notices (held by the services); safe to share between requests."""

    def __init__(self) -> None:
        self._index = NoticeIndex()
        self._seen: datetime | None = None  # latest cases.updated_at the index has caught up with
        self._built = False

    async def refresh(self, session: AsyncSession) -> NoticeIndex:
        latest = await session.scalar(select(func.max(C.updated_at)))
        if self._built and latest == self._seen:
            return self._index
        stmt = _notices_select().add_columns(*listed(), C.updated_at)
        if self._built and self._seen is not None:
            stmt = stmt.where(C.updated_at >= self._seen - CATCH_UP)
        else:
            stmt = stmt.where(*listed())
            self._index = NoticeIndex()
        for row in await session.execute(stmt):
            notice = _notice(row[: len(_COLUMNS)])
            if all(row[len(_COLUMNS) : len(_COLUMNS) + 4]):
                self._index.put(_indexed(notice))
            else:
                self._index.drop(notice.case_id)
        self._seen, self._built = latest, True
        return self._index

    async def page(self, session: AsyncSession, where: NoticeFilter, first: int, after: str | None) -> Page[Notice]:
        """Best matches of ``where.text`` first; the cursor is a position in that ranking."""
        offset = 0
        if after is not None:
            (text,) = decode_cursor(after, 1)
            if not text.isdigit():
                raise BadUserInput("after", "is not a cursor this API returned")
            offset = int(text)
        index = await self.refresh(session)
        scope = NoticeScope(kinds=frozenset(k.value for k in where.kinds), state=where.state, district=where.district)
        kept: list[tuple[int, Notice]] = []
        more = False
        for _ in range(REFILL_ROUNDS):
            hits, more = index.search(where.text or "", scope, offset=offset, limit=first - len(kept))
            found = await NoticeRepository(session).listed_among([hit.case_id for hit, _ in hits])
            for hit, _ in hits:
                if hit.case_id in found:
                    offset += 1
                    kept.append((offset, found[hit.case_id]))
                else:
                    index.drop(hit.case_id)  # unlisted since the index caught up: the next one moves into its place
            if len(kept) >= first or not more:
                break
        notices = await NoticeRepository(session).with_contacts([n for _, n in kept])
        return Page(notices, more, [encode_cursor(str(position)) for position, _ in kept])


def _indexed(notice: Notice) -> IndexedNotice:
    return IndexedNotice(
        case_id=notice.case_id,
        kind=notice.kind,
        state=notice.state,
        district=notice.district,
        reported_at=notice.reported_at,
        first_name=notice.first_name or "",
    )
