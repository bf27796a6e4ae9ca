"""Creating cases in bulk: one path for mutations (a batch of one), imports and sync.

Each input gets an outcome: created, already present (same ``source`` + ``external_id``), or an error naming the
field. Invalid inputs never stop the valid ones; the caller decides when to commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import FromClause, Table, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.age import estimated_birth_date
from ..domain.enums import CaseEventType, CaseKind, DirectoryKind
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.records import CaseData, ChildData
from ..domain.reference import format_reference, reference_year
from .cases import search_text
from .models import (
    CareCaseRow,
    CaseEventRow,
    CaseRow,
    ChildAliasRow,
    ChildRow,
    DirectoryEntryRow,
    FoundCaseRow,
    GuardianRow,
    InstitutionRow,
    MissingCaseRow,
)
from .models.base import new_id, utcnow
from .references import reserve_sequences

T = TypeVar("T")

_ROW_CLASS = {CaseKind.MISSING: MissingCaseRow, CaseKind.FOUND: FoundCaseRow, CaseKind.CARE: CareCaseRow}


@dataclass(slots=True)
class WriteOutcome:
    case_id: str | None = None
    reference: str | None = None
    created: bool = False
    error: BadUserInput | None = None


@dataclass(frozen=True, slots=True)
class _Station:
    id: str
    state_code: str | None
    district_code: str | None


async def create_cases(
    session: AsyncSession,
    cases: Sequence[CaseData],
    geography: Geography,
    *,
    event: CaseEventType,
    actor: str | None,
) -> list[WriteOutcome]:
    outcomes = [WriteOutcome() for _ in cases]
    await _mark_existing(session, cases, outcomes)
    stations = await _stations(session, {c.place.police_station for c in cases if c.place.police_station})
    institutions = await _institutions(session, {r for c in cases for r in _institution_refs(c)})
    children = await _known_children(session, {c.child_id for c in cases if c.child_id})
    pending: list[tuple[int, CaseData, dict[str, Any]]] = []
    for i, case in enumerate(cases):
        if outcomes[i].case_id is not None or outcomes[i].error is not None:
            continue
        try:
            pending.append((i, case, _resolve(case, stations, institutions, children)))
        except BadUserInput as exc:
            outcomes[i].error = exc
    if not pending:
        return outcomes
    references = await _references(session, [case for _, case, _ in pending], geography)
    now = utcnow()
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (i, case, resolved), reference in zip(pending, references, strict=True):
        case_id = new_id()
        child_id = case.child_id or new_id()
        if case.child_id is None:
            _child_rows(rows, child_id, case.child, case.event_date, now)
        case_row = _case_row(case, case_id, child_id, reference, resolved, now)
        rows[case.kind.value].append(case_row)
        rows["events"].append(
            {
                "case_id": case_id,
                "at": now,
                "type": event.value,
                "actor": actor,
                "note": None,
                "data": {},
            }
        )
        outcomes[i] = WriteOutcome(case_id=case_id, reference=reference, created=True)
    await _insert(session, ChildRow.__table__, rows["children"])
    await _insert(session, GuardianRow.__table__, rows["guardians"])
    await _insert(session, ChildAliasRow.__table__, rows["aliases"])
    all_cases = [row for kind in _ROW_CLASS for row in rows[kind.value]]
    await _insert(session, CaseRow.__table__, all_cases)
    for kind, row_class in _ROW_CLASS.items():
        await _insert(session, row_class.__table__, rows[kind.value])
    await _insert(session, CaseEventRow.__table__, rows["events"])
    return outcomes


async def _insert(session: AsyncSession, table: FromClause, rows: list[dict[str, Any]]) -> None:
    """Core executemany (the ORM's bulk path costs as much again per row); each table takes its own columns."""
    if not rows:
        return
    columns = [c.name for c in table.columns if c.name in rows[0]]  # rows of one table share their keys
    values = [{name: row.get(name) for name in columns} for row in rows]
    await session.execute(cast("Table", table).insert(), values)


async def _mark_existing(session: AsyncSession, cases: Sequence[CaseData], outcomes: list[WriteOutcome]) -> None:
    by_source: dict[str, list[str]] = defaultdict(list)
    for c in cases:
        if c.external_id is not None:
            by_source[c.source].append(c.external_id)
    existing: dict[tuple[str, str], tuple[str, str]] = {}
    # One source at a time: `source = ? AND external_id IN (...)` uses the unique index on every backend, where a
    # row-value IN makes SQLite scan the whole table for each chunk.
    for source, external_ids in by_source.items():
        for chunk in _chunks(external_ids, 500):
            result = await session.execute(
                select(CaseRow.external_id, CaseRow.id, CaseRow.reference).where(
                    CaseRow.source == source, CaseRow.external_id.in_(chunk)
                )
            )
            existing.update({(source, e): (i, r) for e, i, r in result})
    first_seen: dict[tuple[str, str], int] = {}
    for i, case in enumerate(cases):
        if case.external_id is None:
            continue
        key = (case.source, case.external_id)
        if key in existing:
            outcomes[i].case_id, outcomes[i].reference = existing[key]
        elif key in first_seen:
            outcomes[i].error = BadUserInput(
                "external_id", f"{case.external_id!r} repeats an earlier record of the same batch"
            )
        else:
            first_seen[key] = i


async def _stations(session: AsyncSession, refs: set[str]) -> dict[str, _Station]:
    if not refs:
        return {}
    result = await session.execute(
        select(
            DirectoryEntryRow.id,
            DirectoryEntryRow.code,
            DirectoryEntryRow.state_code,
            DirectoryEntryRow.district_code,
        ).where(
            DirectoryEntryRow.kind == DirectoryKind.POLICE_STATION.value,
            DirectoryEntryRow.retired_at.is_(None),
            or_(DirectoryEntryRow.id.in_(refs), DirectoryEntryRow.code.in_(refs)),
        )
    )
    out: dict[str, _Station] = {}
    for entry_id, code, state, district in result:
        station = _Station(entry_id, state, district)
        out[entry_id] = station
        if code:
            out[code] = station
    return out


async def _institutions(session: AsyncSession, refs: set[str]) -> dict[str, str]:
    if not refs:
        return {}
    result = await session.execute(
        select(InstitutionRow.id, InstitutionRow.registration_number).where(
            or_(InstitutionRow.id.in_(refs), InstitutionRow.registration_number.in_(refs))
        )
    )
    out: dict[str, str] = {}
    for inst_id, registration in result:
        out[inst_id] = inst_id
        out[registration] = inst_id
    return out


async def _known_children(session: AsyncSession, ids: set[str | None]) -> set[str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(await session.scalars(select(ChildRow.id).where(ChildRow.id.in_(wanted))))


def _institution_refs(case: CaseData) -> list[str]:
    if case.care is not None:
        return [case.care.institution]
    if case.found is not None and case.found.institution:
        return [case.found.institution]
    return []


def _resolve(
    case: CaseData, stations: dict[str, _Station], institutions: dict[str, str], children: set[str]
) -> dict[str, Any]:
    """Foreign references of one case, checked against the store: ids to store, or a BadUserInput."""
    resolved: dict[str, Any] = {
        "police_station_id": None,
        "institution_id": None,
        "district_code": case.place.district,
    }
    if case.child_id is not None and case.child_id not in children:
        raise BadUserInput("child_id", f"no child with id {case.child_id!r}")
    if case.place.police_station:
        station = stations.get(case.place.police_station)
        if station is None:
            raise BadUserInput("place.police_station", f"{case.place.police_station!r} is not a police station")
        if station.state_code != case.place.state or (
            case.place.district is not None and station.district_code != case.place.district
        ):
            raise BadUserInput("place.police_station", "is not in the case's state and district")
        resolved["police_station_id"] = station.id
        resolved["district_code"] = case.place.district or station.district_code
    refs = _institution_refs(case)
    if refs:
        institution_id = institutions.get(refs[0])
        if institution_id is None:
            field = "care.institution" if case.care is not None else "found.institution"
            raise BadUserInput(field, f"{refs[0]!r} is not a registered institution")
        resolved["institution_id"] = institution_id
    return resolved


async def _references(session: AsyncSession, cases: Sequence[CaseData], geography: Geography) -> list[str]:
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        groups[(case.place.state, reference_year(case.reported_at))].append(i)
    out = [""] * len(cases)
    for (state_code, year), members in sorted(groups.items()):
        state = geography.state(state_code)
        assert state is not None  # validated before
        for i, seq in zip(members, await reserve_sequences(session, state_code, year, len(members)), strict=True):
            out[i] = format_reference(state.abbreviation, year, seq)
    return out


def _child_rows(
    rows: dict[str, list[dict[str, Any]]], child_id: str, child: ChildData, on: date, now: datetime
) -> None:
    rows["children"].append(
        {
            "id": child_id,
            "name": child.name,
            "search_text": search_text(child.name, *child.aliases),
            "gender": child.gender.value,
            "age_years": child.age_years,
            "age_reported_on": on,
            "date_of_birth": child.date_of_birth,
            "birth_estimate": estimated_birth_date(child.date_of_birth, child.age_years, on),
            "height_cm": child.height_cm,
            "complexion": child.complexion,
            "identifying_marks": child.identifying_marks,
            "languages": child.languages,
            "clothing": child.clothing,
            "confidential": child.confidential,
            "created_at": now,
        }
    )
    for position, g in enumerate(child.guardians):
        rows["guardians"].append(
            {
                "child_id": child_id,
                "position": position,
                "relation": g.relation.value,
                "name": g.name,
                "phone": g.phone,
            }
        )
    for position, alias in enumerate(child.aliases):
        rows["aliases"].append({"child_id": child_id, "position": position, "alias": alias})


def _case_row(
    case: CaseData, case_id: str, child_id: str, reference: str, resolved: dict[str, Any], now: datetime
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": case_id,
        "kind": case.kind.value,
        "reference": reference,
        "status": case.status.value,
        "version": 1,
        "child_id": child_id,
        "source": case.source,
        "external_id": case.external_id or case_id,
        "state_code": case.place.state,
        "district_code": resolved["district_code"],
        "police_station_id": resolved["police_station_id"],
        "place_text": case.place.text,
        "latitude": case.place.latitude,
        "longitude": case.place.longitude,
        "event_date": case.event_date,
        "reported_at": case.reported_at,
        "closure_reason": None,
        "publication_consent": False,
        "extra": case.extra,
        "created_at": now,
        "updated_at": now,
        "case_id": case_id,
    }
    if case.missing is not None:
        fir = case.missing.fir
        assert fir is not None  # validated before
        row.update(
            fir_number=fir.number,
            fir_date=fir.date,
            last_seen_time=case.missing.last_seen_time,
            circumstances=case.missing.circumstances,
            reporter_name=case.missing.reporter_name,
            reporter_relation=case.missing.reporter_relation,
            reporter_phone=case.missing.reporter_phone,
        )
    elif case.kind is CaseKind.FOUND:
        found = case.found
        row.update(
            found_by=found and found.found_by,
            found_by_contact=found and found.found_by_contact,
            current_placement=found and found.current_placement,
            institution_id=resolved["institution_id"],
            missing_since=found and found.missing_since,
        )
    elif case.care is not None:
        row.update(
            institution_id=resolved["institution_id"],
            admission_order_number=case.care.admission_order_number,
            admission_order_date=case.care.admission_order_date,
            admission_date=case.care.admission_date or case.event_date,
            exit_date=case.care.exit_date,
        )
    return row


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
