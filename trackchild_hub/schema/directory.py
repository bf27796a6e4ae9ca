"""Resource directory entries: one interface, a concrete type per kind (public read)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from ..domain.enums import DirectoryKind as Kind
from ..resolvers.context import Info
from ..store.case_records import DirectoryEntryRecord
from ..store.models import DirectoryEntryRow
from .access import public_type
from .enums import DirectoryKind
from .functionaries import Coverage, Functionary
from .geography import District, State
from .institutions import Institution


@public_type
@strawberry.interface(description="An entry of the resource directories: who to call, where, when.")
class DirectoryEntry:
    id: strawberry.ID = strawberry.field(description="Stable id of the entry (PS-19-342-001, ...).")
    kind: DirectoryKind = strawberry.field(description="What kind of body this is.")
    name: str = strawberry.field(description="Name.")
    address: str | None = strawberry.field(description="Postal address.")
    pin_code: str | None = strawberry.field(description="PIN code.")
    latitude: float | None = strawberry.field(description="WGS 84 latitude.")
    longitude: float | None = strawberry.field(description="WGS 84 longitude.")
    phones: list[str] = strawberry.field(description="Phone numbers, E.164 (or short codes such as 1098).")
    email: str | None = strawberry.field(description="E-mail.")
    hours: str | None = strawberry.field(description="Opening hours ('24x7', '10:00-17:30 Mon-Sat').")
    languages: list[str] = strawberry.field(description="Languages spoken, ISO 639 codes.")
    last_verified_on: date | None = strawberry.field(description="When the details were last checked.")
    _row: strawberry.Private[DirectoryEntryRow | DirectoryEntryRecord]

    @strawberry.field(description="State or UT (null for national bodies).")
    def state(self, info: Info) -> State | None:
        state = info.context.geography.state(self._row.state_code) if self._row.state_code else None
        return State.of(state) if state else None

    @strawberry.field(description="District (null for state-level and national bodies).")
    def district(self, info: Info) -> District | None:
        code = self._row.district_code
        district = info.context.geography.district(code) if code else None
        return District.of(district) if district else None

    @strawberry.field(description="Its functionaries (contact details for authenticated agencies only).")
    async def functionaries(self, info: Info) -> list[Functionary]:
        rows = await info.context.loaders.functionaries_by_entry_id.one(self._row.id) or []
        return [Functionary.of(r) for r in rows]

    @strawberry.field(description="The districts and PIN codes it covers.")
    async def coverage(self, info: Info) -> Coverage:
        return Coverage.of(await info.context.loaders.coverage_by_entry_id.one(self._row.id) or [])

    @staticmethod
    def common(row: DirectoryEntryRow | DirectoryEntryRecord) -> dict[str, Any]:
        return {
            "id": strawberry.ID(row.id),
            "kind": Kind(row.kind),
            "name": row.name,
            "address": row.address,
            "pin_code": row.pin_code,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "phones": list(row.phones),
            "email": row.email,
            "hours": row.hours,
            "languages": list(row.languages),
            "last_verified_on": row.last_verified_on,
            "_row": row,
        }


@public_type
@strawberry.federation.type(keys=["id"], description="A police station.")
class PoliceStation(DirectoryEntry):
    cctns_code: str | None = strawberry.field(description="The station's CCTNS code.")

    @strawberry.field(description="The Special Juvenile Police Unit covering the station.")
    async def special_juvenile_police_unit(self, info: Info) -> DirectoryEntry | None:
        return await _linked(info, self._row.sjpu_id)

    @strawberry.field(description="The Anti Human Trafficking Unit covering the station.")
    async def anti_human_trafficking_unit(self, info: Info) -> DirectoryEntry | None:
        return await _linked(info, self._row.ahtu_id)

    @classmethod
    def of(cls, row: DirectoryEntryRow | DirectoryEntryRecord) -> PoliceStation:
        return cls(**DirectoryEntry.common(row), cctns_code=row.code)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> PoliceStation | None:
        row = await info.context.loaders.directory_entry_by_id.one(str(id))
        return cls.of(row) if row is not None and row.kind == Kind.POLICE_STATION.value else None


@public_type
@strawberry.type(description="A Child Care Institution's directory listing.")
class ChildCareInstitutionEntry(DirectoryEntry):
    @strawberry.field(description="The institution record.")
    async def institution(self, info: Info) -> Institution | None:
        institution_id = self._row.institution_id
        row = await info.context.loaders.institution_by_id.one(institution_id) if institution_id else None
        return Institution.of(row) if row is not None else None


async def _linked(info: Info, entry_id: str | None) -> DirectoryEntry | None:
    row = await info.context.loaders.directory_entry_by_id.one(entry_id) if entry_id else None
    return directory_entry_of(row) if row is not None and row.retired_at is None else None


def _plain(name: str, description: str) -> type[DirectoryEntry]:
    cls = type(name, (DirectoryEntry,), {"__doc__": description})
    return public_type(strawberry.type(cls, description=description))


ChildWelfareCommittee = _plain("ChildWelfareCommittee", "A Child Welfare Committee (JJ Act s.27).")
JuvenileJusticeBoard = _plain("JuvenileJusticeBoard", "A Juvenile Justice Board (JJ Act s.4).")
DistrictChildProtectionUnit = _plain("DistrictChildProtectionUnit", "A District Child Protection Unit.")
StateChildProtectionSociety = _plain("StateChildProtectionSociety", "A State Child Protection Society.")
SpecialJuvenilePoliceUnit = _plain("SpecialJuvenilePoliceUnit", "A Special Juvenile Police Unit.")
AntiHumanTraffickingUnit = _plain("AntiHumanTraffickingUnit", "An Anti Human Trafficking Unit.")
Helpline = _plain("Helpline", "A helpline (Childline 1098, state helplines).")
Hospital = _plain("Hospital", "A hospital.")
LegalServicesAuthority = _plain("LegalServicesAuthority", "A Legal Services Authority (NALSA, SLSA, DLSA).")

_BY_KIND: dict[Kind, type[DirectoryEntry]] = {
    Kind.POLICE_STATION: PoliceStation,
    Kind.CHILD_CARE_INSTITUTION: ChildCareInstitutionEntry,
    Kind.CHILD_WELFARE_COMMITTEE: ChildWelfareCommittee,
    Kind.JUVENILE_JUSTICE_BOARD: JuvenileJusticeBoard,
    Kind.DISTRICT_CHILD_PROTECTION_UNIT: DistrictChildProtectionUnit,
    Kind.STATE_CHILD_PROTECTION_SOCIETY: StateChildProtectionSociety,
    Kind.SPECIAL_JUVENILE_POLICE_UNIT: SpecialJuvenilePoliceUnit,
    Kind.ANTI_HUMAN_TRAFFICKING_UNIT: AntiHumanTraffickingUnit,
    Kind.HELPLINE: Helpline,
    Kind.HOSPITAL: Hospital,
    Kind.LEGAL_SERVICES_AUTHORITY: LegalServicesAuthority,
}
DIRECTORY_TYPES = tuple(_BY_KIND.values())


def directory_entry_of(row: DirectoryEntryRow) -> DirectoryEntry:
    if row.kind == Kind.POLICE_STATION.value:
        return PoliceStation.of(row)
    return _BY_KIND[Kind(row.kind)](**DirectoryEntry.common(row))
