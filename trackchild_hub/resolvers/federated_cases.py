"""``cases(…, sources:)``: the hub's store and live state systems in one list, merged by identity.

``sources`` names ``local`` (the hub's store), connector ids, or ``all``; absent = ``local``. Connectors outside the
caller's jurisdiction (another state) or the filter's state are not called: none of their records could be shown.
A record the store already holds (synced or imported under the same source + external id) appears once, as the
stored row, when ``local`` is among the sources. Live records pass the same filter and record scope as stored
ones and are ordered with them (newest report first); a page continues from its cursor on every source.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..auth.scopes import Scope
from ..connectors.port import MAX_SEARCH_LIMIT, Connector, SearchCriteria
from ..domain.errors import BadUserInput, UpstreamError
from ..domain.filters import CaseFilter, check_first
from ..services.case_queries import cases as local_cases
from ..services.live_store import (
    NO_JOINS,
    CaseShown,
    Joins,
    Page,
    decode_cursor,
    decode_datetime,
    encode_cursor,
    fingerprint,
)
from ..services.record_rule import scoped_cases
from .context import Context
from .fanout import FanOut, SourceCall
from .live_rows import live_rows, search_limit, settle
from .remote_cases import RemoteCase, prime
from .sources import SourceHealth

LOCAL, ALL = "local", "all"


@dataclass(frozen=True, slots=True)
class FederatedPage:
    page: Page[CaseShown]  # records of the store's page, and of live records
    sources: list[SourceHealth] | None = None  # None when only the store was asked
    errors: list[UpstreamError] = field(default_factory=list)


async def federated_cases(
    ctx: Context,
    where: CaseFilter,
    first: int,
    after: str | None,
    sources: list[str] | None,
    joins: Joins = NO_JOINS,
    *,
    references: bool = True,
) -> FederatedPage:
    """``joins``: the stored page's to-one relations the caller selected, read with it (see ``cases.cases``).

    ``references``: whether the page shows live records' police stations, institutions or districts; when it does
    not (and the store is not among the sources, whose copies ``settle`` would leave out), live rows are shown as
    they arrived, without the store read ``settle`` makes after the slowest answer.
    """
    where.check()
    check_first(first)
    if where.name:
        ctx.require(Scope.CHILD_IDENTITY.value)  # searching by name reveals who is held: identity data
    use_local, connectors = selected_sources(ctx, sources)
    if not connectors:
        return FederatedPage(await local_cases(ctx, where, first, after, joins) if use_local else Page([], False, []))
    scoped = scoped_cases(ctx, where)
    reachable = [c for c in connectors if _may_hold(c, scoped)]
    after_key = _after_key(after)
    deadline = time.monotonic() + ctx.services.settings.fanout_deadline_ms / 1000
    criteria = _criteria(scoped, search_limit(first, after, scoped))
    settled = use_local or references
    async with FanOut(reachable, criteria, deadline) as fan:
        # While the systems answer: the fingerprint of the stations and institutions the process has cached (when
        # the page will show them), the store's page; each answer becomes rows as it arrives, and its references
        # are looked up while the slower systems are awaited.
        seen = asyncio.ensure_future(ctx.read(fingerprint)) if settled else None
        try:
            local = await local_cases(ctx, where, first, after, joins) if use_local else Page([], False, [])
            live = await live_rows(ctx, fan, scoped, first, after_key, dedupe=use_local, lookups=settled, seen=seen)
        except BaseException:
            if seen is not None:
                seen.cancel()
            raise
    try:
        merged = live.merge(local.rows)
        if len(merged) < first and live.full:  # cut short where a system may hold more: ask it for all it gives
            async with FanOut(live.full, replace(criteria, limit=MAX_SEARCH_LIMIT), deadline) as fan:
                again = await live_rows(
                    ctx, fan, scoped, first, after_key, dedupe=use_local, lookups=settled, seen=seen
                )
                live = live.deeper(again)
            merged = live.merge(local.rows)
        if settled:
            shown = await settle(ctx, merged, first, dedupe=use_local, lookups=live.lookups)
        else:
            shown = merged[: first + 1]
    except BaseException:
        live.cancel()
        if seen is not None:
            seen.cancel()
        raise
    await live.finish()  # the lookups of sources the page did not reach
    if seen is not None:
        await seen  # read by now (the first lookup awaited it), unless no system answered
    rows = [prime(ctx, r) if isinstance(r, RemoteCase) else r for r in shown[:first]]
    more = len(shown) > first or local.has_next or live.horizon is not None
    page = Page(rows, more, [encode_cursor(r.reported_at, r.id) for r in rows])
    return FederatedPage(page, [_health(c) for c in live.ordered_calls(reachable)], live.errors)


def selected_sources(ctx: Context, sources: list[str] | None) -> tuple[bool, list[Connector]]:
    """Whether the store is among ``sources``, and the connectors named (``findMatches`` takes the same)."""
    if sources is None:
        return True, []
    by_id = {c.id: c for c in ctx.services.connectors}
    names = [s.strip() for s in sources]
    unknown = [n for n in names if n not in by_id and n not in (LOCAL, ALL)]
    if unknown or not names:
        known = ", ".join([LOCAL, ALL, *by_id])
        named = f"unknown source {unknown[0][:60]!r}" if unknown else "is empty"  # a huge one is not echoed whole
        raise BadUserInput("sources", named, suggestion=known)
    if ALL in names:
        return True, list(by_id.values())
    return LOCAL in names, [by_id[n] for n in dict.fromkeys(names) if n != LOCAL]


def _may_hold(connector: Connector, where: CaseFilter) -> bool:
    state = where.scope.state or where.state
    return state is None or connector.state == state


def _criteria(where: CaseFilter, limit: int) -> SearchCriteria:
    """What the upstream can narrow by; the rest of the filter is applied here, to what comes back."""
    kind = where.kinds[0] if len(where.kinds) == 1 else None
    district = where.scope.district or where.district
    return SearchCriteria(name=where.name, gender=where.gender, district=district, kind=kind, limit=limit)


def _after_key(after: str | None) -> tuple[datetime, str] | None:
    """The cursor's (reported_at, id), read before any system is called: a bad cursor calls none."""
    if after is None:
        return None
    moment, last_id = decode_cursor(after, 2)
    return decode_datetime(moment), last_id


def _health(call: SourceCall) -> SourceHealth:
    return SourceHealth(call.connector, call.health, call.dropped)
