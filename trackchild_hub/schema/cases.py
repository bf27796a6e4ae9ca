"""Cases: the ``Case`` interface (no protected fields, as Federation 2.9 requires) and its three kinds."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from ..domain import enums
from ..resolvers.context import Info
from ..store.case_records import CaseRecord
from ..store.models import CaseEventRow, CaseRow
from .access import IDENTITY, protected, public, public_type
from .children import Child
from .direct_resolvers import direct
from .enums import CaseEventType, CaseKind, CaseStatus
from .geography import District, State

if TYPE_CHECKING:
    from .directory import PoliceStation


@public_type
@strawberry.type(description="Where a record comes from and under which id (local, imported, synced or live).")
class Provenance:
    source: str = strawberry.field(description="The system of record: 'hub', a connector id, an import source.")
    external_id: str = strawberry.field(description="The record's id in that system.")
    fetched_at: datetime = strawberry.field(description="When the hub received this version of the record.")


# Relations resolve without an awaitable when their row came with the page (``resolvers.cases``): graphql-core then
# completes a whole page synchronously instead of making a task per field and gathering them.
StationOrNone = Annotated["PoliceStation", strawberry.lazy(".directory")] | None


@direct
def _police_station(root: Place, info: Info) -> PoliceStation | Awaitable[PoliceStation | None] | None:
    from .directory import PoliceStation

    station_id = root._police_station_id
    if station_id is None:
        return None
    loaders = info.context.loaders
    row = loaders.shown.police_stations.get(station_id) or loaders.directory_entry_by_id.known(station_id)
    return PoliceStation.of(row) if row is not None else _load_police_station(station_id, info)


async def _load_police_station(station_id: str, info: Info) -> PoliceStation | None:
    from .directory import PoliceStation

    row = await info.context.loaders.directory_entry_by_id.one(station_id)
    return PoliceStation.of(row) if row is not None else None


@direct
def _state(root: Place, info: Info) -> State:
    state = info.context.geography.state(root._state_code)
    assert state is not None  # validated on write
    return State.of(state)


@direct
def _district(root: Place, info: Info) -> District | None:
    district = info.context.geography.district(root._district_code) if root._district_code else None
    return District.of(district) if district else None


@strawberry.type(description="Where the child was last seen (MISSING), found (FOUND) or is cared for (CARE).")
class Place:
    text: str | None = public("The place in words.")
    latitude: float | None = public("WGS 84 latitude.")
    longitude: float | None = public("WGS 84 longitude.")
    state: State = public("State or UT.", resolver=_state)
    district: District | None = public("District.", resolver=_district)
    police_station: StationOrNone = public(
        "The police station with jurisdiction.", resolver=_police_station, graphql_type=StationOrNone
    )
    _state_code: strawberry.Private[str]
    _district_code: strawberry.Private[str | None]
    _police_station_id: strawberry.Private[str | None]


@strawberry.type(description="An entry on a case's timeline.")
class CaseEvent:
    type: CaseEventType = public("What happened.")
    at: datetime = public("When it happened.")
    actor: str | None = public("Who did it (subject of the token, or the import source).")
    fields: list[str] = public("For UPDATED: the names of the fields that changed (never their values).")
    note: str | None = protected(IDENTITY, "Free-text note; may name people, so identity-protected.")

    _case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "Case", self._case_id

    @classmethod
    def of(cls, row: CaseEventRow) -> CaseEvent:
        changed = row.data.get("fields", [])
        return cls(
            type=enums.CaseEventType(row.type),
            at=row.at,
            actor=row.actor,
            note=row.note,
            fields=[str(f) for f in changed] if isinstance(changed, list) else [],
            _case_id=row.case_id,
        )


@direct
def _child(root: Case, info: Info) -> Child | Awaitable[Child]:
    loaders = info.context.loaders
    row = loaders.shown.children.get(root._row.child_id) or loaders.child_by_id.known(root._row.child_id)
    return Child.of(row) if row is not None else _load_child(root._row.child_id, info)


async def _load_child(child_id: str, info: Info) -> Child:
    row = await info.context.loaders.child_by_id.one(child_id)
    assert row is not None  # foreign key
    return Child.of(row)


async def _events(root: Case, info: Info) -> list[CaseEvent]:
    return [CaseEvent.of(e) for e in await info.context.loaders.events_by_case_id.one(root._row.id) or []]


@direct
def _place(root: Case) -> Place:
    r = root._row
    return Place(
        text=r.place_text,
        latitude=r.latitude,
        longitude=r.longitude,
        _state_code=r.state_code,
        _district_code=r.district_code,
        _police_station_id=r.police_station_id,
    )


@direct
def _provenance(root: Case) -> Provenance:
    return Provenance(source=root._row.source, external_id=root._row.external_id, fetched_at=root._row.created_at)


@strawberry.interface(description="A case about a child. Identity lives on Child and on the concrete kinds.")
class Case:
    id: strawberry.ID = public("The hub's id of the case.")
    kind: CaseKind = public("MISSING, FOUND or CARE.")
    reference: str = public("Human reference: state, year, sequence (WB-2026-000123).")
    status: CaseStatus = public("OPEN, RESOLVED or CLOSED.")
    version: int = public("Send this back with updateCase/transferCase/closeCase (optimistic concurrency).")
    event_date: date = public("Last seen (MISSING), found (FOUND) or admitted (CARE).")
    reported_at: datetime = public("When the case was reported.")
    updated_at: datetime = public("Last change.")
    closure_reason: str | None = public(
        "Why the case was resolved or closed. Free text: each kind serves it with child:identity only (the "
        "interface itself may not carry @requiresScopes in Federation 2.9)."
    )
    place: Place = public("Where.", resolver=_place)
    child: Child = public("The child.", resolver=_child, graphql_type=Child)
    events: list[CaseEvent] = public("The case timeline, oldest first.", resolver=_events)
    provenance: Provenance = public("Where this record comes from.", resolver=_provenance)
    _row: strawberry.Private[Any]

    @staticmethod
    def common(row: CaseRow | CaseRecord) -> dict[str, Any]:
        return {
            "id": strawberry.ID(row.id),
            "kind": enums.CaseKind(row.kind),
            "reference": row.reference,
            "status": enums.CaseStatus(row.status),
            "version": row.version,
            "event_date": row.event_date,
            "reported_at": row.reported_at,
            "updated_at": row.updated_at,
            "closure_reason": row.closure_reason,
            "_row": row,
        }


@direct
def _days_since_event(root: Case, info: Info) -> int:
    row: CaseRow | CaseRecord = root._row
    end = info.context.today if row.status == enums.CaseStatus.OPEN.value else row.updated_at.date()
    return max(0, (end - row.event_date).days)
