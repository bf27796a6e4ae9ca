"""Records fetched live from a connector, held as the read model's records so the schema serves them like stored ones.

A live record never touches the store: it becomes the same frozen records the store's page is read into
(``store.live_records``), with ids that say where it comes from (``remote:<source>:<external id>``). Filtering
(``domain.case_conditions``, the store's own conditions) and ordering work on those records; the ones a page shows
are primed into the request's loaders, so ``child``, ``guardians``, ``aliases``, ``events`` and ``child.cases``
resolve without a query. The same record asked for by id later (``case(id:)``, ``_entities``) is fetched again from
its connector.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ..domain.enums import CaseKind
from ..domain.errors import BadUserInput
from ..domain.records import CaseData
from ..services.live_store import (
    NO_RECORDS,
    ChildRecord,
    Fingerprint,
    GuardianRecord,
    LiveCaseRecord,
    NamedRecords,
    References,
    Session,
    held_copies,
    live_records,
    named_records,
    named_refs,
    with_references,
)
from ..services.unit import Unit
from .context import Context

PREFIX = "remote:"


@dataclass(frozen=True, slots=True)
class RemoteCase:
    """A live record as the read model's records (cheap to filter and sort); ``prime`` hands the few shown to the
    request's loaders."""

    row: LiveCaseRecord  # the case's columns as attributes (what the filter and the schema read)
    child: ChildRecord
    guardians: list[GuardianRecord]
    aliases: list[str]
    kind: CaseKind
    case: CaseData
    settled: bool = True  # False: references not looked up yet (``provisional_cases``), to do before it is shown


def remote_id(source: str, external_id: str) -> str:
    return f"{PREFIX}{source}:{external_id}"


