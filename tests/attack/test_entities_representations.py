"""``_entities`` representations an outsider writes, over real HTTP: strawberry indexes ``__typename`` unchecked and
passes the other keys to ``resolve_reference`` as arguments, so a representation without a type name, with an
unknown one, a non-object, one without its ``id`` or with an extra key was INTERNAL_SERVER_ERROR. Each is
BAD_USER_INPUT naming the representation; a well-formed one for a missing id is still NOT_FOUND."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
MALFORMED: list[Any] = [
    {"id": "x"},
    "x",
    5,
    {"__typename": "Nope", "id": "x"},
    {"__typename": "Query", "id": "x"},
    {"__typename": 5, "id": "x"},
    {"__typename": "MissingCase"},
    {"__typename": "MissingCase", "id": "x", "extra": 1},
    {"__typename": "Child", "id": "x", "info": 1},
]


@pytest.fixture
def live_hub(store: Services) -> Any:
    with serving(create_app(store.settings)) as url:
        yield url


async def test_a_malformed_representation_is_bad_input_naming_it(store: Services, live_hub: str) -> None:
    issuer = dev_issuer(store.settings)
    headers = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:

        async def codes(representations: list[Any]) -> list[tuple[str, str | None]]:
            body = {"query": ENTITIES, "variables": {"r": representations}}
            answer = (await client.post("/graphql", json=body, headers=headers)).json()
            return [(e["extensions"]["code"], e["extensions"].get("field")) for e in answer["errors"]]

        for representation in MALFORMED:
            assert await codes([{"__typename": "Child", "id": "y"}, representation]) == [
                ("BAD_USER_INPUT", "representations.1")
            ], representation
        assert await codes([{"__typename": "MissingCase", "id": "x"}]) == [("NOT_FOUND", None)]  # the control
