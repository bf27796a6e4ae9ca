"""Per process: the police stations and institutions live records named, kept while both tables stay unchanged.

A federated page showing live records' stations or institutions would otherwise read them after the slowest system
answers. Instead each such request first reads a fingerprint of the two tables (rows, latest change: one statement,
run while the systems are awaited) and uses only what the cache holds under that same fingerprint; the refs it does
not hold are read and kept. Any write by any process (upsert, retire and import of directory entries move
``updated_at``; institutions are only ever added, which moves the count and ``created_at``) moves the fingerprint, so
the next request starts from an empty cache: a directory write shows on the next request, in every worker.

Refs known not to exist are kept too (``None``): a new entry moves the count. What a request read is kept only if the
cache still stands at the fingerprint that request saw (entries read under an older one are not kept). The limit
bounds memory (past it the cache starts over). The fingerprint trusts ``updated_at`` to grow with each write, as the
directory's text search does (``directory_search``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .case_records import DirectoryEntryRecord, InstitutionRecord
from .models import DirectoryEntryRow, InstitutionRow
from .named_records import NamedRecords

Fingerprint = tuple[int, datetime | None, int, datetime | None]


async def fingerprint(session: AsyncSession) -> Fingerprint:
    """(directory entries, their latest ``updated_at``, institutions, their latest ``created_at``): one statement."""
    entries, institutions = DirectoryEntryRow, InstitutionRow
    row = (
        await session.execute(
            select(
                select(func.count()).select_from(entries).scalar_subquery(),
                select(func.max(entries.updated_at)).scalar_subquery(),
                select(func.count()).select_from(institutions).scalar_subquery(),
                select(func.max(institutions.created_at)).scalar_subquery(),
            )
        )
    ).one()
    return int(row[0]), row[1], int(row[2]), row[3]


class NamedCache:
    """One per process (held by the services); safe to share between requests of one event loop."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._fingerprint: Fingerprint | None = None
        self._stations: dict[str, DirectoryEntryRecord | None] = {}
        self._institutions: dict[str, InstitutionRecord | None] = {}

    def known(
        self, seen: Fingerprint, stations: Collection[str], institutions: Collection[str]
    ) -> tuple[NamedRecords, set[str], set[str]]:
        """What the cache holds of these refs under ``seen`` (the fingerprint the request read), and the refs it
        does not hold: (records found, station refs to read, institution refs to read)."""
        if seen != self._fingerprint:
            self._start(seen)
        found_stations = {s.id: s for r in stations if (s := self._stations.get(r)) is not None}
        found_institutions = {i.id: i for r in institutions if (i := self._institutions.get(r)) is not None}
        return (
            NamedRecords(list(found_stations.values()), list(found_institutions.values())),
            {r for r in stations if r not in self._stations},
            {r for r in institutions if r not in self._institutions},
        )

    def keep(
        self, seen: Fingerprint, stations: Collection[str], institutions: Collection[str], read: NamedRecords
    ) -> None:
        """Keep what was read for these refs (those not found as ``None``), if the cache still stands at ``seen``."""
        if seen != self._fingerprint:
            return
        if len(self._stations) + len(self._institutions) + len(stations) + len(institutions) > self.limit:
            self._start(seen)
        by_station = {k: s for s in read.stations for k in (s.id, s.code) if k}
        by_institution = {k: i for i in read.institutions for k in (i.id, i.registration_number)}
        self._stations.update((r, by_station.get(r)) for r in stations)
        self._institutions.update((r, by_institution.get(r)) for r in institutions)

    def _start(self, seen: Fingerprint) -> None:
        self._fingerprint = seen
        self._stations = {}
        self._institutions = {}
