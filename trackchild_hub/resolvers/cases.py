"""Reading cases."""

from __future__ import annotations

from ..auth.scopes import Scope
from ..domain.errors import BadUserInput
from ..domain.filters import CaseFilter, check_first
from ..services.record_rule import case_named, scoped_cases
from ..store.case_records import CaseRecord
from ..store.cases import NO_JOINS, CaseRepository, Joins
from ..store.models import CaseRow
from ..store.pagination import Page
from .context import Context


async def case(ctx: Context, *, id: str | None, reference: str | None) -> CaseRow:
    if (id is None) == (reference is None):
        raise BadUserInput("id", "give either id or reference")
    return await case_named(ctx, id, reference=reference)


async def cases(
    ctx: Context, where: CaseFilter, first: int, after: str | None, joins: Joins = NO_JOINS
) -> Page[CaseRecord]:
    """One statement for the page and the to-one relations in ``joins``; ``loaders.shown`` holds them for the fields."""
    where.check()
    check_first(first)
    if where.name:
        # Searching by name reveals who is in the store: identity data (an argument's scope, not the operation's).
        ctx.require(Scope.CHILD_IDENTITY.value)
    where = scoped_cases(ctx, where)
    read = await ctx.read(lambda s: CaseRepository(s).page(where, first, after, ctx.today, joins))
    ctx.loaders.shown.update(read.related)
    return read.page
