"""``POST /graphql``: the same answers as ``/v1/*`` over the same store, faults and credentials."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import parse, validate

from trackchild_hub.sandbox.simulator import GRAPHQL_TEMPLATES, Faults
from trackchild_hub.sandbox.simulator.graphql import SCHEMA

from .conftest import ClientFor, walk

CASES = "query($cursor: String, $limit: Int) { cases(cursor: $cursor, limit: $limit) { items nextCursor } }"
SEARCH = "query($name: String, $gender: Gender) { search(name: $name, gender: $gender) { items } }"
CASE = "query($id: String!) { case(externalId: $id) }"
HEALTH = "{ health { status kind state records } }"


async def ask(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def graphql_walk(client: httpx.AsyncClient, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = (await ask(client, CASES, cursor=cursor, limit=limit))["data"]["cases"]
        items += page["items"]
        cursor = page["nextCursor"]
        if cursor is None:
            return items


@pytest.mark.parametrize("dialect", ["standard", "legacy"])
async def test_the_change_feed_is_the_rest_one(sim: ClientFor, dialect: str) -> None:
    async with sim(records=120, dialect=dialect) as client:
        over_graphql = await graphql_walk(client, limit=17)
        over_rest = await walk(client, limit=50)
    assert len(over_graphql) > 17
    assert over_graphql == over_rest


async def test_search_takes_the_rest_limit_and_order(sim: ClientFor) -> None:
    page = "query($limit: Int, $order: String) { search(limit: $limit, order: $order) { items } }"
    async with sim(records=120) as client:
        rest = (await client.get("/v1/cases/search", params={"limit": 9, "order": "reported_at"})).json()["items"]
        found = await ask(client, page, limit=9, order="reported_at")
        default = await ask(client, page)
        refused = await ask(client, page, limit=9, order="updated_at")
    assert len(rest) == 9
    assert found["data"]["search"]["items"] == rest
    assert len(default["data"]["search"]["items"]) == 50
    assert refused["errors"][0]["message"] == "order must be one of reported_at"


async def test_search_case_and_health_are_the_rest_ones(sim: ClientFor) -> None:
    async with sim(records=120) as client:
        first = (await client.get("/v1/cases", params={"limit": 1})).json()["items"][0]
        name = first["child"]["name"].split()[0]
        rest_search = (await client.get("/v1/cases/search", params={"name": name, "gender": "MALE"})).json()
        found = await ask(client, SEARCH, name=name, gender="MALE")
        one = await ask(client, CASE, id=first["external_id"])
        none = await ask(client, CASE, id="WB-POL-999999")
        health = await ask(client, HEALTH)
        rest_health = (await client.get("/v1/health")).json()
    assert found["data"]["search"]["items"] == rest_search["items"]
    assert one["data"]["case"] == first
    assert none == {"data": {"case": None}}
    assert health["data"]["health"] == rest_health


async def test_a_failed_query_answers_200_with_errors(sim: ClientFor) -> None:
    async with sim(records=20) as client:
        bad_cursor = await ask(client, CASES, cursor="not-a-cursor")
        bad_enum = await ask(client, SEARCH, gender="ROBOT")
        unknown_field = await ask(client, "{ nothing }")
    assert "is not one this system issued" in bad_cursor["errors"][0]["message"]
    assert bad_cursor["data"] is None
    assert "ROBOT" in bad_enum["errors"][0]["message"]
    assert "nothing" in unknown_field["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "not JSON"),
        (b'{"variables": {}}', "query"),
        (b'{"query": "{ health { status } }", "variables": 1}', "variables"),
    ],
)
async def test_a_body_that_is_no_graphql_request_is_400(sim: ClientFor, body: bytes, message: str) -> None:
    async with sim(records=5) as client:
        response = await client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


async def test_faults_and_credentials_guard_graphql_as_they_guard_v1(sim: ClientFor) -> None:
    async with sim(records=5, api_key="k", faults=Faults(error_rate=1.0)) as client:
        without_key = await client.post("/graphql", json={"query": HEALTH})
        with_key = await client.post("/graphql", json={"query": HEALTH}, headers={"X-Api-Key": "k"})
        stats = (await client.get("/_sim/stats")).json()
    assert without_key.status_code == 401
    assert with_key.status_code == 503
    assert (stats["requests"], stats["unauthorized"], stats["errors_injected"]) == (2, 1, 1)


@pytest.mark.parametrize("template", ["search", "get", "changes", "health"])
def test_the_connector_templates_are_valid_against_the_schema(template: str) -> None:
    assert validate(SCHEMA, parse(GRAPHQL_TEMPLATES[template])) == []
