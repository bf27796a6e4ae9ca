"""Appending to the access log (one batch per request, chain head locked) and reading an entity's trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..store.models import AccessLogRow, AuditHeadRow
from ..store.models.base import utcnow
from .chain import row_mac
from .keys import AuditKey


@dataclass(frozen=True, slots=True)
class Reader:
    request_id: str
    subject: str | None
    client_id: str | None
    agency: str | None
    operation: str | None
    purpose: str | None


async def append(
    session: AsyncSession, reads: list[tuple[Reader, list[tuple[str, str, list[str]]]]], key: AuditKey
) -> tuple[int, str] | None:
    """Append the reads of one or more requests in the caller's transaction (the caller commits), each row keyed
    with ``key``. Returns the chain's new (length, last link) for the anchor, or None when there was nothing to add."""
    if not any(entries for _, entries in reads):
        return None
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
                "key_id": key.kid,
            }
            row["prev_hash"], row["hash"] = prev, row_mac(key.secret, key.kid, prev, row)
            prev = str(row["hash"])
            rows.append(row)
    await session.execute(insert(AccessLogRow), rows)
    head.length, head.last_hash = head.length + len(rows), prev
    return head.length, head.last_hash


async def trail(session: AsyncSession, entity_id: str, limit: int = 500) -> list[AccessLogRow]:
    rows = await session.scalars(
        select(AccessLogRow).where(AccessLogRow.entity_id == entity_id).order_by(AccessLogRow.id.desc()).limit(limit)
    )
    return list(rows)
