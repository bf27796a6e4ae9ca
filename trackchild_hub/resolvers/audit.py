"""Reading the access log (``audit:read``)."""

from __future__ import annotations

from ..audit import log
from ..auth.scopes import Scope
from ..domain.filters import check_first
from ..store.models import AccessLogRow
from .context import Context


async def audit_trail(ctx: Context, entity_id: str, first: int) -> list[AccessLogRow]:
    ctx.require(Scope.AUDIT_READ.value)
    check_first(first)
    return await ctx.read(lambda s: log.trail(s, entity_id, first))
