"""Public notices: open MISSING and FOUND cases whose publication an officer consented to, never of a confidential
child, never a CARE case (the hub records no CWC/JJB order allowing a care case to be published, so none is listed).

A page without text is one keyset query, newest report first. A page with text ranks the in-process ``NoticeIndex``
(``NoticeSearch``, one per process) and reads back only the page's rows, each checked against the listing rule again
in SQL, so a notice withdrawn, closed or made confidential a moment ago is never shown, whatever the index holds.

The index follows the store as the match index does (``services/match_service.py``): every case write moves
``cases.updated_at`` (updates, consent, closing, transfer, sync, import), and each search first reads the versions
written after its ``(updated_at, id)`` position, each once (an index range; nothing when nothing changed). A
transaction that commits after a later-stamped one lands behind that position, so every ``RECHECK_S`` a search also
lists a page of the stamps written since ``LAG`` ago (by the clock) and reads in full only those it has not seen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.age import current_age
from ..domain.enums import CaseKind, CaseStatus, DirectoryKind
from ..matching.notice_index import IndexedNotice, NoticeIndex, NoticeScope
from .models import CaseRow, ChildRow, DirectoryCoverageRow, DirectoryEntryRow
from .pagination import Page, decode_cursor, decode_datetime, decode_number, encode_cursor

C = CaseRow.__table__.c
H = ChildRow.__table__.c
E = DirectoryEntryRow
LISTED_KINDS = (CaseKind.MISSING.value, CaseKind.FOUND.value)
LAG = timedelta(seconds=30)  # longer than any writer's transaction: how far back late commits are looked for
RECHECK_S = 2.0  # the late-commit re-check runs before a search at most this often
PAGE = 2000  # case versions read per statement while catching up
Stamp = tuple[datetime, str]  # (updated_at, case id): a position in the order cases changed
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


_RULES = len(listed())


def _changes_select() -> Select[Any]:
    """Each case with its notice's columns, whether each condition of the listing rule holds, and its stamp."""
    return _notices_select().add_columns(*listed(), C.updated_at)


def _after(query: Select[Any], after: Stamp | None) -> Select[Any]:
    """The versions written after ``after`` in (updated_at, id) order."""
    if after is None:
        return query.order_by(C.updated_at, C.id)
    moment, case_id = after
    later = or_(C.updated_at > moment, and_(C.updated_at == moment, C.id > case_id))
    return query.where(C.updated_at >= moment, later).order_by(C.updated_at, C.id)  # >=: the planner seeks the index


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


@dataclass(frozen=True, slots=True)
class _Snapshot:
    last: Any  # the newest case version's (updated_at, id), or None for an empty store
    rows: Sequence[Any]  # every listed notice's row
    recent: dict[str, datetime]  # the versions of the re-check's first stretch, listed or not


async def _snapshot(session: AsyncSession) -> _Snapshot:
    newest = select(C.updated_at, C.id).order_by(C.updated_at.desc(), C.id.desc()).limit(1)
    last = (await session.execute(newest)).first()
    recent: dict[str, datetime] = {}
    if last is not None:  # as of before the read
        window = select(C.updated_at, C.id).where(C.updated_at >= last[0] - LAG)
        recent = {case_id: moment for moment, case_id in await session.execute(window)}
    return _Snapshot(last, (await session.execute(_changes_select().where(*listed()))).all(), recent)


