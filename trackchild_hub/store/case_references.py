"""Foreign references a case names (police station, institution, existing child), checked against the store.

Mutations and imports refuse a reference the store does not know. Sync is lenient: a state system may name a police
station or institution before the hub's directory has it, so the id stays empty and the code is kept in
``extra["unresolved"]`` (nothing the upstream sent is lost).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput
from ..domain.records import CaseData
from .models import ChildRow, DirectoryEntryRow, InstitutionRow


@dataclass(frozen=True, slots=True)
class _Station:
    id: str
    state_code: str | None
    district_code: str | None


@dataclass(frozen=True, slots=True)
class References:
    stations: dict[str, _Station]
    institutions: dict[str, str]
    children: set[str]

    @classmethod
    def of(
        cls,
        stations: Iterable[tuple[str, str | None, str | None, str | None]],
        institutions: Iterable[tuple[str, str]],
        children: set[str],
    ) -> References:
        """From police stations as (id, code, state, district) and institutions as (id, registration number)."""
        by_ref: dict[str, _Station] = {}
        for entry_id, code, state, district in stations:
            station = _Station(entry_id, state, district)
            by_ref[entry_id] = station
            if code:
                by_ref[code] = station
        by_registration: dict[str, str] = {}
        for inst_id, registration in institutions:
            by_registration[inst_id] = inst_id
            by_registration[registration] = inst_id
        return cls(by_ref, by_registration, children)

    @classmethod
    async def load(cls, session: AsyncSession, cases: Sequence[CaseData]) -> References:
        return cls(
            await _stations(session, {c.place.police_station for c in cases if c.place.police_station}),
            await _institutions(session, {r for c in cases for r in institution_refs(c)}),
            await _known_children(session, {c.child_id for c in cases if c.child_id}),
        )

    def resolve(self, case: CaseData, *, lenient: bool = False) -> dict[str, Any]:
        """Ids to store for one case's references, or a BadUserInput (``lenient``: unknown codes kept aside)."""
        resolved: dict[str, Any] = {
            "police_station_id": None,
            "institution_id": None,
            "district_code": case.place.district,
            "unresolved": {},
        }
        if case.child_id is not None and case.child_id not in self.children:
            raise BadUserInput("child_id", f"no child with id {case.child_id!r}")
        if case.place.police_station:
            station = self.stations.get(case.place.police_station)
            if station is None and lenient:
                resolved["unresolved"]["place.police_station"] = case.place.police_station
            elif station is None:
                raise BadUserInput("place.police_station", f"{case.place.police_station!r} is not a police station")
            elif station.state_code != case.place.state or (
                case.place.district is not None and station.district_code != case.place.district
            ):
                raise BadUserInput("place.police_station", "is not in the case's state and district")
            else:
                resolved["police_station_id"] = station.id
                resolved["district_code"] = case.place.district or station.district_code
        refs = institution_refs(case)
        if refs:
            institution_id = self.institutions.get(refs[0])
            field = "care.institution" if case.care is not None else "found.institution"
            if institution_id is None and lenient:
                resolved["unresolved"][field] = refs[0]
            elif institution_id is None:
                raise BadUserInput(field, f"{refs[0]!r} is not a registered institution")
            resolved["institution_id"] = institution_id
        return resolved


def institution_refs(case: CaseData) -> list[str]:
    if case.care is not None:
        return [case.care.institution]
    if case.found is not None and case.found.institution:
        return [case.found.institution]
    return []


async def _stations(session: AsyncSession, refs: set[str]) -> dict[str, _Station]:
    if not refs:
        return {}
    entry = DirectoryEntryRow
    result = await session.execute(
        select(entry.id, entry.code, entry.state_code, entry.district_code).where(station_named(refs))
    )
    return References.of(((i, c, s, d) for i, c, s, d in result), [], set()).stations


async def _institutions(session: AsyncSession, refs: set[str]) -> dict[str, str]:
    if not refs:
        return {}
    result = await session.execute(
        select(InstitutionRow.id, InstitutionRow.registration_number).where(institution_named(refs))
    )
    return References.of([], ((i, r) for i, r in result), set()).institutions


def station_named(refs: Collection[str]) -> ColumnElement[bool]:
    """A police station in service whose id or code is among ``refs`` (what a case may name it by)."""
    return and_(
        DirectoryEntryRow.kind == DirectoryKind.POLICE_STATION.value,
        DirectoryEntryRow.retired_at.is_(None),
        or_(DirectoryEntryRow.id.in_(refs), DirectoryEntryRow.code.in_(refs)),
    )


def institution_named(refs: Collection[str]) -> ColumnElement[bool]:
    """An institution whose id or registration number is among ``refs``."""
    return or_(InstitutionRow.id.in_(refs), InstitutionRow.registration_number.in_(refs))


async def _known_children(session: AsyncSession, ids: set[str | None]) -> set[str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(await session.scalars(select(ChildRow.id).where(ChildRow.id.in_(wanted))))
