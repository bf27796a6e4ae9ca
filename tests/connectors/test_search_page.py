"""Search asks for a page: both adapters send ``limit`` and ``order=reported_at``, and get the newest records first."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.live_server import serving
from trackchild_hub.connectors.config import ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.graphql import GraphQLConnector
from trackchild_hub.connectors.graphql_templates import GraphQLTemplates
from trackchild_hub.connectors.port import MAX_SEARCH_LIMIT, SEARCH_LIMIT, SearchCriteria
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.enums import Gender
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.sandbox.simulator import GRAPHQL_TEMPLATES, create_simulator

# A template from before the profile had a limit: it declares neither $limit nor $order.
OLD_SEARCH = (
    "query($name: String, $gender: Gender, $age: Int, $district: String, $kind: CaseKind) {"
    " page: search(name: $name, gender: $gender, age: $age, district: $district, kind: $kind) { items } }"
)


def _config(url: str, type_: ConnectorType, **changes: Any) -> ConnectorConfig:
    return ConnectorConfig("police-19", ConnectorKind.POLICE, "19", type_, url, timeout_ms=2000, **changes)


def _rest(url: str, http: httpx.AsyncClient) -> RestConnector:
    return RestConnector(_config(url, ConnectorType.REST), http, load_geography())


def _graphql(url: str, http: httpx.AsyncClient, templates: dict[str, str] = GRAPHQL_TEMPLATES) -> GraphQLConnector:
    graphql = GraphQLTemplates.from_config(templates, "connector police-19")
    return GraphQLConnector(_config(url, ConnectorType.GRAPHQL, graphql=graphql), http, load_geography())


class Recorder:
    """An upstream that answers every search with no records and keeps what it was asked."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/graphql":
            return httpx.Response(200, json={"data": {"page": {"items": []}}})
        return httpx.Response(200, json={"items": []})


@pytest.fixture
def upstream() -> Recorder:
    return Recorder()


@pytest.fixture
async def recorded(upstream: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(upstream)) as client:
        yield client


def test_criteria_default_to_the_profile_page_and_refuse_more_than_its_maximum() -> None:
    assert SearchCriteria().limit == SEARCH_LIMIT == 50
    assert SearchCriteria().as_params()["limit"] == 50
    assert SearchCriteria().as_params()["order"] == "reported_at"
    assert SearchCriteria(limit=MAX_SEARCH_LIMIT).limit == 200
    for bad in (0, MAX_SEARCH_LIMIT + 1):
        with pytest.raises(ValueError, match="limit"):
            SearchCriteria(limit=bad)


async def test_rest_sends_limit_and_order(recorded: httpx.AsyncClient, upstream: Recorder) -> None:
    await _rest("http://state.test", recorded).search(SearchCriteria(gender=Gender.FEMALE, limit=17))
    await _rest("http://state.test", recorded).search(SearchCriteria())
    params = [dict(r.url.params) for r in upstream.requests]
    assert [r.url.path for r in upstream.requests] == ["/v1/cases/search"] * 2
    assert params == [
        {"gender": "FEMALE", "limit": "17", "order": "reported_at"},
        {"limit": "50", "order": "reported_at"},
    ]


async def test_graphql_passes_limit_and_order_to_templates_that_declare_them(
    recorded: httpx.AsyncClient, upstream: Recorder
) -> None:
    await _graphql("http://state.test", recorded).search(SearchCriteria(name="Asha", limit=23))
    old = {**GRAPHQL_TEMPLATES, "search": OLD_SEARCH}
    await _graphql("http://state.test", recorded, old).search(SearchCriteria(name="Asha", limit=23))
    sent = [json.loads(r.content)["variables"] for r in upstream.requests]
    assert sent == [{"name": "Asha", "limit": 23, "order": "reported_at"}, {"name": "Asha"}]


def test_a_template_may_declare_limit_and_order_for_search_only() -> None:
    declared = GraphQLTemplates.from_config(GRAPHQL_TEMPLATES, "connector police-19").declared["search"]
    assert {"limit", "order"} <= declared


@pytest.mark.parametrize("adapter", ["rest", "graphql"])
async def test_a_search_answers_the_newest_reports_first_up_to_the_limit(adapter: str) -> None:
    app = create_simulator("police", "19", records=300)
    stored = sorted(
        app.state.simulator.store,
        key=lambda r: (datetime.fromisoformat(r["reported_at"]), r["external_id"]),
        reverse=True,
    )
    with serving(app) as url:
        async with httpx.AsyncClient() as http:
            connector = _rest(url, http) if adapter == "rest" else _graphql(url, http)
            page = await connector.search(SearchCriteria(limit=13))
            everything = await connector.search(SearchCriteria(limit=MAX_SEARCH_LIMIT))
    assert [r.external_id for r in page.items] == [r["external_id"] for r in stored[:13]]
    assert len(everything.items) == MAX_SEARCH_LIMIT < len(stored)
    assert [r.reported_at for r in everything.items] == sorted((r.reported_at for r in everything.items), reverse=True)
