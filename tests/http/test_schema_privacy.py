"""Production shows its schema to agencies only: anonymous callers get no introspection and no "Did you mean …".

Over HTTP, with tokens from a real external OpenID provider (production needs one).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from tests.factories import hub_client
from tests.oidc.harness import OidcProvider
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.extensions.schema_privacy import without_suggestions
from trackchild_hub.settings import Environment

SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Child") { fields { name } } }'
NESTED = "{ states { code __type: name } me { __schema: subject } }"  # aliases named like introspection: allowed
SDL = "{ _service { sdl } }"
TYPENAME = "{ __typename }"
TYPO = "{ state { code } }"  # graphql-core would suggest `states`
ENUM_TYPO = "query($k: [CaseKind!]) { cases(filter: {kinds: $k}) { edges { node { id } } } }"


@pytest.fixture
async def production(store: Services, oidc_provider: OidcProvider) -> AsyncIterator[httpx.AsyncClient]:
    settings = replace(
        store.settings,
        env=Environment.PRODUCTION,
        oidc_issuer=oidc_provider.issuer,
        audience=oidc_provider.audience,
        audit_keys=(("privacy-test", b"k" * 32),),
    )
    async with hub_client(settings) as client:
        yield client


async def post(client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


def messages(body: dict[str, Any]) -> list[str]:
    return [e["message"] for e in body.get("errors", [])]


async def test_anonymous_callers_cannot_introspect_in_production(production: httpx.AsyncClient) -> None:
    for query, field in ((SCHEMA, "__schema"), (TYPE, "__type"), (SDL, "_service")):
        body = await post(production, query)
        assert "data" not in body or body["data"] is None, body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
        assert body["errors"][0]["message"].startswith(f"introspection ({field}) is disabled for anonymous callers")
    assert await post(production, TYPENAME) == {"data": {"__typename": "Query"}}


async def test_anonymous_callers_get_no_suggestions_in_production(production: httpx.AsyncClient) -> None:
    body = await post(production, TYPO)
    assert messages(body) == ["Cannot query field 'state' on type 'Query'."]
    body = await post(production, ENUM_TYPO, k=["MISING"])
    assert len(messages(body)) == 1, body
    assert "MISING" in messages(body)[0]
    assert "Did you mean" not in str(body)


async def test_agency_tokens_still_introspect_and_get_suggestions(
    production: httpx.AsyncClient, oidc_provider: OidcProvider
) -> None:
    token = await asyncio.to_thread(oidc_provider.token, "ext-police")
    assert (await post(production, SCHEMA, token))["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert "sdl" in (await post(production, SDL, token))["data"]["_service"]
    assert messages(await post(production, TYPO, token)) == [
        "Cannot query field 'state' on type 'Query'. Did you mean 'states', 'stats', or 'case'?"
    ]
    assert "Did you mean the enum value 'MISSING'?" in str(await post(production, ENUM_TYPO, token, k=["MISING"]))


async def test_development_keeps_both_for_everyone(store: Services) -> None:
    async with hub_client(store.settings) as client:
        assert (await post(client, SCHEMA))["data"] == {"__schema": {"queryType": {"name": "Query"}}}
        assert "Did you mean 'states', 'stats', or 'case'?" in messages(await post(client, TYPO))[0]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Cannot query field 'nam' on type 'Child'. Did you mean 'name'?", "Cannot query field 'nam' on type 'Child'."),
        (
            "Unknown argument 'frist' on field 'Query.cases'. Did you mean 'first'?",
            "Unknown argument 'frist' on field 'Query.cases'.",
        ),
        ("Unknown type 'Chld'. Did you mean 'Child', 'Case', or 'CareCase'?", "Unknown type 'Chld'."),
        (
            "Variable '$k' got invalid value 'X' at 'k[0]'; Value 'X' does not exist in 'CaseKind' enum."
            " Did you mean the enum value 'FOUND'?",
            "Variable '$k' got invalid value 'X' at 'k[0]'; Value 'X' does not exist in 'CaseKind' enum.",
        ),
        ("no such case", "no such case"),
    ],
)
def test_suggestions_are_cut_from_every_kind_of_message(message: str, expected: str) -> None:
    assert without_suggestions(message) == expected
