"""Reporting and changing cases: validation, the record rule for every id named, one transaction, a timeline event,
then match proposals for what was stored.

Who may call each use case (``cases:write``) is the caller's business (the schema declares and enforces it on the
root field). Here: every case, child, institution and police station an input names is resolved through
``record_rule`` before anything is written, so a record outside the caller's jurisdiction is answered exactly as one
that does not exist. Errors name the input field as the API spells it (``input.place.policeStation``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.record_access import admits
from ..domain.enums import CaseEventType, CaseKind, CaseStatus
from ..domain.errors import BadUserInput, Forbidden
from ..domain.records import CaseData, CasePatch, PlaceData
from ..domain.validation import validate_case, validate_place
from ..store import case_updates
from ..store.case_references import institution_refs
from ..store.case_writer import create_cases
from ..store.models import CaseRow
from .alerts import on_missing_reported
from .case_workflow import check_risk, store_risk
from .input_errors import in_input
from .proposals import propose_for
from .record_rule import case_named, child_named, institution_named, station_named
from .unit import Unit

Along = Callable[[AsyncSession, str], Awaitable[None]]

# Domain field paths that the mutation inputs spell differently.
RENAMES: Mapping[CaseKind, Mapping[str, str]] = {
    CaseKind.MISSING: {"event_date": "last_seen_date", "missing.reporter": "reporter", "missing.": ""},
    CaseKind.FOUND: {"event_date": "found_on", "found.": ""},
    CaseKind.CARE: {"event_date": "admission_date", "care.admission_order": "admission_order", "care.": ""},
}


async def report_missing(unit: Unit, case: CaseData, *, along: Along | None = None) -> CaseRow:
    """A missing child (an FIR required), reported inside the caller's jurisdiction; matches proposed once stored."""
    assert case.kind is CaseKind.MISSING
    return await report(unit, case, along=along)


async def report_found(unit: Unit, case: CaseData) -> CaseRow:
    """A found child, reported inside the caller's jurisdiction; matches for them are proposed once it is stored."""
    assert case.kind is CaseKind.FOUND
    return await report(unit, case)


async def report(unit: Unit, case: CaseData, *, along: Along | None = None) -> CaseRow:
    """Store a new case of any kind written at the hub (source ``hub``), then propose matches for it.

    ``along(session, case_id)`` writes in the case's transaction (a citizen report marked as registered): if it
    raises, neither is stored."""
    renames = RENAMES[case.kind]
    try:
        validate_case(case, unit.geography, unit.today)
        check_risk(case, unit.today)
    except BadUserInput as exc:
        raise in_input(exc, renames) from None
    if not admits(unit.principal, case.place.state, case.place.district):
        raise Forbidden("the place is outside your jurisdiction", suggestion="report it to the police there")
    try:
        if case.place.police_station:
            await station_named(unit, case.place.police_station, "place.police_station")
        for reference in institution_refs(case):
            await institution_named(unit, reference, "care.institution" if case.care else "found.institution")
    except BadUserInput as exc:
        raise in_input(exc, renames) from None
    case.source, case.external_id = "hub", None
    async with unit.write():
        [outcome] = await create_cases(
            unit.session, [case], unit.geography, event=CaseEventType.REPORTED, actor=unit.principal.subject
        )
        if outcome.error is not None:
            raise in_input(outcome.error, renames)  # rolls the transaction back
        if case.kind is CaseKind.MISSING and outcome.case_id is not None:  # alerts commit with the case, or neither
            await store_risk(unit.session, case, outcome.case_id, unit.principal.subject, unit.today)  # the urgency
            await on_missing_reported(unit.session, unit.services.settings, unit.geography, outcome.case_id)
        if along is not None and outcome.case_id is not None:
            await along(unit.session, outcome.case_id)
    assert outcome.case_id is not None
    await propose_for(unit.services, [outcome.case_id])
    row = await unit.loaders.case_by_id.one(outcome.case_id)
    assert isinstance(row, CaseRow)  # just written: the store's row (a live record is never one)
    return row


async def admit(unit: Unit, case: CaseData) -> CaseRow:
    """A care case, placed where the institution is; an existing child only if the caller may see them."""
    assert case.care is not None
    if case.child_id is not None:
        await child_named(unit, case.child_id)
    try:
        institution = await institution_named(unit, case.care.institution, "institution")
    except BadUserInput as exc:
        raise in_input(exc) from None
    case.care.institution = institution.id
    case.place = PlaceData(
        state=institution.state_code,
        district=institution.district_code,
        text=institution.name,
        latitude=institution.latitude,
        longitude=institution.longitude,
    )
    return await report(unit, case)


async def update(unit: Unit, case_id: str, patch: CasePatch) -> CaseRow:
    """Change a case the caller may see, at the version they read (CONFLICT otherwise); matches proposed again."""
    await case_named(unit, case_id)
    try:
        async with unit.write():
            row = await case_updates.load_for_update(unit.session, case_id, patch.version)
            await case_updates.update_case(unit.session, row, patch, unit.principal.subject)
    except BadUserInput as exc:
        raise in_input(exc) from None
    await propose_for(unit.services, [row.id])
    return row


async def transfer(
    unit: Unit,
    case_id: str,
    version: int,
    *,
    state: str,
    district: str | None,
    police_station: str | None,
    institution: str | None,
    note: str | None,
) -> CaseRow:
    """Move a case the caller may see to another state/district, police station or institution (theirs to name)."""
    await case_named(unit, case_id)
    try:
        validate_place(PlaceData(state=state, district=district), unit.geography)
    except BadUserInput as exc:
        raise in_input(exc, {"place.": ""}) from None
    # The receiving station and institution are the receiving jurisdiction's (a transfer moves a case out).
    receiving = (state, district)
    try:
        station = await station_named(unit, police_station, "police_station", receiving) if police_station else None
        home = await institution_named(unit, institution, "institution", receiving) if institution else None
        async with unit.write():
            row = await case_updates.load_for_update(unit.session, case_id, version)
            await case_updates.transfer_case(
                unit.session,
                row,
                state=state,
                district=district,
                police_station_id=station.id if station else None,
                institution_id=home.id if home else None,
                actor=unit.principal.subject,
                note=note,
            )
    except BadUserInput as exc:
        raise in_input(exc) from None
    return row


async def close(unit: Unit, case_id: str, version: int, outcome: CaseStatus, reason: str) -> CaseRow:
    """Close a case the caller may see as RESOLVED or CLOSED, with a reason."""
    await case_named(unit, case_id)
    if not reason.strip():
        raise BadUserInput("input.reason", "is required")
    try:
        async with unit.write():
            row = await case_updates.load_for_update(unit.session, case_id, version)
            await case_updates.close_case(
                unit.session,
                row,
                outcome=outcome,
                reason=reason.strip(),
                today=unit.today,
                actor=unit.principal.subject,
            )
    except BadUserInput as exc:
        raise in_input(exc) from None
    return row
