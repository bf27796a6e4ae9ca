"""Records fetched live from a connector, held as transient rows so the schema serves them like stored ones.

A live record never touches the store: its rows are built in memory with the same builders the writers use, given
ids that say where they come from (``remote:<source>:<external id>``). Filtering and ordering work on plain values;
only the records a page shows become (transient) ORM rows, primed into the request's loaders, so
``child``, ``guardians``, ``aliases``, ``events`` and ``child.cases`` resolve without a query. The same record asked
for by id later (``case(id:)``, ``_entities``) is fetched again from its connector.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.instrumentation import manager_of_class

from ..domain.enums import CaseKind
from ..domain.errors import BadUserInput
from ..domain.records import CaseData
from ..store.case_references import References
from ..store.case_rows import Rows, case_row, child_rows
from ..store.models import CareCaseRow, CaseRow, ChildRow, FoundCaseRow, GuardianRow, MissingCaseRow
from ..store.named_cache import Fingerprint
from ..store.named_records import NO_RECORDS, NamedRecords, named_records, named_refs
from .context import Context

PREFIX = "remote:"
_ROW_CLASS: dict[CaseKind, type[CaseRow]] = {
    CaseKind.MISSING: MissingCaseRow,
    CaseKind.FOUND: FoundCaseRow,
    CaseKind.CARE: CareCaseRow,
}


@dataclass(frozen=True, slots=True)
class RemoteCase:
    """A live record as row values (cheap to filter and sort); ``prime`` turns the few shown into ORM rows."""

    row: SimpleNamespace  # the case row's columns as attributes (what ``row_matches`` reads)
    child: SimpleNamespace
    guardians: list[dict[str, Any]]
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

    async def load(session: AsyncSession) -> tuple[NamedRecords, set[tuple[str, str]]]:
        read = await named_records(session, stations, institutions)
        return read, await _held(session, cases) if drop_held else set()

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
        row = SimpleNamespace(**vars(remote.row))
        row.district_code = resolved["district_code"]
        row.police_station_id = resolved["police_station_id"]
        if resolved["unresolved"]:
            row.extra = {**case.extra, "unresolved": resolved["unresolved"]}
        if hasattr(row, "institution_id"):  # FOUND and CARE rows
            row.institution_id = resolved["institution_id"]
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
    child_id = f"{case_id}:child"
    rows: Rows = {"children": [], "guardians": [], "aliases": []}
    child_rows(rows, child_id, case.child, case.event_date, fetched_at)
    values = case_row(case, case_id, child_id, case.reference or case.external_id, resolved, fetched_at)
    aliases = [a["alias"] for a in rows["aliases"]]
    child = SimpleNamespace(**rows["children"][0])
    return RemoteCase(SimpleNamespace(**values), child, rows["guardians"], aliases, case.kind, case, settled)


def prime(ctx: Context, remote: RemoteCase) -> CaseRow:
    """Transient ORM rows for one live record, primed into the request's loaders; the case row."""
    row: CaseRow = _build(_ROW_CLASS[remote.kind], vars(remote.row))
    child_id = remote.child.id
    ctx.loaders.case_by_id.prime(row.id, row)
    ctx.loaders.child_by_id.prime(child_id, _build(ChildRow, vars(remote.child)))
    ctx.loaders.cases_by_child_id.prime(child_id, [row])
    ctx.loaders.guardians_by_child_id.prime(child_id, [_build(GuardianRow, g) for g in remote.guardians])
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


async def _held(session: AsyncSession, cases: Sequence[CaseData]) -> set[tuple[str, str]]:
    """(source, external id) of the ``cases`` the store holds a copy of: one statement for every source."""
    wanted: dict[str, list[str]] = {}
    for case in cases:
        wanted.setdefault(case.source, []).append(case.external_id or "")
    query = select(CaseRow.source, CaseRow.external_id).where(
        or_(*(and_(CaseRow.source == source, CaseRow.external_id.in_(ids)) for source, ids in wanted.items()))
    )
    return {(s, e) for s, e in await session.execute(query)}


def _without_station(case: CaseData) -> CaseData:
    return replace(case, place=replace(case.place, police_station=None))


def _build(cls: type[Any], values: dict[str, Any]) -> Any:
    """A transient row holding ``values`` (its columns' only): never added to a session, only read.

    The values go straight into the instance's dict, as SQLAlchemy's loading does, not through the constructor's
    instrumented ``setattr`` per attribute (a third of the cost of priming a page of live records).
    """
    names = _COLUMNS.get(cls)
    if names is None:  # the mapper's inspection costs more than building the row: once per class
        names = _COLUMNS[cls] = frozenset(inspect(cls).attrs.keys())
    row = manager_of_class(cls).new_instance()
    row.__dict__.update({k: v for k, v in values.items() if k in names})
    return row


_COLUMNS: dict[type[Any], frozenset[str]] = {}
