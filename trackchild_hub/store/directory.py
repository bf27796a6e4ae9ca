"""Reading directory entries of every kind: by id, in filtered pages, nearest to a point, covering a place; an
entry's change log and functionaries.

Coverage: an entry covers the districts and PIN codes listed for it in ``directory_coverage``; an entry with none
listed covers its own district, and a police station its own PIN code (its own district when no PIN is asked).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..directories.geo import box_around, haversine_km
from ..directories.quality import EntryFacts
from ..domain.enums import DirectoryKind
from ..domain.filters import DirectoryFilter
from .cases import search_tokens
from .models import DirectoryChangeRow, DirectoryCoverageRow, DirectoryEntryRow, FunctionaryRow
from .pagination import Page, decode_cursor, encode_cursor

E = DirectoryEntryRow
FIRST_RADIUS_KM = 20.0
WHOLE_EARTH_KM = 20_100.0  # more than half the circumference: the box is the whole globe


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_ids(self, ids: Sequence[str]) -> dict[str, DirectoryEntryRow]:
        rows = await self.session.scalars(select(DirectoryEntryRow).where(DirectoryEntryRow.id.in_(ids)))
        return {row.id: row for row in rows}

    async def police_station(self, reference: str) -> DirectoryEntryRow | None:
        """An active police station by id or CCTNS code."""
        result = await self.session.scalars(
            select(DirectoryEntryRow).where(
                DirectoryEntryRow.kind == DirectoryKind.POLICE_STATION.value,
                DirectoryEntryRow.retired_at.is_(None),
                or_(DirectoryEntryRow.id == reference, DirectoryEntryRow.code == reference),
            )
        )
        return result.first()

    async def page(self, where: DirectoryFilter, first: int, after: str | None) -> Page[DirectoryEntryRow]:
        stmt = select(DirectoryEntryRow).where(DirectoryEntryRow.retired_at.is_(None))
        if where.kinds:
            stmt = stmt.where(DirectoryEntryRow.kind.in_([k.value for k in where.kinds]))
        if where.state:
            stmt = stmt.where(DirectoryEntryRow.state_code == where.state)
        if where.district:
            stmt = stmt.where(DirectoryEntryRow.district_code == where.district)
        if where.pin_code:
            stmt = stmt.where(DirectoryEntryRow.pin_code == where.pin_code)
        for token in search_tokens(where.text or ""):
            stmt = stmt.where(DirectoryEntryRow.search_text.contains(token, autoescape=True))
        if after is not None:
            name, last_id = decode_cursor(after, 2)
            stmt = stmt.where(
                or_(
                    DirectoryEntryRow.name > name,
                    and_(DirectoryEntryRow.name == name, DirectoryEntryRow.id > last_id),
                )
            )
        stmt = stmt.order_by(DirectoryEntryRow.name, DirectoryEntryRow.id).limit(first + 1)
        rows = list(await self.session.scalars(stmt))
        rows, has_next = rows[:first], len(rows) > first
        return Page(rows, has_next, [encode_cursor(r.name, r.id) for r in rows])

    async def nearest(
        self, kind: DirectoryKind, latitude: float, longitude: float, first: int
    ) -> list[tuple[DirectoryEntryRow, float]]:
        """The ``first`` active entries of ``kind`` nearest the point, with great-circle distances in km.

        Only the rows inside a box around the point are read (index on kind, latitude); the box widens fourfold
        until it holds ``first`` entries within its radius. Anything outside the box is farther than the radius,
        so those are exactly the nearest.
        """
        radius = FIRST_RADIUS_KM
        while True:
            box = box_around(latitude, longitude, radius)
            points = await self.session.execute(
                select(E.id, E.latitude, E.longitude).where(
                    E.kind == kind.value,
                    E.retired_at.is_(None),
                    E.latitude.between(box.lat_min, box.lat_max),
                    E.longitude.between(box.lon_min, box.lon_max),
                )
            )
            scored = sorted(
                (haversine_km(latitude, longitude, lat, lon), entry_id)
                for entry_id, lat, lon in points
                if lat is not None and lon is not None
            )
            within = [(km, entry_id) for km, entry_id in scored if km <= radius]
            if len(within) >= first or radius >= WHOLE_EARTH_KM:
                chosen = within[:first]
                break
            radius *= 4
        rows = await self.by_ids([entry_id for _, entry_id in chosen])
        return [(rows[entry_id], km) for km, entry_id in chosen]

    async def covering(
        self, kinds: Sequence[DirectoryKind], district: str | None, pin_code: str | None
    ) -> list[DirectoryEntryRow]:
        """Active entries of ``kinds`` whose coverage contains the district and/or PIN code, by kind and name."""
        listed = exists().where(DirectoryCoverageRow.entry_id == E.id)
        areas: list[ColumnElement[bool]] = []
        if district is not None:
            areas.append(DirectoryCoverageRow.district_code == district)
        if pin_code is not None:
            areas.append(DirectoryCoverageRow.pin_code == pin_code)
        explicit = E.id.in_(select(DirectoryCoverageRow.entry_id).where(or_(*areas))) if areas else false()
        own_district = E.district_code == district if district is not None else false()
        station = E.kind == DirectoryKind.POLICE_STATION.value
        own_area = or_(
            and_(station, E.pin_code == pin_code) if pin_code is not None else and_(station, own_district),
            and_(~station, own_district),
        )
        stmt = (
            select(E)
            .where(E.kind.in_([k.value for k in kinds]), E.retired_at.is_(None), or_(explicit, and_(~listed, own_area)))
            .order_by(E.kind, E.name, E.id)
        )
        return list(await self.session.scalars(stmt))

    async def coverage(self, ids: Sequence[str]) -> dict[str, list[DirectoryCoverageRow]]:
        found: dict[str, list[DirectoryCoverageRow]] = {}
        stmt = select(DirectoryCoverageRow).where(DirectoryCoverageRow.entry_id.in_(ids))
        for area in await self.session.scalars(stmt.order_by(DirectoryCoverageRow.id)):
            found.setdefault(area.entry_id, []).append(area)
        return found

    async def functionaries(self, ids: Sequence[str]) -> dict[str, list[FunctionaryRow]]:
        found: dict[str, list[FunctionaryRow]] = {}
        stmt = select(FunctionaryRow).where(FunctionaryRow.entry_id.in_(ids))
        for person in await self.session.scalars(stmt.order_by(FunctionaryRow.position)):
            found.setdefault(person.entry_id, []).append(person)
        return found

    async def quality_facts(self) -> list[EntryFacts]:
        """What ``directories.quality`` needs of every active entry (no names, no numbers leave this function)."""
        result = await self.session.execute(
            select(E.id, E.kind, E.state_code, E.district_code, E.phones, E.last_verified_on, E.sjpu_id).where(
                E.retired_at.is_(None)
            )
        )
        return [
            EntryFacts(entry_id, kind, state, district, bool(phones), verified, sjpu)
            for entry_id, kind, state, district, phones, verified, sjpu in result
        ]

    async def changes(self, entry_id: str, first: int) -> list[DirectoryChangeRow]:
        """An entry's change log, newest first."""
        stmt = (
            select(DirectoryChangeRow)
            .where(DirectoryChangeRow.entry_id == entry_id)
            .order_by(DirectoryChangeRow.id.desc())
            .limit(first)
        )
        return list(await self.session.scalars(stmt))

    async def functionary(self, functionary_id: str) -> FunctionaryRow | None:
        return await self.session.get(FunctionaryRow, functionary_id)
