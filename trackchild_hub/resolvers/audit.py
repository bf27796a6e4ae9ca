"""Reading the access log (the operation needs ``audit:read``; the record, the record rule)."""

from __future__ import annotations

from ..audit import log
from ..domain.filters import check_first
from ..services.record_rule import audited_record
from ..store.models import AccessLogRow
from .context import Context


async def audit_trail(ctx: Context, entity_id: str, first: int) -> list[AccessLogRow]:
    check_first(first)
    await audited_record(ctx, entity_id)
    return await ctx.read(lambda s: log.trail(s, entity_id, first))
