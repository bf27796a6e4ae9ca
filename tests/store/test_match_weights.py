"""Stored match weights: each run a new version, the newest read back (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime

from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.match_weights import add_weights, newest_version, newest_weights


async def test_the_newest_run_is_the_current_version(store: Services) -> None:
    async with store.sessions() as session:
        assert await newest_weights(session) is None
        assert await newest_version(session) is None
    moment = datetime(2026, 11, 30, 17, 2, 11, tzinfo=UTC)
    async with store.sessions.begin() as session:
        first = await add_weights(session, {"m": {"age": [0.9, 0.1]}}, {"pairs": 10}, moment)
    async with store.sessions.begin() as session:
        second = await add_weights(session, {"m": {"age": [0.8, 0.2]}}, {"pairs": 12}, moment)
    assert first.version == f"2026-11-30T17:02:11Z#{first.number}"
    assert second.number > first.number
    async with store.sessions() as session:
        newest = await newest_weights(session)
        assert await newest_version(session) == second.version
    assert newest is not None
    assert newest.version == second.version
    assert newest.weights == {"m": {"age": [0.8, 0.2]}, "version": second.version}
    assert newest.report == {"pairs": 12}
