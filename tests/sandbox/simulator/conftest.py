"""Simulators in process: an httpx client over ASGITransport per app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from trackchild_hub.sandbox.simulator import create_simulator

ClientFor = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@asynccontextmanager
async def client_of(app: Starlette, **headers: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim.test", headers=headers) as client:
        yield client


@pytest.fixture
def sim() -> ClientFor:
    """``async with sim("police", "19", **options) as client``: a fresh simulator and a client for it."""

    def make(kind: str = "police", state: str = "19", **options: Any) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        return client_of(create_simulator(kind, state, **options))  # type: ignore[arg-type]

    return make


async def walk(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """Every record /v1/cases lists, following next_cursor to the end."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/cases", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
