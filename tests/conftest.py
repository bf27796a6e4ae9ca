"""Shared fixtures: a migrated store on each backend (SQLite always, PostgreSQL at 127.0.0.1:5432/test)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from trackchild_hub.app import build_services
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import AuditHeadRow, Base, WorkflowLeaseRow

POSTGRES_URL = os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
# Each run works in its own schema of the `test` database, so parallel runs never see each other's rows.
POSTGRES_SCHEMA = f"hub_test_{os.getpid()}"
BACKENDS = ["sqlite", "postgresql"]
KEEP = {"states", "districts", "alembic_version", "audit_head", "workflow_leases"}  # leases: reset below


def _url(backend: str, tmp: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp / 'hub.db'}" if backend == "sqlite" else POSTGRES_URL


@pytest.fixture(scope="session", params=BACKENDS)
async def migrated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    """One migrated database per backend for the whole run."""
    folder = tmp_path_factory.mktemp(request.param)
    url = _url(request.param, folder)
    schema = POSTGRES_SCHEMA if request.param == "postgresql" else None
    if schema:
        await _create_schema(schema)
    settings = Settings(database_url=url, database_schema=schema, data_dir=folder / "data")
    services = build_services(settings)
    await upgrade(services.engine, services.geography)
    yield services
    await services.engine.dispose()
    if schema:
        await _drop_schema(schema)


@pytest.fixture
async def store(migrated: Services) -> Services:
    """The migrated database emptied of everything but reference data."""
    async with migrated.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP:
                await conn.execute(table.delete())
        await conn.execute(AuditHeadRow.__table__.update().values(length=0, last_hash="0" * 64))
        await conn.execute(WorkflowLeaseRow.__table__.update().values(holder=None, until=None))
    migrated.access_log.anchor.clear()  # an emptied log with its old anchor would (rightly) fail verification
    if migrated.matcher is not None:
        migrated.matcher.reset()
    return migrated


async def _create_schema(schema: str) -> None:
    engine = create_engine(POSTGRES_URL)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OSError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc}); start it (see .ci/run)")
    finally:
        await engine.dispose()


async def _drop_schema(schema: str) -> None:
    engine = create_engine(POSTGRES_URL)
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    await engine.dispose()
