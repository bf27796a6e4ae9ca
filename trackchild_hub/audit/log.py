"""Appending to the access log (one batch per request, chain head locked) and verifying the chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..store.models import AccessLogRow, AuditHeadRow
from ..store.models.base import utcnow
from .chain import CHAINED, GENESIS, row_hash


@dataclass(frozen=True, slots=True)
class Reader:
    request_id: str
    subject: str | None
    client_id: str | None
    agency: str | None
    operation: str | None
    purpose: str | None


async def append(session: AsyncSession, reads: list[tuple[Reader, list[tuple[str, str, list[str]]]]]) -> None:
    """Append the reads of one or more requests in the caller's transaction (the caller commits)."""
    if not any(entries for _, entries in reads):
        return
    # Touch the head first: on PostgreSQL that locks its row, on SQLite it takes the write lock, so no other
    # writer reads the same head and forks the chain.
    await session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(length=AuditHeadRow.length))
    head = await session.get(AuditHeadRow, 1, populate_existing=True)
    if head is None:
        raise RuntimeError("the access log has no head row: run `trackchild-hub db upgrade`")
    now = utcnow()
    rows: list[dict[str, Any]] = []
    prev = head.last_hash
    for reader, entries in reads:
        for entity_type, entity_id, fields in entries:
            row = {
                "at": now,
                "request_id": reader.request_id,
                "subject": reader.subject,
                "client_id": reader.client_id,
                "agency": reader.agency,
                "operation": reader.operation,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "fields": fields,
                "purpose": reader.purpose,
            }
            row["prev_hash"], row["hash"] = prev, row_hash(prev, row)
            prev = str(row["hash"])
            rows.append(row)
    await session.execute(insert(AccessLogRow), rows)
    head.length, head.last_hash = head.length + len(rows), prev


async def trail(session: AsyncSession, entity_id: str, limit: int = 500) -> list[AccessLogRow]:
    rows = await session.scalars(
        select(AccessLogRow).where(AccessLogRow.entity_id == entity_id).order_by(AccessLogRow.id.desc()).limit(limit)
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class Verdict:
    rows: int
    broken_at: int | None  # id of the first row whose hash or link does not hold
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


async def verify(session: AsyncSession, batch: int = 5000) -> Verdict:
    prev, count, after = GENESIS, 0, 0
    while True:
        rows = list(
            await session.scalars(
                select(AccessLogRow).where(AccessLogRow.id > after).order_by(AccessLogRow.id).limit(batch)
            )
        )
        if not rows:
            break
        for row in rows:
            count += 1
            if row.prev_hash != prev:
                return Verdict(count, row.id, "a row before it was deleted or changed")
            if row.hash != row_hash(prev, {name: getattr(row, name) for name in CHAINED}):
                return Verdict(count, row.id, "the row was changed")
            prev, after = row.hash, row.id
    head = await session.get(AuditHeadRow, 1)
    if head is not None and (head.last_hash != prev or head.length != count):
        return Verdict(count, after + 1, "rows at the end of the log were deleted")
    return Verdict(count, None)
