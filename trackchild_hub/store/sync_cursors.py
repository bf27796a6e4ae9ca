"""A connector's sync cursor (how far its change feed was read), read and written inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import SyncCursorRow
from .models.base import utcnow


async def read_cursor(session: AsyncSession, connector_id: str, *, lock: bool = False) -> str | None:
    query = select(SyncCursorRow.cursor).where(SyncCursorRow.connector_id == connector_id)
    cursor: str | None = await session.scalar(query.with_for_update() if lock else query)
    return cursor


async def write_cursor(session: AsyncSession, connector_id: str, cursor: str, applied: int) -> None:
    row = await session.get(SyncCursorRow, connector_id)
    if row is None:
        session.add(SyncCursorRow(connector_id=connector_id, cursor=cursor, records=applied, updated_at=utcnow()))
    else:
        row.cursor, row.records, row.updated_at = cursor, row.records + applied, utcnow()
