"""``bulk_references``: one counter statement per batch hands out the references ``case_writer``'s per-group
statements do, on both databases, from empty and from existing counters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import text

from tests.factories import exchange_record
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.records import CaseData
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.bulk_references import reference_numbers_in_bulk
from trackchild_hub.store.case_writer import reference_numbers


def _cases(services: Services, count: int) -> list[CaseData]:
    """Cases spread over several states and over a year boundary in IST (31 Dec 18:30 UTC is 1 Jan IST)."""
    states = [s.code for s in services.geography.states[:7]]
    times = [
        datetime(2025, 12, 31, 18, 29, tzinfo=UTC),  # 2025 in IST
        datetime(2025, 12, 31, 18, 30, tzinfo=UTC),  # 2026 in IST
        datetime(2026, 6, 1, tzinfo=UTC),
    ]
    base = parse_exchange_record(exchange_record(0))
    return [
        replace(
            base,
            place=replace(base.place, state=states[(n * 5) % len(states)], district=None, police_station=None),
            reported_at=times[n % len(times)],
        )
        for n in range(count)
    ]


async def _counters(services: Services) -> list[tuple[str, int, int]]:
    async with services.engine.connect() as conn:
        rows = await conn.execute(text("SELECT state_code, year, last FROM reference_counters ORDER BY 1, 2"))
        return [(r[0], r[1], r[2]) for r in rows]


async def _both(services: Services, cases: list[CaseData]) -> tuple[list[str], list[str], list[tuple[str, int, int]]]:
    """Per-group statements (rolled back), then the bulk statement (committed), from the same counters."""
    async with services.sessions() as session, session.begin():
        expected = await reference_numbers(session, cases, services.geography)
        await session.rollback()
    async with services.sessions() as session, session.begin():
        got = await reference_numbers_in_bulk(session, cases, services.geography)
    return expected, got, await _counters(services)


async def test_the_same_references_as_one_statement_per_group(store: Services) -> None:
    cases = _cases(store, 40)
    expected, first, counters = await _both(store, cases)
    assert first == expected
    assert len(set(first)) == 40
    assert sum(last for _, _, last in counters) == 40  # every counter holds what it handed out
    assert {year for _, year, _ in counters} == {2025, 2026}

    again = _cases(store, 25)[5:]  # the counters exist now: numbering goes on from them
    expected, got, after = await _both(store, again)
    assert got == expected
    assert not set(got) & set(first)
    assert sum(last for _, _, last in after) == 60


async def test_an_empty_batch_touches_no_counter(store: Services) -> None:
    async with store.sessions() as session, session.begin():
        assert await reference_numbers_in_bulk(session, [], store.geography) == []
    assert await _counters(store) == []
