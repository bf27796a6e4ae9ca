"""The process's candidate index, kept in step with the store.

Built from the store on first use; refreshed from the cases changed since (by ``updated_at``) before a search, at
most every ``REFRESH_S`` seconds, so writes by other processes (another hub behind the load balancer, ``sync``,
``import``) reach it; this process's own writes are applied at once (``refresh(force=True)`` after a commit).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.geography import Geography
from ..domain.reference import IST
from ..matching.index import MatchIndex
from ..store.match_records import changed_cases

log = logging.getLogger(__name__)
REFRESH_S = 2.0


class MatchService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], geography: Geography) -> None:
        self.sessions, self.geography = sessions, geography
        self._index: MatchIndex | None = None
        self._since: datetime | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()
        self._pending: list[str] = []

    def reset(self) -> None:
        """Forget the index (the store was emptied under it: tests); the next search rebuilds it."""
        self._index, self._since, self._checked, self._pending = None, None, 0.0, []

    async def index(self, *, force: bool = False) -> MatchIndex:
        async with self._lock:
            stale = force or time.monotonic() - self._checked >= REFRESH_S
            if self._index is None or stale:
                self._pending += await self._refresh()
            assert self._index is not None
            return self._index

    async def take_changed(self) -> list[str]:
        """Open cases that entered or changed in the index since the last call (never the first, full build's)."""
        await self.index(force=True)
        changed, self._pending = list(dict.fromkeys(self._pending)), []
        return changed

    async def _refresh(self) -> list[str]:
        started = time.monotonic()
        if self._index is None:
            self._index = MatchIndex(today=datetime.now(IST).date())
        index, first_build = self._index, self._since is None
        changed: list[str] = []
        async with self.sessions() as session:
            async for batch in changed_cases(session, self.geography, self._since):
                for record in batch.open:
                    index.upsert(record)
                for case_id in batch.closed:
                    index.remove(case_id)
                changed += [r.case_id for r in batch.open]
                self._since = batch.latest or self._since
        self._checked = time.monotonic()
        if changed:
            log.info(
                "match index: %d cases changed, %d held, %.2f s", len(changed), len(index), self._checked - started
            )
        return [] if first_build else changed
