"""The REST adapter against real simulator servers on loopback: paging, dialect mapping, faults, breaker, auth."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.connectors.feeds import walk_changes
from tests.live_server import serving
from trackchild_hub.connectors.config import ApiKeyAuth, ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.mapping import RecordMapping
from trackchild_hub.connectors.port import SearchCriteria
from trackchild_hub.connectors.resilience import BreakerState
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.errors import UpstreamTimeout, UpstreamUnavailable
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.sandbox.simulator import LEGACY_MAPPING, Faults, create_simulator


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def simulator(**options: Any) -> Iterator[str]:
    with serving(create_simulator("police", "19", records=120, **options)) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def connector(url: str, http: httpx.AsyncClient, **changes: Any) -> RestConnector:
    settings: dict[str, Any] = {"timeout_ms": 1000, "retries": 1, **changes}
    config = ConnectorConfig(
        id="police-19", kind=ConnectorKind.POLICE, state="19", type=ConnectorType.REST, base_url=url, **settings
    )
    return RestConnector(config, http, load_geography())


async def _walk(c: RestConnector) -> tuple[list[str], int]:
    records, dropped = await walk_changes(c, limit=50)
    return [case.external_id or "" for case in records], dropped


async def test_changes_walk_every_record_once(http: httpx.AsyncClient) -> None:
    with simulator() as url:
        total = (await http.get(f"{url}/v1/health")).json()["records"]
        ids, dropped = await _walk(connector(url, http))
    assert dropped == 0
    assert len(ids) == total
    assert len(set(ids)) == total
    assert all(i.startswith("WB-POL-") for i in ids)


async def test_the_legacy_dialect_maps_onto_the_same_records(http: httpx.AsyncClient) -> None:
    with simulator() as standard_url, simulator(dialect="legacy") as legacy_url:
        standard, _ = await _walk(connector(standard_url, http))
        mapping = RecordMapping.from_config(LEGACY_MAPPING, "connector police-19")
        legacy_connector = connector(legacy_url, http, mapping=mapping)
        legacy, dropped = await _walk(legacy_connector)
        one = await legacy_connector.get(standard[0])
        same = await connector(standard_url, http).get(standard[0])
    assert dropped == 0
    assert legacy == standard
    assert one is not None
    assert same is not None
    assert (one.child.name, one.event_date, one.place.district) == (
        same.child.name,
        same.event_date,
        same.place.district,
    )


async def test_malformed_records_are_dropped_and_counted(http: httpx.AsyncClient) -> None:
    with simulator(faults=Faults(malformed_rate=0.25)) as url:
        total = (await http.get(f"{url}/v1/health")).json()["records"]
        c = connector(url, http)
        ids, dropped = await _walk(c)
    assert dropped > 0
    assert len(ids) + dropped == total
    assert c.malformed == dropped


async def test_get_and_search(http: httpx.AsyncClient) -> None:
    with simulator() as url:
        c = connector(url, http)
        ids, _ = await _walk(c)
        case = await c.get(ids[0])
        assert case is not None
        assert await c.get("WB-POL-999999") is None
        name = (case.child.name or "").split()[0]
        found = await c.search(SearchCriteria(name=name))
    assert case.external_id in {f.external_id for f in found.items}


async def test_a_slow_state_costs_at_most_the_deadline(http: httpx.AsyncClient) -> None:
    # Ignoring the 0.5 s deadline would cost a whole 5 s per-call timeout at least; 3 s is the margin of a loaded
    # machine, not a measurement.
    with simulator(faults=Faults(latency_ms=20_000)) as url:
        c = connector(url, http, timeout_ms=5000)
        started = time.monotonic()
        with pytest.raises(UpstreamTimeout, match=r"no answer within 0\.[0-5]"):
            await c.changes_since(None, deadline=time.monotonic() + 0.5)
        assert time.monotonic() - started < 3.0


async def test_a_dead_state_opens_the_breaker_which_closes_after_recovery(http: httpx.AsyncClient) -> None:
    with simulator(faults=Faults(error_rate=1.0)) as url:
        c = connector(url, http, retries=0)
        clock = FrozenClock()
        c.resilience.breaker.clock = clock  # the pause is moved past, not slept through
        for _ in range(c.resilience.breaker.failure_threshold):
            with pytest.raises(UpstreamUnavailable, match="503"):
                await c.changes_since(None)
        assert c.resilience.breaker.state is BreakerState.OPEN
        with pytest.raises(UpstreamUnavailable, match="circuit open"):
            await c.changes_since(None)
        await http.post(f"{url}/_sim/faults", json={"error_rate": 0.0})
        clock.now += c.resilience.breaker.open_seconds - 0.1
        with pytest.raises(UpstreamUnavailable, match="circuit open"):
            await c.changes_since(None)  # still within the pause
        clock.now += 0.1
        page = await c.changes_since(None)
    assert page.items
    assert c.resilience.breaker.state is BreakerState.CLOSED


async def test_api_key_auth(http: httpx.AsyncClient) -> None:
    with simulator(api_key="k-19") as url:
        good = connector(url, http, auth=ApiKeyAuth(header="X-Api-Key", secret="k-19"))
        assert (await good.changes_since(None, limit=5)).items
        bad = connector(url, http, auth=ApiKeyAuth(header="X-Api-Key", secret="wrong"))
        with pytest.raises(UpstreamUnavailable, match="refused"):
            await bad.changes_since(None)
        assert (await bad.health()).ok is False
