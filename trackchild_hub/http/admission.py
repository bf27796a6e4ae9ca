"""Admission control for ``/graphql``: a bound on requests executing at once, a short queue, and a fast refusal.

Past the bound a request waits for a slot at most ``wait_s``, and at most ``queue`` requests wait; every other one is
refused at once (the endpoint answers 503 with ``Retry-After``). Queueing into timeouts is what overload looked like
before: every request admitted, each slower than the last, until none finished within a client's patience. Refusing
the excess keeps the admitted ones fast, and the hub is back to normal the moment the load drops (nothing is left
queued to work through). Slots are handed to waiters in arrival order.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from ..domain.overload import Overloaded
from ..settings import Capacity

QUEUE_FULL = "queue_full"  # refusal reasons, as counted in /metrics
QUEUE_TIMEOUT = "queue_timeout"
DATABASE = "database"  # admitted, but no pooled connection came free within the pool timeout


class Admission:
    def __init__(
        self, limit: int, queue: int, wait_s: float, *, on_refused: Callable[[str], None] | None = None
    ) -> None:
        if limit < 1 or queue < 0 or wait_s < 0:
            raise ValueError("admission needs limit >= 1, queue >= 0, wait_s >= 0")
        self.limit, self.queue, self.wait_s = limit, queue, wait_s
        self.in_flight = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._on_refused = on_refused

    @classmethod
    def for_capacity(cls, capacity: Capacity, *, on_refused: Callable[[str], None] | None = None) -> Admission:
        """This process's bounds (``Settings.process_capacity``: already its share among the workers)."""
        limit = capacity.max_in_flight or capacity.db_pool_size + capacity.db_max_overflow
        queue = capacity.max_queued if capacity.max_queued is not None else limit
        return cls(limit, queue, capacity.queue_wait_ms / 1000, on_refused=on_refused)

    @property
    def queued(self) -> int:
        return len(self._waiting)  # a waiter leaves the deque when served, refused or cancelled

    @property
    def full(self) -> bool:
        """Every slot taken and the queue full: a request arriving now would be refused (checked before its body is
        read and its token verified, so that a refusal under overload costs next to nothing)."""
        return self.in_flight >= self.limit and len(self._waiting) >= self.queue

    def refused(self, reason: str) -> None:
        """Count a refusal (the endpoint reports the ones it finds after admission, such as ``DATABASE``)."""
        if self._on_refused is not None:
            self._on_refused(reason)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the ``limit`` slots for the block; raises ``Overloaded`` when none can be had in time."""
        await self._enter()
        try:
            yield
        finally:
            self._leave()

    async def _enter(self) -> None:
        if self.in_flight < self.limit and not self._waiting:
            self.in_flight += 1
            return
        if self.queued >= self.queue or self.wait_s <= 0:
            self._refuse(QUEUE_FULL)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiting.append(waiter)
        timer = loop.call_later(self.wait_s, self._expire, waiter)
        try:
            await waiter  # its result is a slot handed over by _leave (in_flight already counts it)
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._leave()  # handed a slot just as the request was cancelled: pass it on
            raise
        finally:
            timer.cancel()
            self._discard(waiter)

    def _leave(self) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes straight to the longest waiting request
                return
        self.in_flight -= 1

    def _expire(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            self._discard(waiter)
            waiter.set_exception(self._refusal(QUEUE_TIMEOUT))

    def _discard(self, waiter: asyncio.Future[None]) -> None:
        with suppress(ValueError):  # already handed a slot or expired
            self._waiting.remove(waiter)

    def _refuse(self, reason: str) -> None:
        raise self._refusal(reason)

    def _refusal(self, reason: str) -> Overloaded:
        self.refused(reason)
        return Overloaded()
