"""Citizen reports and sightings: a public submission routed to the police station covering its place, the status a
citizen may ask for with their reference and one-time code, the station's triage (a report becomes a missing case,
a sighting is linked to a case, or either is dismissed), and the waiting counts per station for Para Legal
Volunteers.

Submitting and asking for a status are public (no token); abuse is bounded per phone here (``PER_PHONE``: counted in
the store, so every hub process shares it, atomically with the insert) and per IP by the HTTP limiter; ``caseStatus``
per IP and per reference (``status_guesses``: a reference guessed at too often is locked, answering as a wrong pair).
The contact phone and names are never logged. Triage applies the record rule: a report outside the caller's
jurisdiction is as unknown as a missing one.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.record_access import case_scope, record_scope
from ..domain.citizen_reports import (
    CitizenReportData,
    CitizenReportKind,
    PublicStatus,
    TriageDecision,
    TriageStatus,
    public_status,
    validate_citizen_report,
)
from ..domain.enums import CaseEventType, CaseKind, CaseStatus, DirectoryKind, Gender, GuardianRelation
from ..domain.errors import BadUserInput, Conflict
from ..domain.filters import check_first
from ..domain.records import CaseData, ChildData, FirData, GuardianData, MissingDetails, PlaceData
from ..domain.status_code import hash_code, new_code, new_reference, new_salt, normalise
from ..domain.too_many import TooMany
from ..matching.records import MatchRecord
from ..store.citizen_reports import CitizenReportRepository, Waiting
from ..store.directory import DirectoryRepository
from ..store.events import CaseEventRepository
from ..store.models import CaseRow, CitizenReportRow, DirectoryEntryRow
from ..store.photos import PhotoRepository
from . import photos
from .cases import report_missing
from .matches import MatchView, find_matches
from .record_rule import case_named, citizen_report_by_code, citizen_report_named, citizen_report_referenced
from .unit import Unit

PER_PHONE = 5  # reports and sightings from one phone ...
PER_PHONE_WINDOW = timedelta(hours=24)  # ... in any 24 hours
MAX_SECRET = 64  # longer references and codes are cut here before hashing (same work, same answer)
HELPLINE = ("CHILDLINE", ("1098",))  # the contact for an unknown reference: help, not a hint


@dataclass(frozen=True, slots=True)
class Receipt:
    reference: str
    status_code: str  # shown once: only its hash is kept


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    status: PublicStatus
    contact: Contact


async def submit(unit: Unit, report: CitizenReportData, photo: object | None = None) -> Receipt:
    """Store a citizen's report or sighting, untriaged, at the police station covering its place."""
    if unit.public_writes is not None:
        await unit.public_writes.admit()  # every attempt counts, a refused one too
    validate_citizen_report(report, unit.geography, unit.today)
    now = datetime.now(UTC)
    await _within_phone_limit(unit, report.contact_phone, now)
    station = await _covering_station(unit, report)
    if station is not None and report.district is None:
        report.district = station.district_code
    # A photo sent with it (input.photo): checked and re-encoded on a thread once the cheap checks and limits passed.
    kept = await photos.filed(unit, await photos.cleaned(unit, photo, "input.photo")) if photo is not None else None
    code, salt = new_code(), new_salt()
    code_hash = await asyncio.to_thread(hash_code, code, salt)  # scrypt, ~5 ms: off the event loop
    row = CitizenReportRow(
        kind=report.kind.value,
        reference=new_reference(),
        code_salt=salt,
        code_hash=code_hash,
        contact_phone=report.contact_phone,
        consent=report.consent,
        declares_no_sexual_offence=report.declares_no_sexual_offence,
        needs_help=report.needs_help,
        state_code=report.state,
        district_code=report.district,
        latitude=report.latitude,
        longitude=report.longitude,
        place_text=report.place_text,
        police_station_id=station.id if station else None,
        event_date=report.event_date,
        child_name=report.child_name,
        gender=report.gender.value if report.gender else None,
        age_years=report.age_years,
        height_cm=report.height_cm,
        complexion=report.complexion,
        identifying_marks=report.identifying_marks,
        languages=report.languages,
        clothing=report.clothing,
        circumstances=report.circumstances,
        reporter_name=report.reporter_name,
        reporter_relation=report.reporter_relation,
        created_at=now,
        triage_status=TriageStatus.UNTRIAGED.value,
    )
    async with photos.removed_on_failure(unit, kept), unit.write() as session:
        repository = CitizenReportRepository(session)
        await repository.add(row, unit.principal.subject or "public")
        if kept is not None:
            kept.citizen_report_id = row.id
            PhotoRepository(session).add(kept)
        # The count again, now atomic with the insert: the check above was read before it, so 20 submissions at
        # once from one phone all passed it. The phone is held to the end of this transaction (SQLite: the insert
        # holds the one write lock already), so the others wait, then count this one; over the limit rolls back.
        await repository.hold_phone(report.contact_phone)
        recent = await repository.recent_by_phone(report.contact_phone, now - PER_PHONE_WINDOW, besides=row.id)
        _refuse_past_limit(recent, now)
    return Receipt(row.reference, code)


