"""The live part of ``cases(sources:)``: what each system is asked, and its answer turned into rows as it arrives.

Each system is asked for the page the caller can show (``search_limit``), newest report first, as the hub lists. A
system's answer becomes rows the moment it arrives (references resolved, stored copies left out, the filter and
record scope applied, older than the cursor, its ``first`` newest kept and one more) while the others are still
answering, so after the slowest answer only its own rows and the merge remain.

A system that filled the page it was asked for may hold older records it did not send: rows older than the oldest
record it sent (its horizon) could have some of its records between them. So a page never goes past the newest such
horizon (``merge``); when that leaves it short, the systems that were full are asked again for all they give
(``deeper``), within the same deadline. References (police station, institution ids) and the store's copies are
looked up when a system's answer arrives (``lookups``: a read that runs while the slower systems are awaited, and
brings the stations and institutions the page will show) and applied to the rows a page shows (``settle``); the
filter may need them at once instead. Ordering agrees with
the systems': (``reported_at``, id) descending, and a live record's id sorts as its external id within its source.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ..connectors.port import MAX_SEARCH_LIMIT, Connector
from ..domain.case_conditions import Condition, admitted, case_conditions
from ..domain.errors import UpstreamError
from ..domain.filters import CaseFilter
from ..services.live_store import CaseShown, Fingerprint
from .context import Context
from .fanout import FanOut, SourceCall
from .remote_cases import (
    Lookup,
    RemoteCase,
    look_up,
    needs_references,
    provisional_cases,
    remote_cases,
    remote_id,
    settled_cases,
)

Key = tuple[datetime, str]  # (reported_at, id): the list order, newest first
Shown = CaseShown  # a stored case: a record of the store's page


def search_limit(first: int, after: str | None, where: CaseFilter) -> int:
    """How many records to ask each system for.

    ``first`` and a margin for records the hub drops after they arrive (confidential children for most roles,
    malformed ones), so a page rarely stops at a horizon. All a system gives when the hub filters by something the
    profile cannot ask for (status, age, dates, station, institution): most of a small page would be dropped. And
    all after a cursor too, since a system cannot be asked to skip the records before it.
    """
    hub_side = (
        where.statuses
        or len(where.kinds) > 1
        or where.min_age is not None
        or where.max_age is not None
        or where.event_from is not None
        or where.event_to is not None
        or where.police_station
        or where.institution
    )
    if after is not None or hub_side:
        return MAX_SEARCH_LIMIT
    return min(MAX_SEARCH_LIMIT, first + max(5, first // 4))


@dataclass(slots=True)
class LiveRows:
    """Per source: its call, its ``first`` + 1 newest rows that pass, its horizon when it may hold more, and the
    lookup of its answer's references when one was started."""

    calls: dict[str, SourceCall] = field(default_factory=dict)
    rows: dict[str, list[RemoteCase]] = field(default_factory=dict)
    horizons: dict[str, Key] = field(default_factory=dict)
    lookups: dict[str, asyncio.Task[Lookup]] = field(default_factory=dict)
    started: list[asyncio.Task[Lookup]] = field(default_factory=list)  # every lookup, to cancel what is left

    def cancel(self) -> None:
        """Stop the lookups still running (the page failed): none reads on after its request."""
        for task in self.started:
            task.cancel()

    async def finish(self) -> None:
        """Wait for the lookups the page did not need (most have ended): none reads on after its request."""
        await asyncio.gather(*self.started)

    def ordered_calls(self, connectors: Sequence[Connector]) -> list[SourceCall]:
        return [self.calls[c.id] for c in connectors if c.id in self.calls]

    @property
    def errors(self) -> list[UpstreamError]:
        return [c.error for c in self.calls.values() if c.error is not None]

    @property
    def full(self) -> list[Connector]:
        """The systems that may hold older records than they sent."""
        return [self.calls[source].connector for source in self.horizons]

    @property
    def horizon(self) -> Key | None:
        return max(self.horizons.values()) if self.horizons else None

    def merge(self, local: Sequence[Shown]) -> list[Shown | RemoteCase]:
        """``local`` and live rows, newest first, up to the horizon (every row of every source down to there)."""
        merged: list[Shown | RemoteCase] = [*local, *(r for rows in self.rows.values() for r in rows)]
        merged.sort(key=order, reverse=True)
        horizon = self.horizon
        return merged if horizon is None else [r for r in merged if order(r) >= horizon]

    def deeper(self, again: LiveRows) -> LiveRows:
        """These rows with the sources asked ``again`` replaced by their new answer (a failed retry keeps the first
        answer and its horizon, and reports the error); latencies add up."""
        out = LiveRows(dict(self.calls), dict(self.rows), dict(self.horizons), dict(self.lookups))
        out.started = [*self.started, *again.started]
        for source, call in again.calls.items():
            first_call = self.calls[source]
            latency = first_call.health.latency_ms + call.health.latency_ms
            out.calls[source] = replace(call, health=replace(call.health, latency_ms=latency))
            if call.error is None:
                out.rows[source] = again.rows.get(source, [])
                out.lookups.pop(source, None)
                if source in again.lookups:
                    out.lookups[source] = again.lookups[source]
                out.horizons.pop(source, None)
                if source in again.horizons:
                    out.horizons[source] = again.horizons[source]
        return out


