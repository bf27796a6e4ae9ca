"""Typo-tolerant text search over the directory, from an in-process ``TextIndex`` rebuilt when the table changes.

Each search first asks the database for a fingerprint (active rows, latest ``updated_at``): one indexed aggregate.
A write by any process (upsert, retire, import) moves it, and the next search here rebuilds the index (about a
second at 30,000 entries); otherwise the search runs in memory and only the page's rows are read back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..directories.text_index import IndexedEntry, TextIndex, Where
from ..domain.filters import DirectoryFilter
from .directory import DirectoryRepository
from .models import DirectoryEntryRow
from .pagination import Page, decode_cursor, decode_number, encode_cursor

E = DirectoryEntryRow


class DirectorySearch:
    """One per process (held by the services); safe to share between requests."""

    def __init__(self) -> None:
        self._index: TextIndex | None = None
        self._fingerprint: tuple[int, datetime | None] | None = None

    async def index(self, session: AsyncSession) -> TextIndex:
        count, latest = (await session.execute(select(func.count(), func.max(E.updated_at)))).one()
        fingerprint = (int(count), latest)
        if self._index is None or fingerprint != self._fingerprint:
            rows = await session.execute(
                select(E.id, E.kind, E.state_code, E.district_code, E.pin_code, E.name, E.address).where(
                    E.retired_at.is_(None)
                )
            )
            self._index = TextIndex([IndexedEntry(*r) for r in rows])
            self._fingerprint = fingerprint
        return self._index

    async def page(
        self, session: AsyncSession, where: DirectoryFilter, first: int, after: str | None
    ) -> Page[DirectoryEntryRow]:
        """Best matches of ``where.text`` first; the cursor is a position in that ranking."""
        offset = 0
        if after is not None:
            (text,) = decode_cursor(after, 1)
            offset = decode_number(text)
        index = await self.index(session)
        scope = Where(
            kinds=frozenset(k.value for k in where.kinds),
            state=where.state,
            district=where.district,
            pin_code=where.pin_code,
        )
        hits, has_next = index.search(where.text or "", scope, offset=offset, limit=first)
        found = await DirectoryRepository(session).by_ids([entry.id for entry, _ in hits])
        rows = [found[entry.id] for entry, _ in hits if entry.id in found]
        cursors = [encode_cursor(str(offset + i + 1)) for i in range(len(rows))]
        return Page(rows, has_next, cursors)
