"""The alerts websocket against an outsider, over a real socket: an expired or tampered token in connection_init,
garbage frames (one nested past the JSON parser's depth left the socket open and unserved), 64 consoles at once
with 10 subscriptions each and 64 more that never send connection_init. The hub refuses each as the protocol says
(4401, 4400), keeps answering /healthz and GraphQL over HTTP meanwhile, and its memory stays bounded. (Another
district's console hears nothing: tests/http/test_live_alerts.py.)"""

from __future__ import annotations

import asyncio
import json
import resource
import time

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.factories import HOWRAH, WB
from tests.http.live_console import ALERTS
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services

PROTOCOL = "graphql-transport-ws"


async def _closed_with(socket: ClientConnection) -> int | None:
    try:
        await asyncio.wait_for(socket.recv(), 5)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    return None


async def test_bad_tokens_and_garbage_frames_are_refused_as_the_protocol_says(store: Services) -> None:
    issuer = dev_issuer(store.settings)
    good = issuer.issue(issuer.clients["demo-police"], state=WB, district=HOWRAH)
    expired = issuer.issue(issuer.clients["demo-police"], state=WB, district=HOWRAH, ttl_seconds=-60)
    with serving(create_app(store.settings)) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        for payload, code in (
            ({"Authorization": f"Bearer {expired}"}, 4401),
            ({"Authorization": f"Bearer {good[:-6]}AAAAAA"}, 4401),
            ({"Authorization": 5}, 4401),
            ({"Authorization": "Bearer " + "x" * 100_000}, 4401),
        ):
            async with connect(url, subprotocols=[PROTOCOL], max_size=None) as socket:
                await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
                assert await _closed_with(socket) == code, str(payload)[:60]
        for frame in (b"\x00\xff" * 10, "not json", json.dumps({"type": "subscribe"}), "[" * 100_000):
            async with connect(url, subprotocols=[PROTOCOL], max_size=None) as socket:
                await socket.send(frame)
                assert await _closed_with(socket) in (4400, 4401), str(frame)[:40]
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            assert (await client.get("/healthz")).status_code == 200


@pytest.mark.parametrize("sockets", [64])
async def test_a_flood_of_consoles_leaves_the_hub_answering(store: Services, sockets: int) -> None:
    issuer = dev_issuer(store.settings)
    token = issuer.issue(issuer.clients["demo-police"], state=WB, district=HOWRAH)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB; the server runs in this process
    with serving(create_app(store.settings)) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        subscribed, idle = [], []
        try:
            for _ in range(sockets):
                socket = await connect(url, subprotocols=[PROTOCOL])
                subscribed.append(socket)
                await socket.send(
                    json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
                )
                assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "connection_ack"
                for n in range(10):
                    await socket.send(json.dumps({"id": str(n), "type": "subscribe", "payload": {"query": ALERTS}}))
            idle = [await connect(url, subprotocols=[PROTOCOL]) for _ in range(sockets)]  # never send init
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                started = time.monotonic()
                assert (await client.get("/healthz")).status_code == 200
                answer = await client.post(
                    "/graphql", json={"query": "{ me { subject } }"}, headers={"Authorization": f"Bearer {token}"}
                )
                assert answer.json()["data"]["me"]["subject"] == "demo-police"
                assert time.monotonic() - started < 5  # generous: answering, not timed
        finally:
            for socket in subscribed + idle:
                await socket.close()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mb < 150, grown_mb
