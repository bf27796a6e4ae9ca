"""Reading cases."""

from __future__ import annotations

from dataclasses import replace

from ..auth.record_access import case_scope
from ..auth.scopes import Scope
from ..domain.errors import BadUserInput, NotFound
from ..domain.filters import CaseFilter, check_first
from ..store.cases import CaseRepository
from ..store.models import CaseRow
from ..store.pagination import Page
from .context import Context
from .record_access import visible_case


async def case(ctx: Context, *, id: str | None, reference: str | None) -> CaseRow:
    if (id is None) == (reference is None):
        raise BadUserInput("id", "give either id or reference")
    if reference is not None:
        found = await ctx.read(lambda s: CaseRepository(s).get_by_reference(reference.strip().upper()))
        if found is not None:
            ctx.loaders.case_by_id.prime(found.id, found)
            id = found.id
    row = await visible_case(ctx, id) if id is not None else None
    if row is None:
        raise NotFound("no such case", suggestion="it may be outside your jurisdiction")
    return row


async def cases(ctx: Context, where: CaseFilter, first: int, after: str | None) -> Page[CaseRow]:
    where.check()
    check_first(first)
    if where.name:
        # Searching by name reveals who is in the store: identity data.
        ctx.require(Scope.CHILD_IDENTITY.value)
    where = replace(where, scope=case_scope(ctx.principal))
    page = await ctx.read(lambda s: CaseRepository(s).page(where, first, after, ctx.today))
    for row in page.rows:
        ctx.loaders.case_by_id.prime(row.id, row)
    return page
