"""A multipart request's ``map`` paths from an outsider, over real HTTP: a list index written "²" (a digit to
``str.isdigit``, not to ``int``) or with 5,000 digits raised out of the endpoint (a 500 with the connection
dropped); each is the 400 any path that names no null variable gets, and the hub goes on answering."""

from __future__ import annotations

import json

import httpx

from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services


async def test_a_map_path_with_an_odd_index_is_a_400(store: Services) -> None:
    issuer = dev_issuer(store.settings)
    headers = {
        "Authorization": f"Bearer {issuer.issue(issuer.clients['demo-police'])}",
        "Apollo-Require-Preflight": "true",
    }
    operations = {"query": "mutation($l: [Upload!]) { __typename }", "variables": {"l": [None]}}
    with serving(create_app(store.settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for index in ("²", "٠", "9" * 5000, "-0", "0x0"):
                answer = await client.post(
                    "/graphql",
                    data={"operations": json.dumps(operations), "map": json.dumps({"0": [f"variables.l.{index}"]})},
                    files={"0": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
                    headers=headers,
                )
                assert answer.status_code == 400, (index[:10], answer.content)
                assert "does not name a null variable" in answer.json()["errors"][0]["message"]
            assert (await client.get("/healthz")).status_code == 200
