"""Hands out case reference sequence numbers, atomically, a block at a time."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ReferenceCounterRow


async def reserve_sequences(session: AsyncSession, state_code: str, year: int, count: int) -> range:
    """``count`` fresh sequence numbers for (state, year); the row lock lasts until the transaction ends."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = cast("Table", ReferenceCounterRow.__table__)
    stmt = (
        insert(table)
        .values(state_code=state_code, year=year, last=count)
        .on_conflict_do_update(index_elements=["state_code", "year"], set_={"last": table.c.last + count})
        .returning(table.c.last)
    )
    last = (await session.execute(stmt)).scalar_one()
    return range(last - count + 1, last + 1)
