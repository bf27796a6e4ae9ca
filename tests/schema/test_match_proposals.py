"""Background match proposals over bulk data: each pair written once, nothing twice, a reviewer's decision kept.

The round used to fail every time (``IntegrityError``: a missing and a found child written in one batch find each
other from both sides, and both directions went into one insert under one id), and the ``updated_at >= since``
refresh handed the last import batch (one shared stamp) to every following round again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.matching.bulk_store import synthetic, write_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services.matches import OPPOSITE
from trackchild_hub.services.proposals import PROPOSE_TOP, propose_for, propose_forever
from trackchild_hub.store.models import MatchProposalRow

BASELINE, NEW = 3000, 600


async def proposals(services: Services) -> dict[str, MatchProposalRow]:
    async with services.sessions() as session:
        return {p.id: p for p in await session.scalars(select(MatchProposalRow))}


async def expected_pairs(services: Services, case_ids: list[str]) -> tuple[set[str], int]:
    """Every LIKELY or POSSIBLE pair among the cases' best candidates, worked out here from the index directly; and
    how many of them were found from both sides."""
    assert services.matcher is not None
    index = await services.matcher.index(force=True)
    directions: list[tuple[str, str]] = []
    for case_id in case_ids:
        query = index.record(case_id)
        assert query is not None
        for match in index.search(query, OPPOSITE[query.kind], first=PROPOSE_TOP):
            if match.band is not None:
                pair = (case_id, match.case_id) if query.kind.value == "MISSING" else (match.case_id, case_id)
                directions.append(pair)
    both = sum(1 for pair in set(directions) if directions.count(pair) == 2)
    return {f"{m}~{o}" for m, o in directions}, both


async def test_a_background_round_over_bulk_data_writes_each_pair_once(
    store: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="trackchild_hub")
    assert store.matcher is not None
    await write_cases(store, synthetic(BASELINE, seed=5), prefix="old")
    await store.matcher.index()  # the baseline a serving hub starts from: matched on demand, not proposed
    new_ids = await write_cases(store, synthetic(NEW, seed=7), prefix="new", batch=200)  # as `import` would
    stop = asyncio.Event()
    worker = asyncio.create_task(propose_forever(store, 0.05, stop))
    try:
        for _ in range(600):
            if any("match proposals:" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # a few more rounds, which must find nothing to do
    finally:
        stop.set()
        await asyncio.wait_for(worker, 2)

    rounds = [r.getMessage() for r in caplog.records if r.getMessage().startswith("match proposals:")]
    assert [r.levelname for r in caplog.records if r.levelno >= logging.WARNING] == []
    stored = await proposals(store)
    wanted, found_from_both_sides = await expected_pairs(store, new_ids)
    assert found_from_both_sides > 0  # the case that used to fail the whole round
    assert set(stored) == wanted
    assert rounds == [f"match proposals: {len(wanted)} new for {NEW} changed cases"]  # one round, once each case
    assert all(p.status == "PROPOSED" and p.band in ("LIKELY", "POSSIBLE") for p in stored.values())

    # The same cases again (as after their next change): nothing new, and a reviewed pair stays as reviewed.
    rejected = next(iter(stored))
    async with store.sessions() as session, session.begin():
        await session.execute(
            update(MatchProposalRow).where(MatchProposalRow.id == rejected).values(status="REJECTED", score=0.01)
        )
    assert await propose_for(store, new_ids) == 0
    assert await store.matcher.take_changed() == []
    again = await proposals(store)
    assert set(again) == wanted
    assert (again[rejected].status, again[rejected].score) == ("REJECTED", 0.01)


async def test_a_case_changed_after_the_baseline_is_read_once_and_a_late_commit_is_still_seen(store: Services) -> None:
    assert store.matcher is not None
    records = synthetic(50, seed=11)
    await write_cases(store, records[:40], prefix="a", batch=20)  # two batches of twenty share a stamp each
    index = await store.matcher.index()
    held = len(index.records)
    for _ in range(3):
        assert await store.matcher.take_changed() == []
    assert len((await store.matcher.index(force=True)).records) == held  # nothing re-read, nothing re-added

    # A transaction stamped 10 s ago that committed only now (after the hub read newer cases): the re-check finds it.
    late = await write_cases(store, records[40:], prefix="late", at=datetime.now(UTC) - timedelta(seconds=10))
    newer = await write_cases(store, records[:1], prefix="newer")
    assert set(await store.matcher.take_changed()) == {*late, *newer}
    assert await store.matcher.take_changed() == []
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MatchProposalRow)) == 0
