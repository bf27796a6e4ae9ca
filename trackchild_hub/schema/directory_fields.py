"""The directory's root fields beyond ``directory``: ``nearest``, ``coveringBodies``, ``directoryQuality``,
``directoryChanges``, and the mutations ``upsertDirectoryEntry`` and ``retireDirectoryEntry``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ..auth.scopes import Scope
from ..resolvers.context import Info
from ..services import directory as service
from ..services import record_rule as rule
from .access import PUBLIC_RECORD, any_of, operation, public_operation
from .directory import DirectoryEntry, directory_entry_of
from .directory_inputs import UpsertDirectoryEntryInput
from .directory_results import CoveringBodies, DirectoryChange, DirectoryQualityReport, NearbyEntry
from .enums import DirectoryKind


async def _nearest(
    info: Info,
    kind: DirectoryKind,
    latitude: Annotated[float, strawberry.argument(description="WGS 84 latitude of the place.")],
    longitude: Annotated[float, strawberry.argument(description="WGS 84 longitude of the place.")],
    first: int = 5,
) -> list[NearbyEntry]:
    found = await service.nearest(info.context, kind, latitude, longitude, first)
    return [NearbyEntry.of(row, km) for row, km in found]


async def _covering(
    info: Info,
    state: Annotated[str, strawberry.argument(description="LGD state code.")],
    district: Annotated[str | None, strawberry.argument(description="LGD district code.")] = None,
    pin_code: Annotated[str | None, strawberry.argument(description="PIN code of the place.")] = None,
) -> CoveringBodies:
    return CoveringBodies.of(await service.covering_bodies(info.context, state, district, pin_code), info)


async def _quality(
    info: Info,
    state: Annotated[str | None, strawberry.argument(description="LGD state code (default: your state).")] = None,
    district: Annotated[str | None, strawberry.argument(description="LGD district code.")] = None,
    first: Annotated[int, strawberry.argument(description="At most this many items per list.")] = 100,
) -> DirectoryQualityReport:
    report = await service.quality(info.context, state, district)
    return DirectoryQualityReport.of(report, max(0, first), info)


async def _changes(info: Info, entry_id: strawberry.ID, first: int = 50) -> list[DirectoryChange]:
    return [DirectoryChange.of(r) for r in await service.changes(info.context, str(entry_id), first)]


async def _upsert(info: Info, input: UpsertDirectoryEntryInput) -> DirectoryEntry:
    return directory_entry_of(await service.upsert(info.context, input.to_domain()))


async def _retire(info: Info, id: strawberry.ID) -> DirectoryEntry:
    return directory_entry_of(await service.retire(info.context, str(id)))


DIRECTORY_DATA = "directories are public (CONTRACT.md: the public role sees directories)"
DIRECTORY_WRITE = any_of(Scope.DIRECTORY_WRITE)
DIRECTORY_READERS = any_of(Scope.REPORTS_READ, Scope.DIRECTORY_WRITE)

NEAREST = public_operation(
    "Entries of a kind nearest a point, by great-circle distance, nearest first.", resolver=_nearest, why=DIRECTORY_DATA
)
COVERING_BODIES = public_operation(
    "Who covers a place: the police station, CWC, JJB, DCPU and SJPU for a district and/or PIN code.",
    resolver=_covering,
    why=DIRECTORY_DATA,
)
DIRECTORY_QUALITY = operation(
    DIRECTORY_READERS,
    "Directory data quality in your jurisdiction: stale entries, missing phones, districts without a CWC, JJB "
    "or DCPU, police stations without an SJPU (reports:read or directory:write).",
    resolver=_quality,
)
DIRECTORY_CHANGES = operation(
    DIRECTORY_READERS,
    "Who changed a directory entry of your jurisdiction and when, newest first (reports:read or directory:write).",
    resolver=_changes,
    records={"entryId": rule.directory_entry_named},
)
UPSERT_DIRECTORY_ENTRY = operation(
    DIRECTORY_WRITE,
    "Add or replace a directory entry inside your jurisdiction (directory:write); every change is recorded.",
    resolver=_upsert,
    records={
        "input.id": rule.directory_entry_to_replace,
        # Other public entries it links to: their existence and kind are checked, nothing of theirs changes.
        "input.institution": PUBLIC_RECORD,
        "input.specialJuvenilePoliceUnit": PUBLIC_RECORD,
        "input.antiHumanTraffickingUnit": PUBLIC_RECORD,
    },
)
RETIRE_DIRECTORY_ENTRY = operation(
    DIRECTORY_WRITE,
    "Retire a directory entry of your jurisdiction: gone from search, nearest and coverage, kept for history "
    "(directory:write).",
    resolver=_retire,
    records={"id": rule.directory_entry_named},
)
