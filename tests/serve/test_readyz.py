"""``/readyz`` tells a load balancer whether the hub can serve: 503 while its database cannot be reached, 200 again
once it can, with no restart; ``/healthz`` (the process lives) stays 200 throughout. A real ``serve`` process on
PostgreSQL, reached through a relay the test takes down and brings back."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import POSTGRES_URL
from tests.serve.served import hub_env, serving, until, upgraded
from tests.serve.tcp_proxy import TcpProxy

SCHEMA = f"hub_readyz_{os.getpid()}"
RECOVERY_S = 30  # liveness bound for each change to show

pytestmark = pytest.mark.slow


def _in_database(*statements: str) -> None:
    async def run() -> None:
        engine = create_async_engine(POSTGRES_URL)
        try:
            async with engine.begin() as conn:
                for statement in statements:
                    await conn.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(run())


@pytest.fixture
def schema() -> Iterator[str]:
    _in_database(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE", f"CREATE SCHEMA {SCHEMA}")
    yield SCHEMA
    _in_database(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


@pytest.fixture
def relay() -> Iterator[TcpProxy]:
    address = urlsplit(POSTGRES_URL.replace("postgresql+asyncpg", "postgresql"))
    proxy = TcpProxy(address.hostname or "127.0.0.1", address.port or 5432)
    proxy.start()
    yield proxy
    proxy.close()


def ready(base: str) -> tuple[int, dict[str, object]]:
    response = httpx.get(f"{base}/readyz", timeout=30)
    body: dict[str, object] = response.json()
    return response.status_code, body


def test_readyz_is_503_while_the_database_is_unreachable_and_200_when_it_is_back(
    tmp_path: Path, schema: str, relay: TcpProxy
) -> None:
    address = urlsplit(POSTGRES_URL)
    relayed = POSTGRES_URL.replace(address.netloc, f"{address.username or 'postgres'}@127.0.0.1:{relay.port}")
    env = hub_env(tmp_path, DATABASE_URL=relayed, DATABASE_SCHEMA=schema)
    upgraded(env, tmp_path)
    with serving(tmp_path, env, "--workers", "1") as hub:
        assert ready(hub.base) == (200, {"ready": True})

        relay.stop()  # the database goes away: its connections reset, new ones refused
        _, body = until(lambda: answer if (answer := ready(hub.base))[0] == 503 else None, RECOVERY_S, "503")
        assert body["ready"] is False
        assert isinstance(body["database"], str)
        assert body["database"]  # the exception's type, never its message (which may quote connection details)
        assert httpx.get(f"{hub.base}/healthz", timeout=30).status_code == 200
        assert ready(hub.base)[0] == 503  # and stays so while it is away

        relay.start()  # back, on the same address
        assert until(lambda: ready(hub.base) == (200, {"ready": True}), RECOVERY_S, "readyz 200 again") is True

        # Unreachable without a refusal (a partition: connections neither accepted by the server nor refused): a
        # bounded 503, not one that takes asyncpg's default connect timeout of a minute.
        relay.stop()  # the pooled connections reset ...
        relay.start(answering=False)  # ... and new ones wait for an answer that never comes
        until(lambda: ready(hub.base)[0] == 503, RECOVERY_S, "503")
        asked = time.monotonic()
        assert ready(hub.base) == (503, {"ready": False, "database": "TimeoutError"})  # a new connection's fate
        assert time.monotonic() - asked < RECOVERY_S
        relay.stop()
        relay.start()
        assert until(lambda: ready(hub.base) == (200, {"ready": True}), RECOVERY_S, "readyz 200 again") is True
    assert hub.process.returncode == 0, hub.text()[-3000:]
