"""JSON nested past the parser's depth ("[[[[...", a few kilobytes), from anyone, over real HTTP and the alerts
socket: json.loads raises RecursionError, which no door caught (only ValueError), so a JSON body, a GET's
``variables``, a multipart ``operations`` part and a crafted cursor were each a 500 or a dropped connection, and such
a websocket frame left the socket open and unserved. Each is now the malformed-JSON answer its door already gives."""

from __future__ import annotations

import asyncio
import base64

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.live_server import serving
from trackchild_hub.app import create_app
from trackchild_hub.resolvers.context import Services

NESTED = "[" * 100_000  # 100 kB: under every body limit, far past the interpreter's recursion limit


async def test_deeply_nested_json_is_malformed_input_everywhere(store: Services) -> None:
    cursor = base64.urlsafe_b64encode(b"[" * 7000).decode().rstrip("=")
    notices = "query($a: String) { publicNotices(after: $a) { edges { cursor } } }"
    with serving(create_app(store.settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            body = await client.post("/graphql", content=NESTED, headers={"Content-Type": "application/json"})
            assert (body.status_code, body.json()["errors"][0]["message"]) == (400, "body is not valid JSON")
            variables = await client.get("/graphql", params={"query": "{ me { subject } }", "variables": NESTED[:5000]})
            assert (variables.status_code, variables.json()["errors"][0]["message"]) == (
                400,
                "variables is not valid JSON",
            )
            multipart = await client.post(
                "/graphql",
                data={"operations": NESTED, "map": "{}"},
                files={"0": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")},
                headers={"Apollo-Require-Preflight": "true"},
            )
            assert (multipart.status_code, multipart.json()["errors"][0]["message"]) == (
                400,
                "'operations' is not valid JSON",
            )
            paged = (await client.post("/graphql", json={"query": notices, "variables": {"a": cursor}})).json()
            assert (paged["errors"][0]["extensions"]["code"], paged["errors"][0]["extensions"]["field"]) == (
                "BAD_USER_INPUT",
                "after",
            )
            async with connect(
                base.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"]
            ) as ws:
                await ws.send(NESTED)
                try:
                    await asyncio.wait_for(ws.recv(), 5)
                    code = None
                except ConnectionClosed as closed:
                    code = closed.rcvd.code if closed.rcvd else None
            assert code == 4400
            assert (await client.get("/healthz")).status_code == 200