def parse_remote_id(case_id: str) -> tuple[str, str] | None:
    """(source, external id) of a live record's id; None for the hub's own ids."""
    if not case_id.startswith(PREFIX):
        return None
    source, sep, external_id = case_id.removeprefix(PREFIX).partition(":")
    return (source, external_id) if sep and source and external_id else None


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the store says about a batch of live records: their references, and which it holds copies of."""

    references: References
    held: set[tuple[str, str]]


async def look_up(
    ctx: Context,
    cases: Sequence[CaseData],
    *,
    drop_held: bool = False,
    seen: Awaitable[Fingerprint] | None = None,
) -> Lookup:
    """The police stations and institutions ``cases`` name, whole, held for the request's page
    (``ctx.loaders.shown``) so it shows them without reading them again; with ``drop_held``, which of ``cases`` the
    store holds a copy of (same source + external id), which the store's own page stands for.

    ``seen``: the fingerprint this request read (``named_cache``): what the process's cache holds under it is not
    read again. At most one read, none when the cache holds every ref and ``drop_held`` is off.
    """
    stations, institutions = named_refs(cases)
    known, seen_now = NO_RECORDS, None
    if seen is not None:
        seen_now = await seen
        known, stations, institutions = ctx.services.named_cache.known(seen_now, stations, institutions)

    async def load(session: Session) -> tuple[NamedRecords, set[tuple[str, str]]]:
        read = await named_records(session, stations, institutions)
        return read, await held_copies(session, cases) if drop_held else set()

    read, held = await ctx.read(load) if stations or institutions or (drop_held and cases) else (NO_RECORDS, set())
    if seen_now is not None and (stations or institutions):
        ctx.services.named_cache.keep(seen_now, stations, institutions, read)
    named = known + read
    shown = ctx.loaders.shown
    shown.police_stations.update((s.id, s) for s in named.stations)
    shown.institutions.update((i.id, i) for i in named.institutions)
    return Lookup(named.references(), held)


def resolved_cases(cases: Sequence[CaseData], lookup: Lookup, fetched_at: datetime) -> list[RemoteCase]:
    """Row values for ``cases`` (already mapped and validated by their connector), references resolved leniently
    with ``lookup`` (made for these cases or more); the copies it found held are left out."""
    out: list[RemoteCase] = []
    for case in cases:
        assert case.external_id is not None  # connectors always give their own id
        if (case.source, case.external_id) in lookup.held:
            continue
        try:
            resolved = lookup.references.resolve(case, lenient=True)
        except BadUserInput:  # e.g. a police station the hub places in another district: not this record's truth
            resolved = lookup.references.resolve(_without_station(case), lenient=True)
        out.append(_remote_case(case, resolved, fetched_at, settled=True))
    return out


def settled_cases(provisional: Sequence[RemoteCase], lookup: Lookup) -> list[RemoteCase]:
    """``provisional`` rows (``provisional_cases``) with their references resolved as ``resolved_cases`` would:
    only the reference columns change, so the rest of each row is reused, not built again."""
    out: list[RemoteCase] = []
    for remote in provisional:
        case = remote.case
        assert case.external_id is not None
        if (case.source, case.external_id) in lookup.held:
            continue
        try:
            resolved = lookup.references.resolve(case, lenient=True)
        except BadUserInput:  # as in ``resolved_cases``
            resolved = lookup.references.resolve(_without_station(case), lenient=True)
        row = with_references(remote.row, case, resolved)
        out.append(replace(remote, row=row, settled=True))
    return out


async def remote_cases(
    ctx: Context,
    cases: Sequence[CaseData],
    fetched_at: datetime,
    *,
    drop_held: bool = False,
    seen: Awaitable[Fingerprint] | None = None,
) -> list[RemoteCase]:
    """``resolved_cases`` after ``look_up``: at most one read for the batch."""
    return resolved_cases(cases, await look_up(ctx, cases, drop_held=drop_held, seen=seen), fetched_at)


def provisional_cases(cases: Sequence[CaseData], fetched_at: datetime) -> list[RemoteCase]:
    """Row values for ``cases`` without reading the store: no police station or institution id yet (codes kept),
    the district as the record gives it. Enough to filter and order records that name their district when the
    filter names no station or institution (``needs_references``); ``remote_cases`` settles the few shown."""
    out = []
    for case in cases:
        assert case.external_id is not None
        pending = {"police_station_id": None, "institution_id": None, "district_code": case.place.district}
        out.append(_remote_case(case, {**pending, "unresolved": {}}, fetched_at, settled=False))
    return out


def needs_references(cases: Sequence[CaseData], *, by_station_or_institution: bool) -> bool:
    """Whether filtering ``cases`` needs their references first: the filter names a station or institution, or a
    record names a station but no district (its district is then the station's)."""
    return by_station_or_institution or any(c.place.district is None and c.place.police_station for c in cases)


def _remote_case(case: CaseData, resolved: dict[str, Any], fetched_at: datetime, *, settled: bool) -> RemoteCase:
    assert case.external_id is not None
    case_id = remote_id(case.source, case.external_id)
    made = live_records(case, case_id, f"{case_id}:child", resolved, fetched_at)
    return RemoteCase(made.case, made.child, made.guardians, made.aliases, case.kind, case, settled)


def prime(ctx: Unit, remote: RemoteCase) -> LiveCaseRecord:
    """One live record's records primed into the unit's loaders (the record rule then decides on them); its case
    record."""
    row, child_id = remote.row, remote.child.id
    ctx.loaders.case_by_id.prime(row.id, row)
    ctx.loaders.child_by_id.prime(child_id, remote.child)
    ctx.loaders.cases_by_child_id.prime(child_id, [row])
    ctx.loaders.guardians_by_child_id.prime(child_id, list(remote.guardians))
    ctx.loaders.aliases_by_child_id.prime(child_id, remote.aliases)
    ctx.loaders.events_by_case_id.prime(row.id, [])
    return row


async def fetch_remote(ctx: Context, source: str, external_id: str) -> RemoteCase | None:
    """One live record by its source's id, within the fan-out deadline; None when the source does not hold it."""
    connector = next((c for c in ctx.services.connectors if c.id == source), None)
    if connector is None:
        return None
    deadline = time.monotonic() + ctx.services.settings.fanout_deadline_ms / 1000
    case = await connector.get(external_id, deadline=deadline)  # an UpstreamError is the answer if it fails
    if case is None:
        return None
    remote = (await remote_cases(ctx, [case], datetime.now(UTC)))[0]
    prime(ctx, remote)
    return remote


def _without_station(case: CaseData) -> CaseData:
    return replace(case, place=replace(case.place, police_station=None))