async def case_status(unit: Unit, reference: str, code: str) -> StatusAnswer:
    """The coarse status and whom to contact; one answer, after the same work, for a wrong reference or code, and
    for a reference locked by too many attempts (``status_guesses``: counted whether it exists or not)."""
    gate = unit.status_guesses
    if gate is not None:
        await gate.admit_ip()  # RATE_LIMITED: about the caller's IP, never about a reference
    reference, code = normalise(reference)[:MAX_SECRET], normalise(code)[:MAX_SECRET]
    unlocked = await gate.admit_reference(reference) if gate is not None else True
    row = await citizen_report_by_code(unit, reference, code)  # the same work when locked: its answer is dropped
    if row is None or not unlocked:
        return StatusAnswer(PublicStatus.UNKNOWN, Contact(HELPLINE[0], HELPLINE[1]))
    closed = False
    if row.linked_case_id is not None:
        case = await unit.loaders.case_by_id.one(row.linked_case_id)
        closed = case is not None and case.status in (CaseStatus.CLOSED.value, CaseStatus.RESOLVED.value)
    station = await unit.loaders.directory_entry_by_id.one(row.police_station_id) if row.police_station_id else None
    contact = Contact(station.name, tuple(station.phones)) if station else Contact(HELPLINE[0], HELPLINE[1])
    return StatusAnswer(public_status(row.triage_status, row.triage_decision, closed), contact)


async def untriaged(unit: Unit, police_station: str | None, first: int) -> list[CitizenReportRow]:
    """The reports and sightings waiting for triage in the caller's jurisdiction (``cases:read``), oldest first."""
    check_first(first)
    scope = case_scope(unit.principal)
    return await unit.read(lambda s: CitizenReportRepository(s).untriaged(scope, police_station, first))


async def by_reference(unit: Unit, reference: str) -> CitizenReportRow:
    """A report or sighting by its reference, where an alert's link opens it (``/citizen-reports/<reference>``):
    inside the caller's jurisdiction (``cases:read``), NOT_FOUND alike for one outside it and for none."""
    return await citizen_report_referenced(unit, reference)


async def register_case(
    unit: Unit, report_id: str, fir: FirData, police_station: str | None, note: str | None
) -> tuple[CitizenReportRow, CaseRow]:
    """A family's report becomes a missing case (its FIR required: ``reportMissing``'s rules and record rule)."""
    row = await _waiting(unit, report_id, CitizenReportKind.MISSING)
    case = CaseData(
        kind=CaseKind.MISSING,
        child=ChildData(
            gender=_gender(row),
            name=row.child_name,
            age_years=row.age_years,
            height_cm=row.height_cm,
            complexion=row.complexion,
            identifying_marks=list(row.identifying_marks),
            languages=list(row.languages),
            clothing=row.clothing,
            guardians=[GuardianData(_relation(row.reporter_relation), row.reporter_name, row.contact_phone)],
        ),
        place=PlaceData(
            state=row.state_code,
            district=row.district_code,
            police_station=police_station or row.police_station_id,
            text=row.place_text,
            latitude=row.latitude,
            longitude=row.longitude,
        ),
        event_date=row.event_date,
        reported_at=datetime.now(UTC),
        missing=MissingDetails(
            fir=fir,
            circumstances=row.circumstances,
            reporter_name=row.reporter_name,
            reporter_relation=row.reporter_relation,
            reporter_phone=row.contact_phone,
        ),
        extra={"citizen_report": row.reference},
    )
    actor = unit.principal.subject or "unknown"

    async def registered(session: AsyncSession, case_id: str) -> None:  # in the case's transaction: both or neither
        decision = TriageDecision.CASE_REGISTERED.value
        if not await CitizenReportRepository(session).decide(row, decision, actor, datetime.now(UTC), case_id, note):
            raise Conflict("this report was triaged already by someone else")
        await PhotoRepository(session).give_to_case(row.id, case_id)  # the family's photo, if they sent one

    created = await report_missing(unit, case, along=registered)
    return row, created


async def link_sighting(unit: Unit, report_id: str, case_id: str, note: str | None) -> CitizenReportRow:
    """A sighting linked to a case the caller may see."""
    row = await _waiting(unit, report_id, CitizenReportKind.SIGHTING)
    case = await case_named(unit, case_id)
    if not isinstance(case, CaseRow):
        raise BadUserInput("input.caseId", "is a state system's live record: link the sighting once it is synced")
    actor, now = unit.principal.subject or "unknown", datetime.now(UTC)
    async with unit.write() as session:
        if not await CitizenReportRepository(session).decide(
            row, TriageDecision.LINKED.value, actor, now, case.id, note
        ):
            raise Conflict("this report was triaged already by someone else")
        seen = {"citizen_report": row.reference, "seen_on": row.event_date.isoformat(), "district": row.district_code}
        CaseEventRepository(session).append(case.id, CaseEventType.SIGHTING_LINKED, actor=actor, note=note, data=seen)
    return row


