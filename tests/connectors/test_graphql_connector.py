"""The GraphQL adapter against real simulator servers on loopback: the same records as REST, faults, errors, auth."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.connectors.feeds import walk_changes
from tests.live_server import serving
from trackchild_hub.app import build_connectors
from trackchild_hub.connectors.config import (
    ApiKeyAuth,
    ClientCredentialsAuth,
    ConnectorConfig,
    ConnectorKind,
    ConnectorType,
)
from trackchild_hub.connectors.graphql import GraphQLConnector
from trackchild_hub.connectors.graphql_templates import GraphQLTemplates
from trackchild_hub.connectors.mapping import RecordMapping
from trackchild_hub.connectors.port import SearchCriteria
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.enums import Gender
from trackchild_hub.domain.errors import BadUserInput, UpstreamTimeout, UpstreamUnavailable
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.records import CaseData
from trackchild_hub.sandbox.simulator import GRAPHQL_TEMPLATES, LEGACY_MAPPING, Faults, create_simulator
from trackchild_hub.settings import Settings


@contextmanager
def simulator(**options: Any) -> Iterator[str]:
    with serving(create_simulator("police", "19", records=120, **options)) as url:
        yield url


class Connectors:
    """Builds REST and GraphQL connectors; closes them when the test ends."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http, self.geography = http, load_geography()
        self.built: list[GraphQLConnector | RestConnector] = []

    def graphql(self, url: str, templates: dict[str, str] = GRAPHQL_TEMPLATES, **changes: Any) -> GraphQLConnector:
        graphql = GraphQLTemplates.from_config(templates, "connector police-19")
        config = self._config(url, ConnectorType.GRAPHQL, graphql=graphql, **changes)
        connector = GraphQLConnector(config, self.http, self.geography)
        self.built.append(connector)
        return connector

    def rest(self, url: str, **changes: Any) -> RestConnector:
        config = self._config(url, ConnectorType.REST, **changes)
        connector = RestConnector(config, self.http, self.geography)
        self.built.append(connector)
        return connector

    def _config(self, url: str, kind: ConnectorType, **changes: Any) -> ConnectorConfig:
        settings: dict[str, Any] = {"timeout_ms": 1000, "retries": 1, **changes}
        return ConnectorConfig(
            id="police-19", kind=ConnectorKind.POLICE, state="19", type=kind, base_url=url, **settings
        )


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
async def connectors(http: httpx.AsyncClient) -> AsyncIterator[Connectors]:
    factory = Connectors(http)
    yield factory
    for built in factory.built:
        await built.aclose()


async def walk(c: GraphQLConnector | RestConnector) -> tuple[list[CaseData], int]:
    return await walk_changes(c, limit=40)


async def test_walking_the_changes_over_graphql_gives_the_rest_records(connectors: Connectors) -> None:
    with simulator() as url:
        over_graphql, dropped = await walk(connectors.graphql(url))
        over_rest, _ = await walk(connectors.rest(url))
    assert dropped == 0
    assert len(over_graphql) > 40  # more than one page
    assert [r.external_id for r in over_graphql] == [r.external_id for r in over_rest]
    assert over_graphql == over_rest
    assert {r.source for r in over_graphql} == {"police-19"}


async def test_the_legacy_dialect_over_graphql_maps_onto_the_same_records(connectors: Connectors) -> None:
    mapping = RecordMapping.from_config(LEGACY_MAPPING, "connector police-19")
    with simulator() as standard_url, simulator(dialect="legacy") as legacy_url:
        legacy, dropped = await walk(connectors.graphql(legacy_url, mapping=mapping))
        standard, _ = await walk(connectors.rest(standard_url))
    assert dropped == 0
    assert [r.external_id for r in legacy] == [r.external_id for r in standard]
    assert [(r.child.name, r.event_date, r.place.district) for r in legacy] == [
        (r.child.name, r.event_date, r.place.district) for r in standard
    ]


async def test_get_search_and_health(connectors: Connectors) -> None:
    with simulator() as url:
        c = connectors.graphql(url)
        first = (await c.changes_since(None, limit=1)).items[0]
        case = await c.get(first.external_id or "")
        missing = await c.get("WB-POL-999999")
        name = (first.child.name or "").split()[0]
        found = await c.search(SearchCriteria(name=name, gender=first.child.gender))
        rest_found = await connectors.rest(url).search(SearchCriteria(name=name, gender=first.child.gender))
        health = await c.health()
    assert case == first
    assert missing is None
    assert first.external_id in {f.external_id for f in found.items}
    assert found.items == rest_found.items
    assert health.ok is True
    assert health.breaker == "CLOSED"


async def test_malformed_records_are_dropped_and_counted(connectors: Connectors, http: httpx.AsyncClient) -> None:
    with simulator(faults=Faults(malformed_rate=0.25)) as url:
        total = (await http.get(f"{url}/v1/health")).json()["records"]
        c = connectors.graphql(url)
        records, dropped = await walk(c)
    assert dropped > 0
    assert len(records) + dropped == total
    assert c.malformed == dropped


