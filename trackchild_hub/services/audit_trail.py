"""Reading the access log (the operation needs ``audit:read``; the record, the record rule)."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from ..audit import log
from ..domain.errors import BadUserInput
from ..domain.filters import check_first
from ..store.models import AccessLogRow
from .record_rule import audited_record
from .unit import Unit

LINK = re.compile(r"[0-9a-f]{64}")  # a row's link: HMAC-SHA256 (audit/chain.py), in hexadecimal


async def audit_trail(
    unit: Unit, entity_id: str, first: int, before: str | None = None, types: frozenset[str] | None = None
) -> list[AccessLogRow]:
    """``entity_id``'s entries, newest first, ``first`` of them; ``before``: an entry's link (its ``hash``), for the
    entries older than it (the next page: a record listed in many searches gathers many); ``types``: only entries of
    those entity types."""
    check_first(first)
    if before is not None and not LINK.fullmatch(before):
        raise BadUserInput("before", "is not an entry's hash (64 hexadecimal digits)")
    await audited_record(unit, entity_id)

    async def read(session: AsyncSession) -> list[AccessLogRow]:
        older = None if before is None else await log.entry_id(session, entity_id, before)
        if before is not None and older is None:
            raise BadUserInput("before", "is not an entry of this record's trail")
        return await log.trail(session, entity_id, first, older, types)

    return await unit.read(read)
