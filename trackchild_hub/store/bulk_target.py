"""Where bulk writes go: the raw driver connection under a session's transaction, one class per database.

``bulk_target(session)`` hands out the driver connection the session's transaction runs on (asyncpg or aiosqlite),
so the fast paths (``COPY``, a raw ``executemany``) commit or roll back with everything else the session did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .bulk_rows import NewRows

Key = tuple[str, str]  # (source, external_id)


class ConcurrentWriteError(Exception):
    """Another writer stored one of these (source, external_id) keys after they were looked up: redo the batch."""


class BulkTarget(Protocol):
    async def existing(self, keys: Sequence[Key]) -> dict[Key, tuple[str, str]]:
        """The stored cases among ``keys``: key -> (case id, reference)."""
        ...

    async def insert_new(self, rows: NewRows) -> None:
        """Store new cases and what hangs off them; ``ConcurrentWriteError`` if a case's key is taken."""
        ...

    async def analyze(self, tables: Sequence[str]) -> None:
        """Refresh the planner's statistics of ``tables``."""
        ...

    async def analyze_columns(self, table: str, columns: Sequence[str]) -> None:
        """Refresh what a lookup of ``table`` by ``columns`` is planned with: its row count and those columns."""
        ...


async def driver_in_transaction(session: AsyncSession) -> tuple[str, Any]:
    """The session's dialect name and its driver connection, inside the session's transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if connection.dialect.name == "postgresql":
        # SQLAlchemy's asyncpg adapter opens its transaction at the first statement it runs: run one, so that the
        # COPYs that follow belong to the session's transaction and not to an autocommit of their own.
        await connection.execute(text("SELECT 1"))
        assert driver.is_in_transaction(), "bulk writes outside the session's transaction"
    return connection.dialect.name, driver


async def bulk_target(session: AsyncSession) -> BulkTarget:
    dialect, driver = await driver_in_transaction(session)
    if dialect == "postgresql":
        from .pg_copy import PostgresTarget

        return PostgresTarget(driver)
    from .sqlite_bulk import SqliteTarget

    return SqliteTarget(driver)
