"""Reading directory entries of every kind: by id, in filtered pages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import DirectoryKind
from ..domain.filters import DirectoryFilter
from .cases import search_tokens
from .models import DirectoryEntryRow
from .pagination import Page, decode_cursor, encode_cursor


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
