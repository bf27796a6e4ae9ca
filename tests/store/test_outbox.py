"""The alert outbox (migration 0010, store/outbox.py) on SQLite and PostgreSQL: the migration builds what the model
declares; an idempotency key is enqueued once; claims take due rows under a lease and a lapsed lease is claimed
again; failures retry or end as dead letters, which an operator revives."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store import outbox
from trackchild_hub.store.models import OutboxRow
from trackchild_hub.store.models.base import utcnow

LEASE = timedelta(seconds=60)


async def test_migration_matches_the_model(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, {"alert_outbox"})
    assert differences == []


def alert(key: str) -> dict[str, Any]:
    return {
        "rule": "NEW_MISSING_CASE",
        "case_id": "c1",
        "reference": "BR-2026-000001",
        "channel": "SMS",
        "address": "+919812345678",
        "language": "en",
        "subject": "s",
        "message": "m",
        "idempotency_key": key,
    }


async def test_a_key_is_enqueued_once(store: Services) -> None:
    async with store.sessions() as session, session.begin():
        assert await outbox.enqueue(session, [alert("k1"), alert("k2")]) == 2
    async with store.sessions() as session, session.begin():
        assert await outbox.enqueue(session, [alert("k1"), alert("k3")]) == 1
    async with store.sessions() as session:
        assert sorted(await session.scalars(select(OutboxRow.idempotency_key))) == ["k1", "k2", "k3"]


async def test_claims_are_disjoint_and_a_lapsed_lease_is_claimed_again(store: Services) -> None:
    async with store.sessions() as session, session.begin():
        await outbox.enqueue(session, [alert(f"k{i}") for i in range(5)])
    async with store.sessions() as session, session.begin():
        first = await outbox.claim(session, "a", 3, LEASE)
    async with store.sessions() as session, session.begin():
        second = await outbox.claim(session, "b", 10, LEASE)
    assert len(first) == 3
    assert len(second) == 2
    assert not {r.id for r in first} & {r.id for r in second}
    assert all(r.status == "DELIVERING" and r.attempts == 1 for r in first + second)
    async with store.sessions() as session, session.begin():
        assert await outbox.claim(session, "c", 10, LEASE) == []  # all held
        # "a" died: its lease runs out
        await session.execute(
            update(OutboxRow).where(OutboxRow.claimed_by == "a").values(claimed_until=utcnow() - timedelta(seconds=1))
        )
    async with store.sessions() as session, session.begin():
        again = await outbox.claim(session, "c", 10, LEASE)
        assert {r.id for r in again} == {r.id for r in first}
        assert all(r.attempts == 2 for r in again)
        # "a" comes back and reports: the row is no longer its own
        assert not await outbox.delivered(session, first[0].id, "a")
        assert await outbox.delivered(session, first[0].id, "c")


async def test_a_failure_retries_later_then_dies_and_is_revived(store: Services) -> None:
    async with store.sessions() as session, session.begin():
        await outbox.enqueue(session, [alert("k1")])
    async with store.sessions() as session, session.begin():
        [row] = await outbox.claim(session, "a", 1, LEASE)
        assert await outbox.failed(session, row.id, "a", "HTTP 503", utcnow() + timedelta(hours=1))
    async with store.sessions() as session, session.begin():
        assert await outbox.claim(session, "a", 1, LEASE) == []  # not due yet
        await session.execute(update(OutboxRow).values(next_attempt_at=utcnow()))
    async with store.sessions() as session, session.begin():
        [row] = await outbox.claim(session, "a", 1, LEASE)
        assert await outbox.failed(session, row.id, "a", "HTTP 400", None)
    async with store.sessions() as session, session.begin():
        [dead] = await outbox.dead_letters(session)
        assert (dead.id, dead.attempts, dead.last_error) == (row.id, 2, "HTTP 400")
        assert await outbox.counts(session) == {"DEAD": 1}
        assert await outbox.revive(session, row.id)
        assert not await outbox.revive(session, row.id)  # no longer dead
    async with store.sessions() as session, session.begin():
        [again] = await outbox.claim(session, "a", 1, LEASE)
        assert again.attempts == 1


async def test_concurrent_claimers_never_take_the_same_row(store: Services) -> None:
    """Two claims in transactions open at once: on PostgreSQL the second skips the rows the first holds locked, without
    waiting for it; on SQLite (one writer) the second waits for the first's commit and takes what is left."""
    async with store.sessions() as session, session.begin():
        await outbox.enqueue(session, [alert(f"k{i}") for i in range(6)])

    async def claimer(name: str, claimed: asyncio.Event, release: asyncio.Event) -> set[str]:
        async with store.sessions() as session, session.begin():
            rows = await outbox.claim(session, name, 4, LEASE)
            claimed.set()
            await release.wait()  # the transaction, and its row locks, stay open until then
            return {r.id for r in rows}

    a_claimed, a_release, b_claimed, b_release = (asyncio.Event() for _ in range(4))
    first = asyncio.create_task(claimer("a", a_claimed, a_release))
    await a_claimed.wait()
    second = asyncio.create_task(claimer("b", b_claimed, b_release))
    if store.settings.database_url.startswith("postgresql"):
        await asyncio.wait_for(b_claimed.wait(), 10)  # while "a" still holds its rows
    a_release.set()
    b_release.set()
    a, b = await first, await second
    assert len(a) == 4
    assert len(b) == 2
    assert not a & b
