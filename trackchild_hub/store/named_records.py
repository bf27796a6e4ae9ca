"""The police stations and institutions a batch of cases names, read whole: to resolve the cases' references and to
show the stations and institutions on the same page without reading them again."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.records import CaseData
from .case_records import DirectoryEntryRecord, InstitutionRecord, columns
from .case_references import References, institution_named, institution_refs, station_named


@dataclass(frozen=True, slots=True)
class NamedRecords:
    stations: list[DirectoryEntryRecord]
    institutions: list[InstitutionRecord]

    def __add__(self, other: NamedRecords) -> NamedRecords:
        return NamedRecords([*self.stations, *other.stations], [*self.institutions, *other.institutions])

    def references(self) -> References:
        """What ``References.load`` would give for the same cases (no child ids: live records name none)."""
        stations = ((s.id, s.code, s.state_code, s.district_code) for s in self.stations)
        return References.of(stations, ((i.id, i.registration_number) for i in self.institutions), set())


NO_RECORDS = NamedRecords([], [])


def named_refs(cases: Sequence[CaseData]) -> tuple[set[str], set[str]]:
    """What ``cases`` name: (police station ids or codes, institution ids or registration numbers)."""
    stations = {c.place.police_station for c in cases if c.place.police_station}
    return stations, {r for c in cases for r in institution_refs(c)}


async def named_records(
    session: AsyncSession, stations: Collection[str], institutions: Collection[str]
) -> NamedRecords:
    """The police stations in service and the institutions named by these refs: at most two statements (none for
    no refs), on the session's connection, as Core rows."""
    connection = await session.connection()
    found_stations: list[DirectoryEntryRecord] = []
    found_institutions: list[InstitutionRecord] = []
    if stations:
        rows = await connection.execute(select(*_STATION_COLUMNS).where(station_named(stations)))
        found_stations = [DirectoryEntryRecord(*row) for row in rows]
    if institutions:
        rows = await connection.execute(select(*_INSTITUTION_COLUMNS).where(institution_named(institutions)))
        found_institutions = [InstitutionRecord(*row) for row in rows]
    return NamedRecords(found_stations, found_institutions)


_STATION_COLUMNS = columns(DirectoryEntryRecord)
_INSTITUTION_COLUMNS = columns(InstitutionRecord)
