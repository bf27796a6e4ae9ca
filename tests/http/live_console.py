"""A console subscribed to ``alerts`` over a real websocket (the ``websockets`` package), graphql-transport-ws."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

ALERTS = "subscription { alerts { rule reference state district link createdAt urgency } }"
# Alerts the hub's own schedule raises while it serves (services/alert_jobs.py): not what these tests report.
SCHEDULED = frozenset({"DISTRICT_DIGEST", "CITIZEN_REPORT_OVERDUE"})


class Console:
    def __init__(self, socket: ClientConnection, skip: frozenset[str] = SCHEDULED) -> None:
        self.socket, self.skip = socket, skip

    async def subscribe(self, query: str = ALERTS, id: str = "1") -> None:
        await self.socket.send(json.dumps({"id": id, "type": "subscribe", "payload": {"query": query}}))

    async def message(self, seconds: float) -> dict[str, Any]:
        """The next protocol message (pings answered, scheduled alerts skipped on the way); TimeoutError if none
        comes in ``seconds``."""
        async with asyncio.timeout(seconds):
            while True:
                message: dict[str, Any] = json.loads(await self.socket.recv())
                if message["type"] == "ping":
                    await self.socket.send(json.dumps({"type": "pong"}))
                    continue
                if message["type"] == "next" and _rule(message) in self.skip:
                    continue
                return message

    async def alert(self, seconds: float) -> dict[str, Any]:
        message = await self.message(seconds)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        alert: dict[str, Any] = message["payload"]["data"]["alerts"]
        return alert

    async def nothing_within(self, seconds: float) -> None:
        try:
            message = await self.message(seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected nothing, got {message}")

    async def errors(self, seconds: float = 5) -> list[dict[str, Any]]:
        """The errors the subscription ended with (``next`` with errors, or ``error``)."""
        message = await self.message(seconds)
        if message["type"] == "error":
            errors: list[dict[str, Any]] = message["payload"]
            return errors
        assert message["type"] == "next", message
        found: list[dict[str, Any]] = message["payload"]["errors"]
        return found


def _rule(message: dict[str, Any]) -> str | None:
    alert = (message["payload"].get("data") or {}).get("alerts") or {}
    rule: str | None = alert.get("rule")
    return rule


@asynccontextmanager
async def console(
    base: str,
    token: str | None = None,
    *,
    header_token: str | None = None,
    payload: dict[str, Any] | None = None,
    origin: str | None = None,
    skip: frozenset[str] = SCHEDULED,
) -> AsyncIterator[Console]:
    """Connected and acknowledged; ``token`` goes in connection_init's payload, ``header_token`` in the upgrade."""
    url = base.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": f"Bearer {header_token}"} if header_token else None
    init = payload if payload is not None else ({"Authorization": f"Bearer {token}"} if token else {})
    async with connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": init}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        yield Console(socket, skip)
