"""Writing directory entries: upsert by id (idempotent), retire, and a history row for every change.

Entries arrive validated (``directories.entries.validate_entry``); ``check_references`` then checks what only the
store knows (the institution, the covering SJPU/AHTU, a kind that would change). ``upsert_entries`` compares each
entry with what is stored and writes only real changes, so re-importing a file changes nothing and logs nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..directories.entries import EntryData, FunctionaryData
from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput, NotFound
from .cases import search_text
from .models import DirectoryChangeRow, DirectoryCoverageRow, DirectoryEntryRow, FunctionaryRow, InstitutionRow

_ENTRY_FIELDS = [f.name for f in fields(EntryData)]


@dataclass(frozen=True, slots=True)
class Actor:
    subject: str
    agency: str | None
    via: str  # graphql | import


async def load_entries(session: AsyncSession, ids: Sequence[str] | None = None) -> dict[str, EntryData]:
    """Active entries (all of them when ``ids`` is None) as plain data, in id order."""
    stmt = select(DirectoryEntryRow).where(DirectoryEntryRow.retired_at.is_(None)).order_by(DirectoryEntryRow.id)
    if ids is not None:
        stmt = stmt.where(DirectoryEntryRow.id.in_(ids))
    rows = list(await session.scalars(stmt))
    return await _snapshots(session, rows)


async def check_references(
    session: AsyncSession, entries: Sequence[EntryData], registering: Collection[str] = ()
) -> dict[int, BadUserInput]:
    """Per position, the first reference that does not hold; SJPUs/AHTUs may be among ``entries`` themselves, and
    the registration numbers in ``registering`` (institutions the caller registers in the same transaction) count
    as known."""
    ids = [e.id for e in entries if e.id]
    refs = {r for e in entries for r in (e.sjpu, e.ahtu) if r}
    pairs = select(DirectoryEntryRow.id, DirectoryEntryRow.kind)
    stored_kinds = _pairs(await session.execute(pairs.where(DirectoryEntryRow.id.in_(ids))))
    active_kinds = _pairs(
        await session.execute(pairs.where(DirectoryEntryRow.id.in_(refs), DirectoryEntryRow.retired_at.is_(None)))
    )
    active_kinds.update({e.id: e.kind.value for e in entries if e.id})
    registrations = {e.institution for e in entries if e.institution}
    known = set(registering) | set(
        await session.scalars(
            select(InstitutionRow.registration_number).where(InstitutionRow.registration_number.in_(registrations))
        )
    )
    errors: dict[int, BadUserInput] = {}
    for i, e in enumerate(entries):
        stored = stored_kinds.get(e.id or "")
        if stored is not None and stored != e.kind.value:
            errors[i] = BadUserInput("kind", f"the entry is a {stored}; retire it and add a new one instead")
        elif e.sjpu and active_kinds.get(e.sjpu) != DirectoryKind.SPECIAL_JUVENILE_POLICE_UNIT.value:
            errors[i] = BadUserInput("sjpu", f"{e.sjpu!r} is not an active Special Juvenile Police Unit")
        elif e.ahtu and active_kinds.get(e.ahtu) != DirectoryKind.ANTI_HUMAN_TRAFFICKING_UNIT.value:
            errors[i] = BadUserInput("ahtu", f"{e.ahtu!r} is not an active Anti Human Trafficking Unit")
        elif e.institution and e.institution not in known:
            errors[i] = BadUserInput("institution", f"no institution with registration number {e.institution!r}")
    return errors


async def upsert_entries(session: AsyncSession, entries: Sequence[EntryData], actor: Actor, now: datetime) -> list[str]:
    """Write each entry (validated, id set, references checked); per entry CREATED, UPDATED or UNCHANGED."""
    ids = [e.id for e in entries if e.id]
    rows = {r.id: r for r in await session.scalars(select(DirectoryEntryRow).where(DirectoryEntryRow.id.in_(ids)))}
    current = await _snapshots(session, list(rows.values()))
    institutions = await _institution_ids(session, {e.institution for e in entries if e.institution})
    outcomes: list[str] = []
    new_coverage: list[EntryData] = []
    new_people: list[EntryData] = []
    for entry in entries:
        assert entry.id is not None
        row = rows.get(entry.id)
        before = current.get(entry.id)
        if row is not None and row.retired_at is None and before == entry:
            outcomes.append("UNCHANGED")
            continue
        changed = _changed(before, entry)
        values = _row_values(entry, institutions)
        if row is None:
            rows[entry.id] = row = DirectoryEntryRow(**values, retired_at=None, updated_at=now)
            session.add(row)
            action = "CREATED"
        else:
            for name, value in values.items():
                setattr(row, name, value)
            if row.retired_at is not None:
                row.retired_at = None
                changed.append("retired")
            row.updated_at = now
            action = "UPDATED"
        if before is None or (before.covers_districts, before.covers_pin_codes) != (
            entry.covers_districts,
            entry.covers_pin_codes,
        ):
            new_coverage.append(entry)
        if before is None or before.functionaries != entry.functionaries:
            new_people.append(entry)
        current[entry.id] = entry
        session.add(_change(entry.id, action, changed, actor, now))
        outcomes.append(action)
    await session.flush()  # entries first: coverage and functionaries refer to them
    await _replace_coverage(session, new_coverage)
    await _replace_functionaries(session, new_people)
    return outcomes


async def retire_entry(session: AsyncSession, entry_id: str, actor: Actor, now: datetime) -> DirectoryEntryRow:
    row = await session.get(DirectoryEntryRow, entry_id)
    if row is None:
        raise NotFound("no such directory entry")
    if row.retired_at is None:
        row.retired_at = now
        row.updated_at = now
        session.add(_change(entry_id, "RETIRED", ["retired"], actor, now))
        await session.flush()
    return row


def _change(entry_id: str, action: str, changed: list[str], actor: Actor, now: datetime) -> DirectoryChangeRow:
    return DirectoryChangeRow(
        entry_id=entry_id,
        action=action,
        fields=changed,
        actor=actor.subject,
        agency=actor.agency,
        via=actor.via,
        changed_at=now,
    )


def _changed(before: EntryData | None, after: EntryData) -> list[str]:
    if before is None:
        return ["*"]
    return [name for name in _ENTRY_FIELDS if getattr(before, name) != getattr(after, name)]


def _row_values(entry: EntryData, institutions: dict[str, str]) -> dict[str, object]:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "name": entry.name,
        "search_text": search_text(entry.name, entry.address),
        "code": entry.code,
        "state_code": entry.state,
        "district_code": entry.district,
        "address": entry.address,
        "pin_code": entry.pin_code,
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "phones": list(entry.phones),
        "email": entry.email,
        "hours": entry.hours,
        "languages": list(entry.languages),
        "institution_id": institutions.get(entry.institution) if entry.institution else None,
        "sjpu_id": entry.sjpu,
        "ahtu_id": entry.ahtu,
        "last_verified_on": entry.last_verified_on,
    }


async def _replace_coverage(session: AsyncSession, entries: list[EntryData]) -> None:
    if not entries:
        return
    await session.execute(
        delete(DirectoryCoverageRow).where(DirectoryCoverageRow.entry_id.in_([e.id for e in entries]))
    )
    areas = [{"entry_id": e.id, "district_code": d, "pin_code": None} for e in entries for d in e.covers_districts]
    areas += [{"entry_id": e.id, "district_code": None, "pin_code": p} for e in entries for p in e.covers_pin_codes]
    if areas:
        await session.execute(insert(DirectoryCoverageRow), areas)


async def _replace_functionaries(session: AsyncSession, entries: list[EntryData]) -> None:
    if not entries:
        return
    await session.execute(delete(FunctionaryRow).where(FunctionaryRow.entry_id.in_([e.id for e in entries])))
    people = [
        {
            "id": f"{e.id}~{i}",
            "entry_id": e.id,
            "position": i,
            "name": f.name,
            "designation": f.designation,
            "phones": list(f.phones),
            "email": f.email,
        }
        for e in entries
        for i, f in enumerate(e.functionaries)
    ]
    if people:
        await session.execute(insert(FunctionaryRow), people)


async def _institution_ids(session: AsyncSession, registrations: set[str | None]) -> dict[str, str]:
    result = await session.execute(
        select(InstitutionRow.registration_number, InstitutionRow.id).where(
            InstitutionRow.registration_number.in_([r for r in registrations if r])
        )
    )
    return _pairs(result)


async def _snapshots(session: AsyncSession, rows: Sequence[DirectoryEntryRow]) -> dict[str, EntryData]:
    ids = [r.id for r in rows]
    coverage: dict[str, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
    people: dict[str, list[FunctionaryData]] = {i: [] for i in ids}
    registrations: dict[str, str] = {}
    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        for area in await session.scalars(
            select(DirectoryCoverageRow)
            .where(DirectoryCoverageRow.entry_id.in_(chunk))
            .order_by(DirectoryCoverageRow.id)
        ):
            districts, pins = coverage[area.entry_id]
            if area.district_code:
                districts.append(area.district_code)
            if area.pin_code:
                pins.append(area.pin_code)
        for person in await session.scalars(
            select(FunctionaryRow).where(FunctionaryRow.entry_id.in_(chunk)).order_by(FunctionaryRow.position)
        ):
            people[person.entry_id].append(
                FunctionaryData(person.designation, person.name, tuple(person.phones), person.email)
            )
    institution_ids = {r.institution_id for r in rows if r.institution_id}
    if institution_ids:
        result = await session.execute(
            select(InstitutionRow.id, InstitutionRow.registration_number).where(InstitutionRow.id.in_(institution_ids))
        )
        registrations = _pairs(result)
    return {
        r.id: EntryData(
            id=r.id,
            kind=DirectoryKind(r.kind),
            name=r.name,
            code=r.code,
            state=r.state_code,
            district=r.district_code,
            address=r.address,
            pin_code=r.pin_code,
            latitude=r.latitude,
            longitude=r.longitude,
            phones=tuple(r.phones),
            email=r.email,
            hours=r.hours,
            languages=tuple(r.languages),
            institution=registrations.get(r.institution_id) if r.institution_id else None,
            last_verified_on=r.last_verified_on,
            covers_districts=tuple(coverage[r.id][0]),
            covers_pin_codes=tuple(coverage[r.id][1]),
            sjpu=r.sjpu_id,
            ahtu=r.ahtu_id,
            functionaries=tuple(people[r.id]),
        )
        for r in rows
    }


def _pairs(result: Iterable[Any]) -> dict[str, str]:
    return {key: value for key, value in result}  # noqa: C416 - dict(Result) reads it as a mapping
