"""Directory reads and maintenance: search, nearest, who covers a place, upsert/retire, the quality report.

Reading is public. Writing (``directory:write``, checked by the operation guard) stays inside the writer's
jurisdiction (``state`` and ``district`` claims; none = national): where the entry goes is FORBIDDEN elsewhere, and
an existing entry elsewhere is as unknown as a missing one (the record rule, ``record_access``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from ..auth.principal import Principal
from ..auth.record_access import admits
from ..directories.entries import DISTRICT_BODIES, EntryData, validate_entry
from ..directories.quality import QualityReport, quality_report
from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput, Forbidden
from ..domain.filters import DirectoryFilter, check_first
from ..domain.pin_code import normalise_pin_code
from ..domain.reference import IST
from ..services.record_rule import directory_entry_named, directory_entry_to_replace
from ..store.directory import DirectoryRepository
from ..store.directory_writer import Actor, check_references, retire_entry, upsert_entries
from ..store.models import DirectoryChangeRow, DirectoryEntryRow
from ..store.pagination import Page
from .context import Context
from .input_errors import in_input

K = DirectoryKind
COVERING_KINDS = DISTRICT_BODIES
# CSV column names that are spelled differently in UpsertDirectoryEntryInput.
_INPUT_NAMES = {"sjpu": "special_juvenile_police_unit", "ahtu": "anti_human_trafficking_unit"}


@dataclass(frozen=True, slots=True)
class Covering:
    district: str | None
    pin_code: str | None
    bodies: list[DirectoryEntryRow]


async def directory(ctx: Context, where: DirectoryFilter, first: int, after: str | None) -> Page[DirectoryEntryRow]:
    check_first(first)
    if where.text and where.text.strip():
        return await ctx.read(lambda s: ctx.services.directory_search.page(s, where, first, after))
    return await ctx.read(lambda s: DirectoryRepository(s).page(where, first, after))


async def nearest(
    ctx: Context, kind: DirectoryKind, latitude: float, longitude: float, first: int
) -> list[tuple[DirectoryEntryRow, float]]:
    check_first(first)
    if not -90 <= latitude <= 90:
        raise BadUserInput("latitude", f"{latitude} is outside -90..90")
    if not -180 <= longitude <= 180:
        raise BadUserInput("longitude", f"{longitude} is outside -180..180")
    return await ctx.read(lambda s: DirectoryRepository(s).nearest(kind, latitude, longitude, first))


async def covering_bodies(ctx: Context, state: str, district: str | None, pin_code: str | None) -> Covering:
    known = ctx.geography.state(state)
    if known is None:
        raise BadUserInput("state", f"{state!r} is not an LGD state code")
    if district is not None:
        found = ctx.geography.district(district)
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
        stations = await ctx.read(lambda s: DirectoryRepository(s).covering([K.POLICE_STATION], None, pin_code))
        district = next((r.district_code for r in stations if r.state_code == state and r.district_code), None)
    bodies = await ctx.read(lambda s: DirectoryRepository(s).covering(COVERING_KINDS, district, pin_code))
    return Covering(district, pin_code, [b for b in bodies if b.state_code == state])


async def upsert(ctx: Context, entry: EntryData) -> DirectoryEntryRow:
    try:
        checked = validate_entry(entry, ctx.geography, ctx.today)
    except BadUserInput as exc:
        raise _as_input(exc) from None
    _inside_jurisdiction(ctx.principal, checked.state, checked.district)
    assert checked.id is not None
    await directory_entry_to_replace(ctx, checked.id)
    async with ctx.write() as session:
        if checked.last_verified_on is None:
            checked = replace(checked, last_verified_on=ctx.today)  # the writer has just checked it
        problems = await check_references(session, [checked])
        if problems:
            raise _as_input(problems[0])
        await upsert_entries(session, [checked], _actor(ctx), _now())
        row = await session.get(DirectoryEntryRow, checked.id)
    assert row is not None
    return row


async def retire(ctx: Context, entry_id: str) -> DirectoryEntryRow:
    await directory_entry_named(ctx, entry_id)
    async with ctx.write() as session:
        return await retire_entry(session, entry_id, _actor(ctx), _now())


async def quality(ctx: Context, state: str | None, district: str | None) -> QualityReport:
    """The report for the caller's jurisdiction, or a part of it."""
    p = ctx.principal
    state, district = state or p.state, district or p.district
    if district is not None and state is None:
        found = ctx.geography.district(district)
        state = found.state_code if found else None
    _inside_jurisdiction(p, state, district, reading=True)
    facts = await ctx.read(lambda s: DirectoryRepository(s).quality_facts())
    return quality_report(facts, ctx.geography, ctx.today, state=state, district=district)


async def changes(ctx: Context, entry_id: str, first: int) -> list[DirectoryChangeRow]:
    check_first(first)
    await directory_entry_named(ctx, entry_id)
    stmt = (
        select(DirectoryChangeRow)
        .where(DirectoryChangeRow.entry_id == entry_id)
        .order_by(DirectoryChangeRow.id.desc())
        .limit(first)
    )
    return list(await ctx.read(lambda s: s.scalars(stmt)))


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


def _actor(ctx: Context) -> Actor:
    p = ctx.principal
    return Actor(subject=p.subject or "public", agency=p.agency.value if p.agency else None, via="graphql")


def _now() -> datetime:
    return datetime.now(IST)
