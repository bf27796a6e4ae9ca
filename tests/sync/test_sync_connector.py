"""``sync_connector`` against a real simulator on loopback: a full pull, then only what changed upstream."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from tests.connectors.feeds import walk_changes
from tests.live_server import serving
from tests.sync.compare import stored_shape, upstream_shape
from trackchild_hub.connectors.config import ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.records import CaseData
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.simulator import Faults, create_simulator
from trackchild_hub.store.models import SyncCursorRow
from trackchild_hub.sync.runner import sync_connector


def _simulator() -> Starlette:
    return create_simulator("police", "19", records=150, faults=Faults(malformed_rate=0.05))


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    """Shared by the module's tests, so read only: a test that changes records serves a simulator of its own."""
    with serving(_simulator()) as url:
        yield url


@asynccontextmanager
async def _connector(url: str) -> AsyncIterator[RestConnector]:
    async with httpx.AsyncClient() as http:
        config = ConnectorConfig("police-19", ConnectorKind.POLICE, "19", ConnectorType.REST, url)
        yield RestConnector(config, http, load_geography())


@pytest.fixture
async def connector(upstream: str) -> AsyncIterator[RestConnector]:
    async with _connector(upstream) as connector:
        yield connector


async def _upstream(connector: RestConnector) -> tuple[list[CaseData], int]:
    return await walk_changes(connector, limit=500)


async def test_a_full_pull_equals_the_upstream_and_a_second_pull_changes_nothing(
    store: Services, connector: RestConnector
) -> None:
    report = await sync_connector(store.sessions, store.geography, connector, batch=20)
    upstream, dropped = await _upstream(connector)
    assert report.dropped == dropped > 0  # the malformed ones are counted, not stored
    assert report.created == len(upstream)
    # each dropped record is named (by external id and field, never values), so it can be chased upstream
    assert len(report.rejected) == report.dropped
    assert all(r.endswith("malformed upstream") for r in report.rejected)
    named = {r.split(":")[0] for r in report.rejected}
    assert named <= {f"WB-POL-{n:06d}" for n in range(1000)} | {"(no id)"}
    async with store.sessions() as session:
        assert await stored_shape(session, "police-19") == upstream_shape(upstream)
        cursor = await session.get(SyncCursorRow, "police-19")
        assert cursor is not None
        assert cursor.records >= report.created - 20

    again = await sync_connector(store.sessions, store.geography, connector, batch=20)
    assert (again.created, again.updated) == (0, 0)
    assert again.received <= 20  # resumed at the persisted cursor: only the feed's last page is read again


async def test_an_upstream_change_is_pulled_as_an_update(store: Services) -> None:
    with serving(_simulator()) as upstream:  # its own: the change below must not reach the module's other tests
        async with _connector(upstream) as connector:
            await _pull_a_change(store, connector, upstream)


async def _pull_a_change(store: Services, connector: RestConnector, upstream: str) -> None:
    await sync_connector(store.sessions, store.geography, connector, batch=50)
    async with httpx.AsyncClient(base_url=upstream) as sim:
        first = (await sim.get("/v1/cases", params={"limit": 1})).json()["items"][0]
        stored = (await sim.get(f"/_sim/records/{first['external_id']}")).json()
        stored["status"] = "RESOLVED"
        assert (await sim.post("/_sim/records", json=stored)).status_code == 200
    report = await sync_connector(store.sessions, store.geography, connector, batch=50)
    assert (report.created, report.updated) == (0, 1)
    upstream_cases, _ = await _upstream(connector)
    async with store.sessions() as session:
        assert await stored_shape(session, "police-19") == upstream_shape(upstream_cases)
        cursor = await session.scalar(select(SyncCursorRow.cursor).where(SyncCursorRow.connector_id == "police-19"))
        assert cursor is not None
