"""``cases(…, sources:)``: the hub's store and live state systems in one list, merged by identity.

``sources`` names ``local`` (the hub's store), connector ids, or ``all``; absent = ``local``. Connectors outside the
caller's jurisdiction (another state) or the filter's state are not called: none of their records could be shown.
A record the store already holds (synced or imported under the same source + external id) appears once, as the
stored row, when ``local`` is among the sources. Live records pass the same filter and record scope as stored
ones and are ordered with them (newest report first); a page continues from its cursor on every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.record_access import case_scope
from ..auth.scopes import Scope
from ..connectors.port import Connector, SearchCriteria
from ..domain.errors import BadUserInput, UpstreamError
from ..domain.filters import CaseFilter, check_first
from ..store.cases import row_matches
from ..store.models import CaseRow
from ..store.pagination import Page, decode_cursor, decode_datetime, encode_cursor
from .cases import cases as local_cases
from .context import Context
from .fanout import SourceCall, fan_out
from .remote_cases import RemoteCase, prime, remote_cases
from .sources import SourceHealth

LOCAL, ALL = "local", "all"


@dataclass(frozen=True, slots=True)
class FederatedPage:
    page: Page[CaseRow]
    sources: list[SourceHealth] | None = None  # None when only the store was asked
    errors: list[UpstreamError] = field(default_factory=list)


async def federated_cases(
    ctx: Context, where: CaseFilter, first: int, after: str | None, sources: list[str] | None
) -> FederatedPage:
    where.check()
    check_first(first)
    if where.name:
        ctx.require(Scope.CHILD_IDENTITY.value)  # searching by name reveals who is held: identity data
    use_local, connectors = _selected(ctx, sources)
    if not connectors:
        return FederatedPage(await local_cases(ctx, where, first, after) if use_local else Page([], False, []))
    local = await local_cases(ctx, where, first, after) if use_local else Page([], False, [])
    scoped = replace(where, scope=case_scope(ctx.principal))
    reachable = [c for c in connectors if _may_hold(c, scoped)]
    calls = await fan_out(reachable, _criteria(scoped), ctx.services.settings.fanout_deadline_ms / 1000)
    remote = await remote_cases(ctx, [r for call in calls for r in call.records], datetime.now(UTC))
    remote = [r for r in remote if row_matches(r.row, r.child, scoped, ctx.today)]  # type: ignore[arg-type]
    if use_local:
        remote = await _not_held(ctx, remote)
    if after is not None:
        moment, last_id = decode_cursor(after, 2)
        key = (decode_datetime(moment), last_id)
        remote = [r for r in remote if (r.row.reported_at, r.row.id) < key]
    merged: list[CaseRow | RemoteCase] = [*local.rows, *remote]
    merged.sort(key=_order, reverse=True)
    rows = [prime(ctx, r) if isinstance(r, RemoteCase) else r for r in merged[:first]]
    page = Page(rows, len(merged) > first or local.has_next, [encode_cursor(r.reported_at, r.id) for r in rows])
    return FederatedPage(page, [_health(c) for c in calls], [c.error for c in calls if c.error is not None])


def _selected(ctx: Context, sources: list[str] | None) -> tuple[bool, list[Connector]]:
    if sources is None:
        return True, []
    by_id = {c.id: c for c in ctx.services.connectors}
    names = [s.strip() for s in sources]
    unknown = [n for n in names if n not in by_id and n not in (LOCAL, ALL)]
    if unknown or not names:
        known = ", ".join([LOCAL, ALL, *by_id])
        raise BadUserInput("sources", f"unknown source {unknown[0]!r}" if unknown else "is empty", suggestion=known)
    if ALL in names:
        return True, list(by_id.values())
    return LOCAL in names, [by_id[n] for n in dict.fromkeys(names) if n != LOCAL]


def _may_hold(connector: Connector, where: CaseFilter) -> bool:
    state = where.scope.state or where.state
    return state is None or connector.state == state


def _criteria(where: CaseFilter) -> SearchCriteria:
    """What the upstream can narrow by; the rest of the filter is applied here, to what comes back."""
    kind = where.kinds[0] if len(where.kinds) == 1 else None
    return SearchCriteria(
        name=where.name, gender=where.gender, district=where.scope.district or where.district, kind=kind
    )


async def _not_held(ctx: Context, remote: list[RemoteCase]) -> list[RemoteCase]:
    """Drop live records the store holds a copy of (same source + external id)."""
    wanted: dict[str, list[str]] = {}
    for r in remote:
        wanted.setdefault(r.row.source, []).append(r.row.external_id)

    async def held(session: AsyncSession) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        for source, ids in wanted.items():
            query = select(CaseRow.source, CaseRow.external_id).where(
                CaseRow.source == source, CaseRow.external_id.in_(ids)
            )
            out.update((s, e) for s, e in await session.execute(query))
        return out

    copies = await ctx.read(held) if wanted else set()
    return [r for r in remote if (r.row.source, r.row.external_id) not in copies]


def _order(item: CaseRow | RemoteCase) -> tuple[datetime, str]:
    row = item.row if isinstance(item, RemoteCase) else item
    return row.reported_at, row.id


def _health(call: SourceCall) -> SourceHealth:
    return SourceHealth(call.connector, call.health, call.dropped)