class NoticeSearch:
    """The process's text index of listed notices (held by the services); safe to share between requests (every
    step is idempotent: two requests catching up at once read the same rows and agree)."""

    def __init__(self) -> None:
        self._index = NoticeIndex()
        self._built = False
        self._building = asyncio.Lock()
        self._cursor: Stamp | None = None  # the last case version read, in (updated_at, id) order
        self._checked: Stamp | None = None  # versions up to here are past re-checking
        self._scan: Stamp | None = None  # where the next re-check goes on, when the last one filled a page
        self._recent: dict[str, datetime] = {}  # case id -> the stamp read, for versions of the last LAG
        self._rechecked_at = 0.0

    @property
    def built(self) -> bool:
        return self._built

    async def refresh(self, session: AsyncSession) -> NoticeIndex:
        if not self._built:
            await self._build(session)
        else:
            await self._catch_up(session)
        if time.monotonic() - self._rechecked_at >= RECHECK_S:
            await self._recheck(session)
        return self._index

    async def build_once(
        self, read: Callable[[Callable[[AsyncSession], Awaitable[_Snapshot]]], Awaitable[_Snapshot]]
    ) -> None:
        """Build the index once for the process, before a search's own read: the listed rows are read with ``read``
        (a unit's read: its connection goes back at once), the index is built on a thread with no connection held,
        and requests arriving meanwhile wait here (holding none) instead of building their own copies."""
        if self._built:
            return
        async with self._building:
            if not self._built:
                snapshot = await read(_snapshot)
                self._install(snapshot, await asyncio.to_thread(_index_of, snapshot.rows))

    async def _build(self, session: AsyncSession) -> None:
        snapshot = await _snapshot(session)
        self._install(snapshot, await asyncio.to_thread(_index_of, snapshot.rows))

    def _install(self, snapshot: _Snapshot, index: NoticeIndex) -> None:
        last, rows, recent = snapshot.last, snapshot.rows, snapshot.recent
        recent.update((row.id, row.updated_at) for row in rows)
        self._index, self._built = index, True
        self._cursor = None if last is None else (last[0], last[1])
        self._checked, self._scan = (None if last is None else (last[0] - LAG, "")), None
        self._recent, self._rechecked_at = recent, 0.0

    async def _catch_up(self, session: AsyncSession) -> None:
        """Apply every case version written after the cursor: each once, in order, a page at a time."""
        while True:
            rows = list(await session.execute(_after(_changes_select(), self._cursor).limit(PAGE)))
            self._apply(rows)
            if rows:
                stamp = (rows[-1].updated_at, rows[-1].id)
                self._cursor = stamp if self._cursor is None else max(self._cursor, stamp)
            if len(rows) < PAGE:
                return

    async def _recheck(self, session: AsyncSession) -> None:
        """Re-read the versions between the re-check position and the cursor that were never read (a transaction
        that committed after a later-stamped one, behind the cursor), one page of stamps per call (an index range
        scan; only unseen versions are read in full), and move the position past those older than ``LAG``."""
        self._rechecked_at = time.monotonic()
        if self._cursor is None:
            return
        start = self._scan or self._checked
        stmt = _after(select(C.updated_at, C.id), start).where(C.updated_at <= self._cursor[0])
        stamps = [(moment, case_id) for moment, case_id in await session.execute(stmt.limit(PAGE))]
        wanted = [case_id for moment, case_id in stamps if self._recent.get(case_id) != moment]
        if wanted:
            self._apply(list(await session.execute(_changes_select().where(C.id.in_(wanted)))))
        horizon = datetime.now(UTC) - LAG
        checked = self._checked
        if self._scan is None:  # this page starts at the position: its settled prefix is done with
            for stamp in stamps:
                if stamp[0] > horizon:
                    break
                checked = stamp
        self._scan = stamps[-1] if len(stamps) == PAGE else None  # the next call goes on, or starts over
        if checked is not None and checked != self._checked:  # what the position passed needs no stamp kept
            self._checked = checked
            self._recent = {c: moment for c, moment in self._recent.items() if (moment, c) > checked}

    def _apply(self, rows: Sequence[Any]) -> None:
        for row in rows:
            notice = _notice(row[: len(_COLUMNS)])
            if all(row[len(_COLUMNS) : len(_COLUMNS) + _RULES]):
                self._index.put(_indexed(notice))
            else:
                self._index.drop(notice.case_id)
            self._recent[row.id] = row.updated_at

    async def page(self, session: AsyncSession, where: NoticeFilter, first: int, after: str | None) -> Page[Notice]:
        """Best matches of ``where.text`` first; the cursor is a position in that ranking."""
        offset = 0
        if after is not None:
            (text,) = decode_cursor(after, 1)
            offset = decode_number(text)
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


def _index_of(rows: Sequence[Any]) -> NoticeIndex:
    """A new index of ``rows`` (``_changes_select`` rows of listed cases); touches no shared state, so it may run in a
    worker thread."""
    return NoticeIndex(_indexed(_notice(row[: len(_COLUMNS)])) for row in rows)


def _indexed(notice: Notice) -> IndexedNotice:
    return IndexedNotice(
        case_id=notice.case_id,
        kind=notice.kind,
        state=notice.state,
        district=notice.district,
        reported_at=notice.reported_at,
        first_name=notice.first_name or "",
    )