async def test_graphql_errors_in_a_200_answer_are_upstream_unavailable(connectors: Connectors) -> None:
    broken = {**GRAPHQL_TEMPLATES, "health": "query Health { health { status uptime } }"}
    with simulator() as url:
        c = connectors.graphql(url, retries=0)
        with pytest.raises(
            UpstreamUnavailable,
            match=r"police-19: its GraphQL answer has errors: cursor .* is not one this system issued",
        ):
            await c.changes_since("not-a-cursor")
        health = await connectors.graphql(url, broken, retries=0).health()
    assert health.ok is False
    assert health.detail is not None
    assert "Cannot query field 'uptime'" in health.detail


async def test_a_dead_state_is_upstream_unavailable(connectors: Connectors) -> None:
    with simulator(faults=Faults(error_rate=1.0)) as url:
        c = connectors.graphql(url, retries=0)
        with pytest.raises(UpstreamUnavailable, match="police-19: it answered 503"):
            await c.search(SearchCriteria(name="a"))


async def test_a_slow_state_costs_at_most_the_timeout(connectors: Connectors) -> None:
    with simulator(faults=Faults(latency_ms=3000)) as url:
        c = connectors.graphql(url, timeout_ms=300, retries=0)
        started = time.monotonic()
        with pytest.raises(UpstreamTimeout, match="police-19"):
            await c.changes_since(None)
        assert time.monotonic() - started < 2.0


async def test_api_key_auth(connectors: Connectors) -> None:
    with simulator(api_key="k-19") as url:
        good = connectors.graphql(url, auth=ApiKeyAuth(header="X-Api-Key", secret="k-19"))
        assert (await good.changes_since(None, limit=5)).items
        bad = connectors.graphql(url, auth=ApiKeyAuth(header="X-Api-Key", secret="wrong"))
        with pytest.raises(UpstreamUnavailable, match=r"refused the hub's credentials \(401\)"):
            await bad.changes_since(None)


async def test_client_credentials_auth(connectors: Connectors, http: httpx.AsyncClient) -> None:
    with simulator(token_url_secret=("hub", "s3cret")) as url:
        auth = ClientCredentialsAuth(token_url=f"{url}/oauth/token", client_id="hub", secret="s3cret")
        c = connectors.graphql(url, auth=auth)
        page = await c.changes_since(None, limit=5)
        assert await c.get(page.items[0].external_id or "") is not None
        assert (await c.search(SearchCriteria(gender=Gender.FEMALE))).items
        assert (await c.health()).ok is True
        stats = (await http.get(f"{url}/_sim/stats")).json()
        wrong = ClientCredentialsAuth(token_url=f"{url}/oauth/token", client_id="hub", secret="wrong")
        with pytest.raises(UpstreamUnavailable, match="police-19: its token endpoint refused"):
            await connectors.graphql(url, auth=wrong).changes_since(None)
    assert stats["tokens_issued"] == 1
    assert stats["unauthorized"] == 0


def test_a_graphql_connector_needs_its_templates() -> None:
    config = ConnectorConfig(
        id="police-19", kind=ConnectorKind.POLICE, state="19", type=ConnectorType.GRAPHQL, base_url="http://x"
    )
    with pytest.raises(BadUserInput) as caught:
        GraphQLConnector(config, httpx.AsyncClient(), load_geography())
    assert caught.value.field == "connector police-19.graphql"


async def test_the_composition_root_builds_each_type_from_the_connectors_file(
    tmp_path: Path, http: httpx.AsyncClient
) -> None:
    templates = "\n".join(f"{key} = {json.dumps(value)}" for key, value in GRAPHQL_TEMPLATES.items())
    with simulator(token_url_secret=("hub", "s3cret")) as url:
        path = tmp_path / "connectors.toml"
        path.write_text(
            f"""
[[connector]]
id = "police-19"
kind = "police"
state = "19"
type = "graphql"
base_url = "{url}"
auth = {{ type = "client_credentials", token_url = "{url}/oauth/token", client_id = "hub", secret_env = "S" }}
[connector.graphql]
{templates}

[[connector]]
id = "police-19-rest"
kind = "police"
state = "19"
base_url = "{url}"
auth = {{ type = "client_credentials", token_url = "{url}/oauth/token", client_id = "hub", secret_env = "S" }}
""",
            encoding="utf-8",
        )
        built = build_connectors(Settings(connectors=path), http, {"S": "s3cret"})
        try:
            pages = [await c.changes_since(None, limit=3) for c in built]
        finally:
            for c in built:
                await c.aclose()
    assert [type(c).__name__ for c in built] == ["GraphQLConnector", "RestConnector"]
    over_graphql, over_rest = ([r.external_id for r in p.items] for p in pages)
    assert len(over_graphql) == 3
    assert over_graphql == over_rest
    assert [{r.source for r in p.items} for p in pages] == [{"police-19"}, {"police-19-rest"}]
