"""What the directory queries and mutations return besides entries: distances, covering bodies, quality, history."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from ..directories.quality import QualityReport
from ..resolvers.context import Info
from ..services.directory import Covering
from ..store.models import DirectoryChangeRow, DirectoryEntryRow
from .access import public_type
from .directory import DirectoryEntry, directory_entry_of
from .enums import DirectoryKind
from .geography import District


@public_type
@strawberry.type(description="A directory entry and how far it is from the point asked about.")
class NearbyEntry:
    entry: DirectoryEntry = strawberry.field(description="The entry.")
    distance_km: float = strawberry.field(description="Great-circle distance in kilometres.")

    @classmethod
    def of(cls, row: DirectoryEntryRow, km: float) -> NearbyEntry:
        return cls(entry=directory_entry_of(row), distance_km=round(km, 3))


def _of_kind(rows: list[DirectoryEntryRow], kind: str) -> list[DirectoryEntry]:
    return [directory_entry_of(r) for r in rows if r.kind == kind]


@public_type
@strawberry.type(description="Who covers a place: the bodies whose jurisdiction contains its district or PIN code.")
class CoveringBodies:
    district: District | None = strawberry.field(description="The district looked at (given, or the PIN's).")
    pin_code: str | None = strawberry.field(description="The PIN code asked about.")
    _rows: strawberry.Private[list[DirectoryEntryRow]]

    @strawberry.field(description="Police stations covering the PIN code (without one: the district's).")
    def police_stations(self) -> list[DirectoryEntry]:
        return _of_kind(self._rows, "POLICE_STATION")

    @strawberry.field(description="Child Welfare Committees covering the district.")
    def child_welfare_committees(self) -> list[DirectoryEntry]:
        return _of_kind(self._rows, "CHILD_WELFARE_COMMITTEE")

    @strawberry.field(description="District Child Protection Units covering the district.")
    def district_child_protection_units(self) -> list[DirectoryEntry]:
        return _of_kind(self._rows, "DISTRICT_CHILD_PROTECTION_UNIT")

    @strawberry.field(description="Juvenile Justice Boards covering the district.")
    def juvenile_justice_boards(self) -> list[DirectoryEntry]:
        return _of_kind(self._rows, "JUVENILE_JUSTICE_BOARD")

    @strawberry.field(description="Special Juvenile Police Units covering the district.")
    def special_juvenile_police_units(self) -> list[DirectoryEntry]:
        return _of_kind(self._rows, "SPECIAL_JUVENILE_POLICE_UNIT")

    @classmethod
    def of(cls, covering: Covering, info: Info) -> CoveringBodies:
        found = info.context.geography.district(covering.district) if covering.district else None
        return cls(district=District.of(found) if found else None, pin_code=covering.pin_code, _rows=covering.bodies)


@public_type
@strawberry.type(description="A district lacking a body every district must have.")
class DistrictGap:
    district: District = strawberry.field(description="The district.")
    missing: list[DirectoryKind] = strawberry.field(description="Kinds it has no active entry of (CWC, JJB, DCPU).")


async def _entries(info: Info, ids: list[str]) -> list[DirectoryEntry]:
    rows = [await info.context.loaders.directory_entry_by_id.one(i) for i in ids]
    return [directory_entry_of(r) for r in rows if r is not None]


@public_type  # the whole type is gated where it is served: directoryQuality needs reports:read or directory:write
@strawberry.type(description="Entries and districts to fix first, in the caller's jurisdiction.")
class DirectoryQualityReport:
    as_of: date = strawberry.field(description="The day the report was computed for.")
    entries: int = strawberry.field(description="Active entries in the jurisdiction.")
    stale_count: int = strawberry.field(description="Entries not verified in the last 12 months (or never).")
    without_phone_count: int = strawberry.field(description="Entries without a phone number.")
    stations_without_sjpu_count: int = strawberry.field(description="Police stations without a covering SJPU.")
    district_gaps: list[DistrictGap] = strawberry.field(description="Districts without a CWC, a JJB or a DCPU.")
    _report: strawberry.Private[QualityReport]
    _first: strawberry.Private[int]

    @strawberry.field(description="The stale entries, in id order (at most `first`).")
    async def stale(self, info: Info) -> list[DirectoryEntry]:
        return await _entries(info, self._report.stale[: self._first])

    @strawberry.field(description="The entries without a phone (at most `first`).")
    async def without_phone(self, info: Info) -> list[DirectoryEntry]:
        return await _entries(info, self._report.without_phone[: self._first])

    @strawberry.field(description="The police stations without a covering SJPU (at most `first`).")
    async def stations_without_sjpu(self, info: Info) -> list[DirectoryEntry]:
        return await _entries(info, self._report.stations_without_sjpu[: self._first])

    @classmethod
    def of(cls, report: QualityReport, first: int, info: Info) -> DirectoryQualityReport:
        geo = info.context.geography
        gaps = [(geo.district(g.district), g) for g in report.district_gaps]
        return cls(
            as_of=report.as_of,
            entries=report.entries,
            stale_count=len(report.stale),
            without_phone_count=len(report.without_phone),
            stations_without_sjpu_count=len(report.stations_without_sjpu),
            district_gaps=[DistrictGap(district=District.of(d), missing=list(g.missing)) for d, g in gaps if d][:first],
            _report=report,
            _first=first,
        )


@public_type  # gated where served: directoryChanges needs reports:read or directory:write
@strawberry.type(description="One change to a directory entry: who, when, how, which fields.")
class DirectoryChange:
    action: str = strawberry.field(description="CREATED, UPDATED or RETIRED.")
    fields: list[str] = strawberry.field(description="Names of the fields changed ('*' for a new entry).")
    actor: str = strawberry.field(description="Who: the token's subject, or the import's actor.")
    agency: str | None = strawberry.field(description="The actor's agency role.")
    via: str = strawberry.field(description="graphql or import.")
    changed_at: datetime = strawberry.field(description="When.")

    @classmethod
    def of(cls, row: DirectoryChangeRow) -> DirectoryChange:
        return cls(
            action=row.action,
            fields=list(row.fields),
            actor=row.actor,
            agency=row.agency,
            via=row.via,
            changed_at=row.changed_at,
        )


__all__ = ["CoveringBodies", "DirectoryChange", "DirectoryQualityReport", "DistrictGap", "NearbyEntry"]
