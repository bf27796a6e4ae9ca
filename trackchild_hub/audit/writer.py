"""One writer for the whole process: requests hand over their reads and wait until they are committed.

Requests that finish while a batch is being written go into the next batch together (group commit), so the chain's
head is moved once per batch rather than once per request, and no request holds it across its own event-loop turns.
The writer remembers the head its last batch left: the next batch guesses it (audit/append.py), which on PostgreSQL
makes a batch one statement and one round trip while no other process appends.
A request's data leaves only after its reads are durable; if the write fails, every request waiting on it fails.
After each committed batch the anchor outside the database moves forward (audit/anchor.py) before the batch's
requests go on, so whatever a response showed is covered by the anchor. A failure there is logged, not raised: the
reads are already durable, and an anchor left behind is still a valid (if older) anchor.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.overload import Overloaded
from ..settings import Settings
from ..store.engine import is_pool_timeout
from .anchor import Anchor, anchor_path
from .append import Head, append, on_postgresql
from .keys import AuditKeys
from .log import Reader

log = logging.getLogger(__name__)

Reads = list[tuple[str, str, list[str]]]


class AccessLogWriter:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], keys: AuditKeys, anchor: Anchor) -> None:
        self._sessions, self.keys, self.anchor = sessions, keys, anchor
        self._pending: list[tuple[Reader, Reads, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None
        self._head: Head | None = None  # as this process's last batch left it
        self._postgresql = on_postgresql(sessions)

    @classmethod
    def for_settings(cls, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> AccessLogWriter:
        """Keys from the settings (development: the data folder's, made on first use); the anchor file they name."""
        keys = AuditKeys.from_settings(settings)
        assert keys is not None  # created when missing
        return cls(sessions, keys, Anchor(anchor_path(settings), keys))

    async def write(self, reader: Reader, reads: Reads) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._pending.append((reader, reads, done))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._drain())
        await done

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                batch_reads = [(reader, reads) for reader, reads, _ in batch]
                key, guess = self.keys.current, self._head
                head = await append(self._sessions, batch_reads, key, guess, postgresql=self._postgresql)
            except Exception as exc:
                failure: Exception = Overloaded() if is_pool_timeout(exc) else exc  # at capacity: 503, not 500
                for *_, done in batch:
                    if not done.done():
                        done.set_exception(failure)
                continue
            if head is not None:
                self._head = head
                await self._advance_anchor(head.length, head.last_hash)
            for *_, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _advance_anchor(self, length: int, last_hash: str) -> None:
        try:
            await asyncio.to_thread(self.anchor.advance, length, last_hash)
        except OSError as exc:
            log.error("access log anchor %s not written: %s", self.anchor.path, exc)
