"""The alert dispatcher: claims due outbox rows under a lease, sends each through its channel's gateway, and records
the outcome: delivered; due again after an exponential backoff with jitter; or a dead letter after
``max_attempts`` tries (or at once, when the gateway says trying again cannot help).

Delivery is at least once, made exactly once at the receiver by the idempotency key: a dispatcher killed between
sending and recording leaves its rows ``DELIVERING``; when their lease runs out another dispatcher (or the same one,
restarted) claims and sends them again with the same key, which the gateway drops as a repeat. Runs as
``trackchild-hub dispatch`` or inside ``serve`` (``dispatch_forever``); several may run at once (PostgreSQL hands each
its own rows; SQLite serialises the claims).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable, Mapping
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.alerts import Channel
from ..gateways.port import Delivery, DeliveryFailed, Gateway
from ..settings import Alerting
from ..store import outbox
from ..store.models import OutboxRow
from ..store.models.base import utcnow

log = logging.getLogger(__name__)
BATCH = 20
MAX_BACKOFF_S = 3600.0


def backoff_s(attempts: int, base_s: float, random_fraction: float) -> float:
    """The wait before the next try after ``attempts`` tries: ``base_s`` doubled per try, at most an hour, and then
    "equal jitter": between half and all of it (``random_fraction`` in [0, 1)), so retries of many alerts that
    failed together (a gateway down) spread out instead of arriving together."""
    full = min(MAX_BACKOFF_S, base_s * 2.0 ** max(0, attempts - 1))
    return full / 2 + full / 2 * random_fraction


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        alerting: Alerting,
        gateways: Mapping[Channel, Gateway],
        *,
        claimer: str | None = None,
        batch: int = BATCH,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.sessions, self.alerting, self.gateways = sessions, alerting, gateways
        self.claimer = claimer or f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"
        self.batch, self.jitter = batch, jitter

    async def run_once(self) -> int:
        """Claim one batch of due alerts and deliver it; returns how many were claimed."""
        if not self.gateways:
            return 0
        async with self.sessions() as session, session.begin():
            rows = await outbox.claim(
                session,
                self.claimer,
                self.batch,
                timedelta(seconds=self.alerting.lease_s),
                [channel.value for channel in self.gateways],
            )
        await asyncio.gather(*(self._deliver(row) for row in rows))
        return len(rows)

    async def drain(self) -> int:
        """Deliver batches until none is due; returns how many rows were claimed in all."""
        total = 0
        while claimed := await self.run_once():
            total += claimed
        return total

    async def _deliver(self, row: OutboxRow) -> None:
        delivery = Delivery(
            id=row.id,
            key=row.idempotency_key,
            rule=row.rule,
            reference=row.reference,
            address=row.address,
            language=row.language,
            subject=row.subject,
            message=row.message,
        )
        try:
            await self.gateways[Channel(row.channel)].send(delivery)
        except DeliveryFailed as exc:
            await self._failed(row, exc.reason, permanent=exc.permanent)
        except Exception as exc:  # a gateway's bug must not stop the others: counted as a failed try
            await self._failed(row, type(exc).__name__, permanent=False)
        else:
            async with self.sessions() as session, session.begin():
                await outbox.delivered(session, row.id, self.claimer)

    async def _failed(self, row: OutboxRow, reason: str, *, permanent: bool) -> None:
        dead = permanent or row.attempts >= self.alerting.max_attempts
        wait = backoff_s(row.attempts, self.alerting.backoff_s, self.jitter())
        retry_at = None if dead else utcnow() + timedelta(seconds=wait)
        async with self.sessions() as session, session.begin():
            await outbox.failed(session, row.id, self.claimer, reason, retry_at)
        # The row's id, channel and reason only: never an address or the text.
        log.warning(
            "alert %s over %s: %s (%s)", row.id, row.channel, reason, "dead letter" if dead else f"retry {wait:.0f} s"
        )


async def dispatch_forever(dispatcher: Dispatcher, every_s: float, stop: asyncio.Event) -> None:
    """Deliver due alerts every ``every_s`` seconds (at once again while full batches come), until ``stop`` is set."""
    while not stop.is_set():
        try:
            claimed = await dispatcher.run_once()
        except Exception as exc:  # the database may be away for a moment; try again next round
            log.error("alert dispatch failed: %s", type(exc).__name__)
            claimed = 0
        if claimed >= dispatcher.batch:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


async def dead_letters(sessions: async_sessionmaker[AsyncSession], limit: int = 100) -> list[OutboxRow]:
    """The operator's list of alerts that will not be tried again by themselves, oldest first."""
    async with sessions() as session:
        return await outbox.dead_letters(session, limit)


async def retry_dead_letter(sessions: async_sessionmaker[AsyncSession], row_id: str) -> bool:
    """Put a dead letter back in the queue, due now with a fresh count of tries; False if ``row_id`` is none."""
    async with sessions() as session, session.begin():
        return await outbox.revive(session, row_id)