async def live_rows(
    ctx: Context,
    fan: FanOut,
    where: CaseFilter,
    first: int,
    after: Key | None,
    *,
    dedupe: bool,
    lookups: bool = False,
    seen: Awaitable[Fingerprint] | None = None,
) -> LiveRows:
    """``where`` carries the caller's record scope; ``dedupe``: the store's page stands for the copies it holds.

    ``lookups``: the page will be settled (it shows references, or ``dedupe``): each answer's lookup starts as it
    arrives, and runs while the next answers are awaited. The caller waits for them (``settle``, ``LiveRows.finish``)
    or stops them (``LiveRows.cancel``). ``seen``: the fingerprint the request read for the process's cache of
    stations and institutions (``store.named_cache``), which the lookups then use.
    """
    live = LiveRows()
    conditions = case_conditions(where, ctx.today)
    try:
        await _arrivals(ctx, live, fan, where, conditions, first, after, dedupe=dedupe, lookups=lookups, seen=seen)
    except BaseException:
        live.cancel()
        raise
    return live


async def _arrivals(
    ctx: Context,
    live: LiveRows,
    fan: FanOut,
    where: CaseFilter,
    conditions: list[Condition],
    first: int,
    after: Key | None,
    *,
    dedupe: bool,
    lookups: bool,
    seen: Awaitable[Fingerprint] | None,
) -> None:
    async for call in fan.arrivals():
        source = call.connector.id
        live.calls[source] = call
        if not call.records:
            continue
        if len(call.records) + call.dropped >= call.asked and call.asked < MAX_SEARCH_LIMIT:
            live.horizons[source] = min((c.reported_at, remote_id(c.source, c.external_id or "")) for c in call.records)
        by_reference = bool(where.police_station or where.institution)
        if needs_references(call.records, by_station_or_institution=by_reference):
            remote = await remote_cases(ctx, call.records, datetime.now(UTC), drop_held=dedupe, seen=seen)
        else:  # no read to wait for: ``settle`` applies the lookup to the rows a page shows
            remote = provisional_cases(call.records, datetime.now(UTC))
            if lookups:
                task = asyncio.ensure_future(look_up(ctx, call.records, drop_held=dedupe, seen=seen))
                live.lookups[source] = task
                live.started.append(task)
        kept = [r for r in remote if admitted(conditions, r.row, r.child)]  # the store's page's own conditions
        if after is not None:
            kept = [r for r in kept if order(r) < after]
        kept.sort(key=order, reverse=True)
        # One more than a page tells whether there is a next one; when some may prove to be copies the store
        # holds (``settle`` drops those), every row stays a candidate.
        live.rows[source] = kept if dedupe else kept[: first + 1]


async def settle(
    ctx: Context,
    merged: Sequence[Shown | RemoteCase],
    first: int,
    *,
    dedupe: bool,
    lookups: dict[str, asyncio.Task[Lookup]] | None = None,
) -> list[Shown | RemoteCase]:
    """The first ``first`` + 1 of ``merged`` ready to show: live rows' references applied and, with ``dedupe``, the
    store's copies left out (the next rows move up). A source's rows are settled with its ``lookups`` entry (made
    for its whole answer with the same ``dedupe``); the rest with one read for the page, not one per source."""
    started = lookups or {}
    out: list[Shown | RemoteCase] = []
    start = 0
    while len(out) <= first and start < len(merged):
        window = merged[start : start + first + 1 - len(out)]
        start += len(window)
        pending = [r for r in window if isinstance(r, RemoteCase) and not r.settled]
        by_source: dict[str, list[RemoteCase]] = {}
        for r in pending:
            by_source.setdefault(r.case.source if r.case.source in started else "", []).append(r)
        settled: list[RemoteCase] = []
        for source, rows in by_source.items():
            fetched_at = min(r.row.created_at for r in rows)  # when they arrived
            if source:
                settled += settled_cases(rows, await started[source])
            else:
                settled += await remote_cases(ctx, [r.case for r in rows], fetched_at, drop_held=dedupe)
        by_id = {r.row.id: r for r in settled}
        for item in window:
            if isinstance(item, RemoteCase) and not item.settled:
                if item.row.id in by_id:  # else a copy the store holds
                    out.append(by_id[item.row.id])
            else:
                out.append(item)
    return out


def order(item: Shown | RemoteCase) -> Key:
    row = item.row if isinstance(item, RemoteCase) else item
    return row.reported_at, row.id
