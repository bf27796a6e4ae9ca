"""GraphQL over HTTP through the ASGI app, in process, on both databases."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.factories import POLICE, case_count, data, hub_client, missing_input, run, seed_catalogue
from trackchild_hub.app import dev_issuer
from trackchild_hub.resolvers.context import Services

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

CASE_REFERENCES = "{ cases(first: 5) { edges { node { reference } } } }"
STATES = "{ states { code } }"
SYNTAX_ERROR = "{ states { code "
UNKNOWN_FIELD = "{ states { noSuchField } }"
CASE_NOPE = '{ case(id: "nope") { id } }'
CASE_BY_REFERENCE = "query($r: String!) { case(reference: $r) { reference } }"
CHILD_NAME = "query($r: String!) { case(reference: $r) { reference child { name } } }"
REPORT_MISSING = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id reference } }"
REFERENCE = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}$")


@pytest.fixture
async def client(store: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with hub_client(store.settings) as client:
        yield client


async def report_case(store: Services) -> str:
    await seed_catalogue(store)
    created = data(await run(store, REPORT_MISSING, {"input": missing_input()}, principal=POLICE))
    reference: str = created["reportMissing"]["reference"]
    return reference


def bearer(store: Services, client_id: str = "demo-police") -> dict[str, str]:
    """A real token of the embedded dev issuer (the one create_app wires for these settings)."""
    issuer = dev_issuer(store.settings)
    return {"Authorization": f"Bearer {issuer.issue(issuer.clients[client_id])}"}


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body["errors"]]


async def test_post_json_answers_data(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": STATES})
    assert response.status_code == 200
    assert media_type(response) == JSON
    body = response.json()
    assert "errors" not in body
    assert {"code": "19"} in body["data"]["states"]


async def test_get_query_answers_data(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": STATES})
    assert response.status_code == 200
    assert {"code": "10"} in response.json()["data"]["states"]


async def test_get_mutation_is_405_and_writes_nothing(store: Services, client: httpx.AsyncClient) -> None:
    await seed_catalogue(store)
    params = {"query": REPORT_MISSING, "variables": json.dumps({"input": missing_input()})}
    response = await client.get("/graphql", params=params)
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]
    assert "data" not in response.json()
    assert codes(response.json()) == ["METHOD_NOT_ALLOWED"]
    assert response.json()["errors"][0]["message"] == "mutations need POST"
    assert await case_count(store) == 0


async def test_other_methods_are_405(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": STATES})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_graphql_response_media_type_is_honoured(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": STATES}, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    assert response.json()["data"]["states"]


@pytest.mark.parametrize(
    ("query", "code"),
    [(SYNTAX_ERROR, "GRAPHQL_PARSE_FAILED"), (UNKNOWN_FIELD, "GRAPHQL_VALIDATION_FAILED")],
)
async def test_request_errors_under_graphql_response_are_400_without_data(
    client: httpx.AsyncClient, query: str, code: str
) -> None:
    response = await client.post("/graphql", json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body
    assert codes(body) == [code]


@pytest.mark.parametrize("query", [SYNTAX_ERROR, UNKNOWN_FIELD])
async def test_request_errors_under_legacy_json_are_200_without_data(client: httpx.AsyncClient, query: str) -> None:
    response = await client.post("/graphql", json={"query": query}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert media_type(response) == JSON
    body = response.json()
    assert "data" not in body
    assert body["errors"]


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": STATES}, headers={"Accept": "text/plain"})
    assert response.status_code == 406
    assert codes(response.json()) == ["NOT_ACCEPTABLE"]


async def test_post_with_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=json.dumps({"query": STATES}), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert "data" not in response.json()


async def test_invalid_json_body_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b'{"query": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize("body", [{"query": STATES, "variables": [1, 2]}, {"query": ""}, ["not", "object"]])
async def test_malformed_parameters_are_400(client: httpx.AsyncClient, body: Any) -> None:
    response = await client.post("/graphql", json=body)
    assert response.status_code == 400
    assert "data" not in response.json()


async def test_get_with_invalid_variables_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": CASE_BY_REFERENCE, "variables": "{nope"})
    assert response.status_code == 400


async def test_get_with_variables(store: Services, client: httpx.AsyncClient) -> None:
    reference = await report_case(store)
    params = {"query": CASE_BY_REFERENCE, "variables": json.dumps({"r": reference})}
    response = await client.get("/graphql", params=params, headers=bearer(store))
    assert response.status_code == 200
    assert response.json() == {"data": {"case": {"reference": reference}}}


async def test_field_error_keeps_data_and_is_200(store: Services, client: httpx.AsyncClient) -> None:
    headers = {"Accept": GRAPHQL_RESPONSE, **bearer(store)}
    response = await client.post("/graphql", json={"query": CASE_NOPE}, headers=headers)
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    body = response.json()
    assert body["data"] == {"case": None}
    assert codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["case"]


async def test_bearer_token_without_issuer_is_401(store: Services, client: httpx.AsyncClient) -> None:
    await seed_catalogue(store)
    response = await client.post(
        "/graphql",
        json={"query": REPORT_MISSING, "variables": {"input": missing_input()}},
        headers={"Authorization": "Bearer xyz"},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert codes(response.json()) == ["UNAUTHENTICATED"]
    assert await case_count(store) == 0


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


async def test_readyz(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True}


async def test_graphiql_page_for_a_browser(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    assert "graphiql" in response.text.lower()


async def test_public_caller_gets_no_case(store: Services, client: httpx.AsyncClient) -> None:
    reference = await report_case(store)
    response = await client.post("/graphql", json={"query": CHILD_NAME, "variables": {"r": reference}})
    assert response.status_code == 200
    assert response.json()["data"] == {"case": None}
    assert codes(response.json()) == ["FORBIDDEN"]
    assert "Rahul" not in response.text


async def test_caller_without_identity_scope_gets_no_child_name(store: Services, client: httpx.AsyncClient) -> None:
    reference = await report_case(store)
    response = await client.post(
        "/graphql", json={"query": CHILD_NAME, "variables": {"r": reference}}, headers=bearer(store, "demo-ngo")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"case": {"reference": reference, "child": {"name": None}}}
    assert codes(body) == ["UNAUTHORIZED_FIELD_OR_TYPE"]
    assert body["errors"][0]["path"] == ["case", "child", "name"]
    assert "Rahul" not in response.text


async def test_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": STATES}, headers={"X-Request-Id": "req-42"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-42"


async def test_request_id_is_made_up_when_missing(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": STATES})
    assert response.headers["x-request-id"]


async def test_done_when_query_answers_references(store: Services, client: httpx.AsyncClient) -> None:
    reference = await report_case(store)
    response = await client.post("/graphql", json={"query": CASE_REFERENCES}, headers=bearer(store))
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    references = [edge["node"]["reference"] for edge in body["data"]["cases"]["edges"]]
    assert references == [reference]
    assert all(REFERENCE.match(r) for r in references)


async def test_metrics_count_requests_by_route_not_path(client: httpx.AsyncClient) -> None:
    await client.post("/graphql", json={"query": STATES})
    await client.get("/healthz")
    await client.get("/no/such/path/with-an-id-42")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'hub_http_requests_total{method="POST",route="/graphql",status="200"} 1.0' in text
    assert 'hub_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'route="other",status="404"' in text
    assert "with-an-id-42" not in text
    assert 'hub_http_request_seconds_count{route="/graphql"} 1.0' in text
