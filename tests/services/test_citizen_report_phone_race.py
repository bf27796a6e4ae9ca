"""The per-phone limit under concurrency: 20 submissions from one phone at once, through GraphQL, each on a session
(a pooled connection) of its own. A count read before the insert let all 20 through; the count is now taken inside
the insert's transaction, after the phone is locked (PostgreSQL: a transaction-scoped advisory lock; SQLite: the
insert holds the database's one write lock), so exactly ``PER_PHONE`` are stored and the rest are RATE_LIMITED."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from tests.factories import PUBLIC, error_codes, run, seed_catalogue
from tests.schema.test_citizen_reports import SIGHTING, SUBMIT, report_input, sighting_input
from trackchild_hub.services.citizen_reports import PER_PHONE
from trackchild_hub.services.unit import Services
from trackchild_hub.store.models import CitizenReportEventRow, CitizenReportRow

AT_ONCE = 20


async def stored(store: Services) -> tuple[int, int]:
    async with store.sessions() as session:
        reports = await session.scalar(select(func.count()).select_from(CitizenReportRow))
        events = await session.scalar(select(func.count()).select_from(CitizenReportEventRow))
    return int(reports or 0), int(events or 0)


async def test_twenty_concurrent_submissions_from_one_phone_store_exactly_five(store: Services) -> None:
    await seed_catalogue(store)
    # Reports and sightings count together: half of each, all from the one phone (written two ways).
    bodies = [
        (SUBMIT, report_input(contactPhone="98300 55555"))
        if n % 2
        else (SIGHTING, sighting_input(contactPhone="+91 9830055555"))
        for n in range(AT_ONCE)
    ]
    results = await asyncio.gather(*(run(store, query, {"input": value}, PUBLIC) for query, value in bodies))
    outcomes = ["OK" if r.errors is None else error_codes(r)[0][0] for r in results]
    assert outcomes.count("OK") == PER_PHONE, outcomes
    assert outcomes.count("RATE_LIMITED") == AT_ONCE - PER_PHONE, outcomes
    for result in results:
        if result.errors:
            assert (result.errors[0].extensions or {})["retryAfterSeconds"] > 0
    assert await stored(store) == (PER_PHONE, PER_PHONE)  # a refused one leaves nothing (its event row neither)


async def test_another_phone_is_not_held_up_by_a_busy_one(store: Services) -> None:
    await seed_catalogue(store)
    busy = [run(store, SIGHTING, {"input": sighting_input(contactPhone="98300 55555")}, PUBLIC) for _ in range(8)]
    other = [run(store, SIGHTING, {"input": sighting_input(contactPhone="98300 66666")}, PUBLIC) for _ in range(3)]
    results = await asyncio.gather(*busy, *other)
    assert sum(r.errors is None for r in results[:8]) == PER_PHONE
    assert all(r.errors is None for r in results[8:])
