"""The directory's use cases: search, nearest, who covers a place, upsert and retire an entry, the quality report,
an entry's change log.

Reading is public. Writing (``directory:write``, checked by the caller: the schema's operation guard) stays inside the
writer's jurisdiction (``state`` and ``district`` claims; none = national): where the entry goes is FORBIDDEN
elsewhere, and an existing entry elsewhere is as unknown as a missing one (the record rule, ``record_rule``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..auth.principal import Principal
from ..auth.record_access import admits
from ..directories.entries import DISTRICT_BODIES, EntryData, validate_entry
from ..directories.quality import QualityReport, quality_report
from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput, Forbidden
from ..domain.filters import DirectoryFilter, check_first
from ..domain.pin_code import normalise_pin_code
from ..domain.reference import IST
from ..store.directory import DirectoryRepository
from ..store.directory_writer import Actor, check_references, retire_entry, upsert_entries
from ..store.models import DirectoryChangeRow, DirectoryEntryRow
from ..store.pagination import Page
from .input_errors import in_input
from .record_rule import directory_entry_named, directory_entry_to_replace
from .unit import Unit

K = DirectoryKind
COVERING_KINDS = DISTRICT_BODIES
# CSV column names that are spelled differently in UpsertDirectoryEntryInput.
_INPUT_NAMES = {"sjpu": "special_juvenile_police_unit", "ahtu": "anti_human_trafficking_unit"}


@dataclass(frozen=True, slots=True)
class Covering:
    district: str | None
    pin_code: str | None
    bodies: list[DirectoryEntryRow]


async def directory(unit: Unit, where: DirectoryFilter, first: int, after: str | None) -> Page[DirectoryEntryRow]:
    check_first(first)
    if where.text and where.text.strip():
        return await unit.read(lambda s: unit.services.directory_search.page(s, where, first, after))
    return await unit.read(lambda s: DirectoryRepository(s).page(where, first, after))


async def nearest(
    unit: Unit, kind: DirectoryKind, latitude: float, longitude: float, first: int
) -> list[tuple[DirectoryEntryRow, float]]:
    check_first(first)
    if not -90 <= latitude <= 90:
        raise BadUserInput("latitude", f"{latitude} is outside -90..90")
    if not -180 <= longitude <= 180:
        raise BadUserInput("longitude", f"{longitude} is outside -180..180")
    return await unit.read(lambda s: DirectoryRepository(s).nearest(kind, latitude, longitude, first))


async def covering_bodies(unit: Unit, state: str, district: str | None, pin_code: str | None) -> Covering:
    known = unit.geography.state(state)
    if known is None:
        raise BadUserInput("state", f"{state!r} is not an LGD state code")
    if district is not None:
        found = unit.geography.district(district)
        if found is None or found.state_code != state:
            raise BadUserInput("district", f"{district!r} is not a district of {known.name}")
    if pin_code is not None:
        pin_code = normalise_pin_code(pin_code)
        if pin_code is None:
            raise BadUserInput("pinCode", "is not a PIN code (six digits, not starting with 0)")
    if district is None and pin_code is None:
        raise BadUserInput("district", "give a district, a PIN code or both")
    if district is None:
        # The PIN's police station tells the district; the district's bodies follow from it.
        stations = await unit.read(lambda s: DirectoryRepository(s).covering([K.POLICE_STATION], None, pin_code))
        district = next((r.district_code for r in stations if r.state_code == state and r.district_code), None)
    bodies = await unit.read(lambda s: DirectoryRepository(s).covering(COVERING_KINDS, district, pin_code))
    return Covering(district, pin_code, [b for b in bodies if b.state_code == state])


async def upsert(unit: Unit, entry: EntryData, *, via: str = "graphql") -> DirectoryEntryRow:
    """Create or replace an entry inside the caller's jurisdiction (``via``: the channel the change log names)."""
    try:
        checked = validate_entry(entry, unit.geography, unit.today)
    except BadUserInput as exc:
        raise _as_input(exc) from None
    _inside_jurisdiction(unit.principal, checked.state, checked.district)
    assert checked.id is not None
    await directory_entry_to_replace(unit, checked.id)
    async with unit.write() as session:
        if checked.last_verified_on is None:
            checked = replace(checked, last_verified_on=unit.today)  # the writer has just checked it
        problems = await check_references(session, [checked])
        if problems:
            raise _as_input(problems[0])
        await upsert_entries(session, [checked], _actor(unit, via), _now())
        row = await session.get(DirectoryEntryRow, checked.id)
    assert row is not None
    return row


async def retire(unit: Unit, entry_id: str, *, via: str = "graphql") -> DirectoryEntryRow:
    """Retire an entry inside the caller's jurisdiction: kept, with its history, but no longer listed."""
    await directory_entry_named(unit, entry_id)
    async with unit.write() as session:
        return await retire_entry(session, entry_id, _actor(unit, via), _now())


async def quality(unit: Unit, state: str | None, district: str | None) -> QualityReport:
    """The report for the caller's jurisdiction, or a part of it."""
    p = unit.principal
    state, district = state or p.state, district or p.district
    if district is not None and state is None:
        found = unit.geography.district(district)
        state = found.state_code if found else None
    _inside_jurisdiction(p, state, district, reading=True)
    facts = await unit.read(lambda s: DirectoryRepository(s).quality_facts())
    return quality_report(facts, unit.geography, unit.today, state=state, district=district)


async def changes(unit: Unit, entry_id: str, first: int) -> list[DirectoryChangeRow]:
    check_first(first)
    await directory_entry_named(unit, entry_id)
    return await unit.read(lambda s: DirectoryRepository(s).changes(entry_id, first))


def _inside_jurisdiction(p: Principal, state: str | None, district: str | None, *, reading: bool = False) -> None:
    """Where a write lands or a report reaches: named by the caller, so refusing it reveals nothing."""
    if admits(p, state, district):
        return
    what = "read the report of" if reading else "change entries of"
    if p.district is not None:
        raise Forbidden(f"you may {what} your district only ({p.district})", suggestion="ask that district's DCPU")
    raise Forbidden(f"you may {what} your state only ({p.state})", suggestion="ask that state's DCPU/SCPS")


def _as_input(exc: BadUserInput) -> BadUserInput:
    """``pin_code`` -> ``input.pinCode``; ``functionaries.0.phones.1`` -> ``input.functionaries.0.phones.1``."""
    return in_input(exc, _INPUT_NAMES)


def _actor(unit: Unit, via: str) -> Actor:
    p = unit.principal
    return Actor(subject=p.subject or "public", agency=p.agency.value if p.agency else None, via=via)


def _now() -> datetime:
    return datetime.now(IST)
