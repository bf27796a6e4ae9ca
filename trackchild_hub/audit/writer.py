"""One writer for the whole process: requests hand over their reads and wait until they are committed.

Requests that finish while a batch is being written go into the next batch together (group commit), so the chain's
head is locked once per batch rather than once per request, and no request holds it across its own event-loop turns.
A request's data leaves only after its reads are durable; if the write fails, every request waiting on it fails.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .log import Reader, append

Reads = list[tuple[str, str, list[str]]]


class AccessLogWriter:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._pending: list[tuple[Reader, Reads, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

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
                async with self._sessions() as session, session.begin():
                    await append(session, [(reader, reads) for reader, reads, _ in batch])
            except Exception as exc:
                for *_, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for *_, done in batch:
                    if not done.done():
                        done.set_result(None)
