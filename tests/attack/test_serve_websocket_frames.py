"""``trackchild-hub serve`` in a real process bounds a websocket message: uvicorn's default let each alerts socket
send 16 MiB frames, held and parsed whole (64 sockets at once: a gigabyte). A frame over 256 KiB closes the socket
with 1009 (message too big); a console's own messages pass, and the hub goes on answering."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.http.test_serve_port import STARTUP_SECONDS, cli, hub_env
from tests.live_server import free_port, stop, wait_until_healthy
from trackchild_hub.cli import MAX_WEBSOCKET_MESSAGE_BYTES


async def _close_code(url: str, frame: str) -> int | None:
    async with connect(url, subprotocols=["graphql-transport-ws"], max_size=None) as socket:
        await socket.send(frame)
        try:
            await asyncio.wait_for(socket.recv(), 10)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


async def _probe(port: int) -> None:
    url = f"ws://127.0.0.1:{port}/graphql"
    padding = "x" * (MAX_WEBSOCKET_MESSAGE_BYTES + 1)
    huge = json.dumps({"type": "connection_init", "payload": {"padding": padding}})
    assert await _close_code(url, huge) == 1009
    # A console's own connection_init (no token: the public's) is acknowledged.
    async with connect(url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "connection_ack"
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200


@pytest.mark.slow
def test_a_huge_websocket_frame_closes_the_socket(tmp_path: Path) -> None:
    env = hub_env(tmp_path)
    assert cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, f"http://127.0.0.1:{port}", log, STARTUP_SECONDS)
            asyncio.run(_probe(port))
        finally:
            stop(process)
