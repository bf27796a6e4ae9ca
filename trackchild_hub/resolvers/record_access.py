"""Loading single records through the caller's record scope: what it may not see is simply not there."""

from __future__ import annotations

from ..auth.record_access import case_scope
from ..store.models import CaseRow, ChildRow
from .context import Context
from .remote_cases import fetch_remote, parse_remote_id


async def visible_case(ctx: Context, case_id: str) -> CaseRow | None:
    scope = case_scope(ctx.principal)
    remote = parse_remote_id(case_id)
    if remote is not None:
        await fetch_remote(ctx, *remote)  # primes the loaders when the source still holds it
    row = await ctx.loaders.case_by_id.one(case_id)
    if row is None:
        return None
    child = await ctx.loaders.child_by_id.one(row.child_id)
    confidential = child is not None and child.confidential
    return row if scope.admits(row.state_code, row.district_code, confidential) else None


async def visible_cases_of_child(ctx: Context, child: ChildRow) -> list[CaseRow]:
    scope = case_scope(ctx.principal)
    rows = await ctx.loaders.cases_by_child_id.one(child.id) or []
    return [r for r in rows if scope.admits(r.state_code, r.district_code, child.confidential)]


async def visible_child(ctx: Context, child_id: str) -> ChildRow | None:
    """A child is visible through any case of theirs the caller may see."""
    child = await ctx.loaders.child_by_id.one(child_id)
    if child is None or not await visible_cases_of_child(ctx, child):
        return None
    return child
