"""Engines and session factories; nothing connects at import time."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from ..settings import Capacity, Settings

IDLE_PING_S = 10.0
# A PostgreSQL server that does not answer (a network partition, a dropped packet filter) held each new connection
# for asyncpg's default 60 s: every request and /readyz hung that long. Opening a connection takes milliseconds.
CONNECT_TIMEOUT_S = 5.0


def create_engine(
    database_url: str,
    *,
    echo: bool = False,
    schema: str | None = None,
    capacity: Capacity = Capacity(),  # noqa: B008 - frozen
    idle_ping_s: float = IDLE_PING_S,
    application_name: str = "trackchild-hub",
) -> AsyncEngine:
    """``schema``: a PostgreSQL schema to work in instead of ``public`` (one database, several hubs or test runs).
    ``capacity``: the pool of this process (its size, overflow and how long a checkout may wait).
    ``idle_ping_s``: a PostgreSQL connection idle this long is pinged before it is handed out.
    ``application_name``: what PostgreSQL shows for these connections."""
    # JSON columns decoded by orjson: a page of 50 cases decodes about 150 values (the stdlib's json: 4 % of a page).
    kwargs: dict[str, Any] = {"echo": echo, "json_deserializer": orjson.loads}
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
        # The name shows in pg_stat_activity: operators (and tests) can tell the hub's connections from others'.
        server_settings = {"application_name": application_name}
        if schema:
            server_settings["search_path"] = schema
        kwargs["connect_args"] = {"server_settings": server_settings, "timeout": CONNECT_TIMEOUT_S}
    engine = create_async_engine(database_url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        _ping_when_idle(engine, idle_ping_s)
    return engine


def _ping_when_idle(engine: AsyncEngine, idle_s: float) -> None:
    """Ping a pooled connection on checkout only if it sat idle ``idle_s`` or longer.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout, and asyncpg's ping is three round trips (BEGIN, a
    statement, ROLLBACK): with a checkout per read and one per access-log batch that was 6 of a page's 10 round trips.
    A connection used a moment ago is almost always alive; one that went quiet is the one a restarted database or a
    dropped idle connection leaves dead. A connection that dies while in use (or within ``idle_s``) fails its statement
    with a disconnect error: SQLAlchemy then invalidates the pool's older connections, and the caller retries once
    (``is_disconnect``: reads, the access log).
    """
    dialect = engine.sync_engine.dialect

    def checkin(_dbapi: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    def checkout(dbapi: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle_s:
            return  # new, or used a moment ago
        try:
            dialect.do_ping(dbapi)
        except Exception as exc:
            # The pool drops this connection and checks out another (a fresh one if need be).
            raise DisconnectionError(f"a pooled connection idle {time.monotonic() - since:.0f} s is gone") from exc

    event.listen(engine.sync_engine.pool, "checkin", checkin)
    event.listen(engine.sync_engine.pool, "checkout", checkout)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB page cache (default 2 MiB): bulk imports update indexes on random keys all over the file.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def is_disconnect(exc: BaseException) -> bool:
    """The database connection was lost (a restarted or failed-over database, a killed backend): the statement did
    not run (or its outcome is unknown), the connection is discarded, and a new checkout gets a live one."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


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
