"""Engines and session factories; nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from ..settings import Capacity, Settings


def create_engine(
    database_url: str,
    *,
    echo: bool = False,
    schema: str | None = None,
    capacity: Capacity = Capacity(),  # noqa: B008 - frozen
) -> AsyncEngine:
    """``schema``: a PostgreSQL schema to work in instead of ``public`` (one database, several hubs or test runs).
    ``capacity``: the pool of this process (its size, overflow and how long a checkout may wait)."""
    kwargs: dict[str, Any] = {"echo": echo}
    if not database_url.rstrip("/").endswith((":memory:", "sqlite+aiosqlite:")):  # in-memory SQLite: one connection
        # A short checkout timeout: a request that cannot get a connection soon is answered 503 (the hub is at
        # capacity) instead of hanging for SQLAlchemy's default 30 s while clients time out and retry on top.
        kwargs.update(
            pool_size=capacity.db_pool_size,
            max_overflow=capacity.db_max_overflow,
            pool_timeout=capacity.db_pool_timeout_s,
        )
    if database_url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        if schema:
            kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
    engine = create_async_engine(database_url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB page cache (default 2 MiB): bulk imports update indexes on random keys all over the file.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def is_pool_timeout(exc: BaseException) -> bool:
    """No pooled connection within the pool timeout: the hub is at capacity (not a fault of the database)."""
    return isinstance(exc, PoolTimeout)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def engine_for(settings: Settings) -> AsyncEngine:
    return create_engine(
        settings.database_url,
        echo=settings.sql_echo,
        schema=settings.database_schema,
        capacity=settings.process_capacity,
    )


@asynccontextmanager
async def opened_sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh engine, disposed of when the block ends: what each one-shot command needs."""
    engine = engine_for(settings)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()
