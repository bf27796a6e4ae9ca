"""``trackchild-hub sync`` killed with SIGKILL mid-run and restarted: the store ends equal to the upstream, exactly.

Real processes throughout: a simulator (``trackchild-hub simulate``), the sync CLI, and the database on each backend.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from subprocess import DEVNULL

import httpx
import pytest
from sqlalchemy import func, select, text

from tests.connectors.feeds import walk_changes
from tests.live_server import free_port
from tests.sync.compare import stored_shape, upstream_shape
from trackchild_hub.app import build_services
from trackchild_hub.connectors.config import ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.records import CaseData
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Settings
from trackchild_hub.store.models import CaseRow, SyncCursorRow

POSTGRES_URL = os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
CLI = [sys.executable, "-m", "trackchild_hub.cli"]

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    if request.param == "sqlite":
        yield Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", data_dir=tmp_path)
        return
    schema = f"hub_sync_{os.getpid()}"
    admin = build_services(Settings(database_url=POSTGRES_URL))
    async with admin.engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield Settings(database_url=POSTGRES_URL, database_schema=schema, data_dir=tmp_path)
    async with admin.engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    await admin.engine.dispose()


def _env(settings: Settings, connectors: Path) -> dict[str, str]:
    env = {**os.environ, "TRACKCHILD_DATABASE_URL": settings.database_url, "TRACKCHILD_CONNECTORS": str(connectors)}
    env["TRACKCHILD_DATA_DIR"] = str(settings.data_dir)
    if settings.database_schema:
        env["TRACKCHILD_DATABASE_SCHEMA"] = settings.database_schema
    return env


async def _start(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(*CLI, *args, env=env, stdout=DEVNULL, stderr=DEVNULL)


async def _wait_until_up(base: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as http:
        while True:
            assert process.returncode is None, "the simulator exited"
            try:
                await http.get(f"{base}/v1/health", timeout=1)
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the simulator did not start"
                await asyncio.sleep(0.1)


async def _applied(services: Services) -> int:
    async with services.sessions() as session:
        records = await session.scalar(select(SyncCursorRow.records).where(SyncCursorRow.connector_id == "police-19"))
        return records or 0


async def _upstream(base: str) -> list[CaseData]:
    async with httpx.AsyncClient() as http:
        connector = RestConnector(
            ConnectorConfig("police-19", ConnectorKind.POLICE, "19", ConnectorType.REST, base), http, load_geography()
        )
        cases, _ = await walk_changes(connector, limit=500)
        return cases


async def test_sync_killed_twice_then_finished_equals_the_upstream(database: Settings, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    connectors = tmp_path / "connectors.toml"
    connectors.write_text(f'[[connector]]\nid = "police-19"\nkind = "police"\nstate = "19"\nbase_url = "{base}"\n')
    env = _env(database, connectors)
    simulator = await _start(
        "simulate", "police", "--state", "19", "--port", str(port), "--records", "600", "--latency-ms", "30", env=env
    )
    services = build_services(database)
    try:
        await _wait_until_up(base, simulator)
        assert await (await _start("db", "upgrade", env=env)).wait() == 0
        for kill_after in (40, 150):  # records committed before the kill
            sync = await _start("sync", "--batch", "10", env=env)
            deadline = time.monotonic() + 60
            while await _applied(services) < kill_after:
                assert sync.returncode is None, "sync finished before it could be killed: slow the simulator down"
                assert time.monotonic() < deadline
                await asyncio.sleep(0.01)
            sync.send_signal(signal.SIGKILL)
            assert await asyncio.wait_for(sync.wait(), 10) == -signal.SIGKILL
        partial = await _applied(services)
        finished = await _start("sync", env=env)
        assert await asyncio.wait_for(finished.wait(), 120) == 0
        upstream = await _upstream(base)
        assert partial < len(upstream)  # the kills did land mid-run
        async with services.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(CaseRow)) == len(upstream)
            assert await stored_shape(session, "police-19") == upstream_shape(upstream)
    finally:
        await services.engine.dispose()
        simulator.terminate()
        await asyncio.wait_for(simulator.wait(), 10)