async def sighting_candidates(unit: Unit, report_id: str, first: int) -> list[MatchView]:
    """The missing children a sighting may be of: the sighting as the matcher's evidence (a child seen at a place on
    a day, as a found child would be), candidates masked outside the caller's jurisdiction as ``findMatches``."""
    row = await citizen_report_named(unit, report_id)
    if row.kind != CitizenReportKind.SIGHTING.value:
        raise BadUserInput("id", "is a family's report, not a sighting")
    seen = MatchRecord(
        kind=CaseKind.FOUND,
        gender=_gender(row),
        name=row.child_name,
        age_years=row.age_years,
        event_date=row.event_date,
        state=row.state_code,
        district=row.district_code,
        latitude=row.latitude,
        longitude=row.longitude,
        height_cm=row.height_cm,
        identifying_marks=tuple(row.identifying_marks),
        clothing=row.clothing,
        languages=tuple(row.languages),
    )
    return await find_matches(unit, seen, frozenset({CaseKind.MISSING}), first)


async def dismiss(unit: Unit, report_id: str, reason: str) -> CitizenReportRow:
    """Neither a case nor a sighting of one (a duplicate, a hoax): the reason is required and recorded."""
    if not reason.strip():
        raise BadUserInput("input.reason", "is required")
    row = await citizen_report_named(unit, report_id)
    await _decide(unit, row, TriageDecision.DISMISSED, None, reason.strip())
    return row


async def waiting(unit: Unit) -> list[tuple[Waiting, str | None]]:
    """Per police station of the caller's jurisdiction: reports and sightings waiting for triage, the oldest, and the
    station's name."""
    scope = record_scope(unit.principal)
    rows = await unit.read(lambda s: CitizenReportRepository(s).waiting(scope))
    loader = unit.loaders.directory_entry_by_id
    stations = await asyncio.gather(*(loader.one(w.police_station_id) for w in rows if w.police_station_id))
    names = {e.id: e.name for e in stations if e is not None}
    return [(w, names.get(w.police_station_id or "")) for w in rows]


async def _waiting(unit: Unit, report_id: str, kind: CitizenReportKind) -> CitizenReportRow:
    row = await citizen_report_named(unit, report_id)
    if row.kind != kind.value:
        raise BadUserInput("input.id", f"is a {row.kind.lower()} report, not a {kind.value.lower()} one")
    if row.triage_status != TriageStatus.UNTRIAGED.value:
        raise Conflict(f"this report was triaged already ({row.triage_decision})")
    return row


async def _decide(
    unit: Unit, row: CitizenReportRow, decision: TriageDecision, case_id: str | None, note: str | None
) -> None:
    actor = unit.principal.subject or "unknown"
    async with unit.write() as session:
        decided = await CitizenReportRepository(session).decide(
            row, decision.value, actor, datetime.now(UTC), case_id, note
        )
    if not decided:
        raise Conflict("this report was triaged already by someone else")


async def _within_phone_limit(unit: Unit, phone: str, now: datetime) -> None:
    """The cheap early refusal (before the code is hashed); ``submit`` counts again atomically with its insert."""
    since = now - PER_PHONE_WINDOW
    _refuse_past_limit(await unit.read(lambda s: CitizenReportRepository(s).recent_by_phone(phone, since)), now)


def _refuse_past_limit(recent: list[datetime], now: datetime) -> None:
    """``recent``: the phone's other reports in the window, oldest first."""
    if len(recent) >= PER_PHONE:
        frees_at = recent[len(recent) - PER_PHONE] + PER_PHONE_WINDOW
        retry = max(1, math.ceil((frees_at - now).total_seconds()))
        raise TooMany(f"this phone has sent {PER_PHONE} reports in 24 hours", retry)


async def _covering_station(unit: Unit, report: CitizenReportData) -> DirectoryEntryRow | None:
    """The police station covering the district (the nearest of them to the point when there is one); with only a
    point, the nearest station in the state."""
    kinds = [DirectoryKind.POLICE_STATION]
    lat, lon = report.latitude, report.longitude
    if report.district is not None:
        district = report.district
        covering = await unit.read(lambda s: DirectoryRepository(s).covering(kinds, district, None))
        covering = [c for c in covering if c.state_code == report.state]
        if lat is None or lon is None or len(covering) <= 1:
            return covering[0] if covering else None
        return min(covering, key=lambda c: _distance(c, lat, lon))
    if lat is None or lon is None:
        return None  # validation asks for a district or a point
    nearest = await unit.read(lambda s: DirectoryRepository(s).nearest(DirectoryKind.POLICE_STATION, lat, lon, 5))
    return next((row for row, _ in nearest if row.state_code == report.state), None)


def _distance(entry: DirectoryEntryRow, latitude: float, longitude: float) -> float:
    if entry.latitude is None or entry.longitude is None:
        return math.inf
    return (entry.latitude - latitude) ** 2 + (entry.longitude - longitude) ** 2


def _gender(row: CitizenReportRow) -> Gender:
    return Gender(row.gender) if row.gender else Gender.UNKNOWN


def _relation(text: str | None) -> GuardianRelation:
    word = (text or "").strip().upper()
    return GuardianRelation[word] if word in GuardianRelation.__members__ else GuardianRelation.OTHER
