"""The access log's rows: who read what (``Reader`` and its entries), each row linked to the one before; and reading
an entity's trail. Writing them is audit/append.py's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..store.models import AccessLogRow
from .chain import row_mac
from .keys import AuditKey

Entries = list[tuple[str, str, list[str]]]  # (entity type, entity id, protected fields served)


@dataclass(frozen=True, slots=True)
class Reader:
    request_id: str
    subject: str | None
    client_id: str | None
    agency: str | None
    operation: str | None
    purpose: str | None


def chained(reads: list[tuple[Reader, Entries]], key: AuditKey, prev: str, now: datetime) -> list[dict[str, Any]]:
    """The rows of ``reads`` in order, the first linked to ``prev`` (the chain's last link), each keyed with ``key``."""
    rows: list[dict[str, Any]] = []
    for reader, entries in reads:
        for entity_type, entity_id, fields in entries:
            row: dict[str, Any] = {
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
            prev = row["hash"]
            rows.append(row)
    return rows


async def trail(
    session: AsyncSession,
    entity_id: str,
    limit: int = 500,
    before: int | None = None,
    types: frozenset[str] | None = None,
) -> list[AccessLogRow]:
    """``entity_id``'s entries, newest first; ``before``: only those written before that row (``entry_id``);
    ``types``: only those of these entity types."""
    query = select(AccessLogRow).where(AccessLogRow.entity_id == entity_id)
    if before is not None:
        query = query.where(AccessLogRow.id < before)
    if types is not None:
        query = query.where(AccessLogRow.entity_type.in_(sorted(types)))
    return list(await session.scalars(query.order_by(AccessLogRow.id.desc()).limit(limit)))


async def entry_id(session: AsyncSession, entity_id: str, link: str) -> int | None:
    """The row of ``entity_id``'s trail whose link (``hash``) is ``link``; None: no such entry of that record."""
    found: int | None = await session.scalar(
        select(AccessLogRow.id).where(AccessLogRow.entity_id == entity_id, AccessLogRow.hash == link)
    )
    return found
