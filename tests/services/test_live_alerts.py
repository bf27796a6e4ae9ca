"""The live alert feed behind the ``alerts`` subscription: what a committed transaction enqueued reaches the bus once
per event and nothing of a write that rolled back does; per-subscriber queues are bounded; the Redis bus carries
events between processes, survives its connection being killed, and a hub without Redis still serves its own
subscribers (logged once). Real Redis at 127.0.0.1:6379 (TRACKCHILD_TEST_REDIS_URL), a channel of each test's own."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import redis.asyncio as aioredis

from tests.factories import HOWRAH, POLICE, WB
from tests.live_server import refusing_port
from tests.services.test_alerts import seed_contacts
from tests.services.test_cases import missing
from trackchild_hub.domain.live_alerts import LiveAlert
from trackchild_hub.gateways.alert_bus import AlertBus, Subscription
from trackchild_hub.services.cases import report_missing
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store import outbox

REDIS_URL = os.environ.get("TRACKCHILD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def drained(feed: Subscription) -> list[LiveAlert | None]:
    out: list[LiveAlert | None] = []
    while not feed.queue.empty():
        out.append(feed.queue.get_nowait())
    return out


def digest(key: str) -> dict[str, Any]:
    """An alert as a rule without a case would enqueue it: its place given for the live feed only."""
    return {
        "rule": "DAILY_DIGEST",
        "case_id": None,
        "reference": "DIGEST-19-313",
        "channel": "EMAIL",
        "address": "collector@wb.example",
        "language": "en",
        "subject": "digest",
        "message": "digest",
        "idempotency_key": key,
        "state_code": WB,
        "district_code": HOWRAH,
    }


async def failing_write(unit: Unit) -> None:
    async with unit.write() as session:
        assert await outbox.enqueue(session, [digest("rolled-back")]) == 1
        raise RuntimeError("the write fails after its alerts were enqueued")


async def test_committed_alerts_reach_the_feed_once_per_event_and_rolled_back_ones_never(store: Services) -> None:
    await seed_contacts(store)
    async with store.alert_bus.subscription(lambda _: True) as feed:
        async with Unit.opened(store, POLICE) as unit:
            case = await report_missing(unit, missing())
        [event] = drained(feed)  # one event, though three messages (SMS, e-mails) went to the outbox
        assert event is not None
        assert (event.rule, event.reference, event.state_code, event.district_code) == (
            "NEW_MISSING_CASE",
            case.reference,
            WB,
            HOWRAH,
        )
        assert event.link == f"{store.settings.public_url}/cases/{case.reference}"
        assert "Rahul" not in repr(event)
        assert "98000" not in repr(event)

        async with Unit.opened(store, POLICE) as unit:
            with pytest.raises(RuntimeError, match="fails after"):
                await failing_write(unit)
            assert drained(feed) == []  # nothing of it, ever: the next commit does not carry it along
            async with unit.write() as session:
                await outbox.enqueue(session, [digest("committed")])
            [event] = drained(feed)
            assert event is not None
            assert (event.rule, event.state_code, event.district_code) == ("DAILY_DIGEST", WB, HOWRAH)
            async with unit.write() as session:  # the same key again: already enqueued, no new event
                assert await outbox.enqueue(session, [digest("committed")]) == 0
            assert drained(feed) == []


async def test_an_alert_that_is_no_case_is_placed_where_its_recipients_are(store: Services) -> None:
    await seed_contacts(store)  # a station of Howrah, a DCPU of Kolkata (West Bengal), a station of Patna (Bihar)
    unplaced = {k: v for k, v in digest("").items() if k not in ("state_code", "district_code")}
    unplaced["recipient_entry_id"] = None  # a webhook's

    def to(entry: str, reference: str) -> dict[str, Any]:
        return unplaced | {"reference": reference, "recipient_entry_id": entry, "idempotency_key": entry + reference}

    async with store.alert_bus.subscription(lambda _: True) as feed, Unit.opened(store, POLICE) as unit:
        async with unit.write() as session:
            await outbox.enqueue(
                session,
                [
                    to("PS-19-313-001", "HOWRAH"),  # a Howrah station and a webhook: Howrah
                    unplaced | {"reference": "HOWRAH", "idempotency_key": "howrah-webhook"},
                    to("PS-19-313-001", "BENGAL"),  # Howrah and Kolkata: West Bengal
                    to("DCPU-KOLKATA", "BENGAL"),
                    to("PS-19-313-001", "TWO-STATES"),  # West Bengal and Bihar: nowhere (national consoles)
                    to("PS-10-212-001", "TWO-STATES"),
                    unplaced | {"reference": "WEBHOOK-ONLY", "idempotency_key": "webhook-only"},
                ],
            )
        places = {e.reference: (e.state_code, e.district_code) for e in drained(feed) if e is not None}
    assert places == {
        "HOWRAH": (WB, HOWRAH),
        "BENGAL": (WB, None),
        "TWO-STATES": (None, None),
        "WEBHOOK-ONLY": (None, None),
    }


async def test_a_subscriber_that_falls_behind_is_ended_not_grown() -> None:
    bus = AlertBus(queue_size=3)
    event = LiveAlert("NEW_MISSING_CASE", "R-1", WB, HOWRAH, "http://hub/cases/R-1", datetime.now(UTC))
    async with bus.subscription(lambda _: True) as slow, bus.subscription(lambda _: True) as keeping_up:
        for _ in range(3):
            bus.publish([event])
        assert len([e async for e in _first(keeping_up, 3)]) == 3
        bus.publish([event])  # the fourth: the slow one has three unread
        assert slow.overflowed
        assert slow not in bus.subscribers
        assert drained(slow) == [None]  # ended: what it had not read went with it
        assert [e async for e in _first(keeping_up, 1)] == [event]


async def _first(feed: Subscription, n: int) -> Any:
    async for event in feed:
        yield event
        n -= 1
        if n == 0:
            return


@pytest.fixture
def channel() -> str:
    return f"trackchild-test-{uuid.uuid4().hex[:12]}:alerts"


async def test_two_buses_share_events_through_redis_and_reconnect_after_a_kill(channel: str) -> None:
    one, other = AlertBus(REDIS_URL, channel), AlertBus(REDIS_URL, channel)
    event = LiveAlert("NEW_MISSING_CASE", "R-1", WB, HOWRAH, "http://hub/cases/R-1", datetime.now(UTC))
    try:
        async with one.subscription(lambda _: True) as here, other.subscription(lambda _: True) as there:
            assert one.connected is not None
            assert other.connected is not None
            await asyncio.wait_for(asyncio.gather(one.connected.wait(), other.connected.wait()), 10)
            one.publish([event])
            assert await asyncio.wait_for(there.queue.get(), 5) == event
            assert drained(here) == [event]  # its own, once (delivered locally, skipped when it comes back)

            # Kill the other bus's subscribed connection: it reconnects and receives again.
            client = aioredis.Redis.from_url(REDIS_URL)
            try:
                name = f"trackchild-live-alerts-{other.origin[:12]}"
                killed = [c for c in await client.client_list() if c.get("name") == name]
                assert killed, "the listener's connection is named"
                for connection in killed:
                    await client.client_kill_filter(_id=connection["id"])
            finally:
                await client.aclose()
            await asyncio.sleep(0.3)
            await asyncio.wait_for(other.connected.wait(), 10)
            later = LiveAlert("NEW_MISSING_CASE", "R-2", WB, HOWRAH, "http://hub/cases/R-2", datetime.now(UTC))
            one.publish([later])
            assert await asyncio.wait_for(there.queue.get(), 5) == later
    finally:
        await one.aclose()
        await other.aclose()


async def test_without_redis_the_bus_serves_its_own_subscribers_and_says_so_once(
    channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    event = LiveAlert("NEW_MISSING_CASE", "R-1", WB, HOWRAH, "http://hub/cases/R-1", datetime.now(UTC))
    with refusing_port() as port, caplog.at_level(logging.WARNING, logger="trackchild_hub.alert_bus"):
        bus = AlertBus(f"redis://127.0.0.1:{port}/0", channel)
        try:
            async with bus.subscription(lambda _: True) as feed:
                for _ in range(3):
                    bus.publish([event])
                    await asyncio.sleep(0.5)  # the listener retries meanwhile
                assert drained(feed) == [event] * 3
        finally:
            await bus.aclose()
    warnings = [r for r in caplog.records if "Redis is unavailable" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in caplog.records]
