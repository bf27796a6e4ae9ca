"""Creating and changing cases: scope check, validation, one transaction, a timeline event."""

from __future__ import annotations

from collections.abc import Mapping

from ..auth.record_access import case_scope
from ..auth.scopes import Scope
from ..domain.enums import CaseEventType, CaseKind, CaseStatus
from ..domain.errors import BadUserInput, Forbidden, NotFound
from ..domain.records import CaseData, CasePatch, PlaceData
from ..domain.validation import validate_case, validate_place
from ..store import case_updates
from ..store.case_writer import create_cases
from ..store.institutions import InstitutionRepository
from ..store.models import CaseRow
from .context import Context
from .input_errors import in_input
from .match_proposals import propose_for
from .record_access import visible_case

# Domain field paths that the mutation inputs spell differently.
RENAMES: Mapping[CaseKind, Mapping[str, str]] = {
    CaseKind.MISSING: {"event_date": "last_seen_date", "missing.reporter": "reporter", "missing.": ""},
    CaseKind.FOUND: {"event_date": "found_on", "found.": ""},
    CaseKind.CARE: {"event_date": "admission_date", "care.admission_order": "admission_order", "care.": ""},
}


async def create_case(ctx: Context, case: CaseData) -> CaseRow:
    ctx.require(Scope.CASES_WRITE.value)
    renames = RENAMES[case.kind]
    try:
        validate_case(case, ctx.geography, ctx.today)
    except BadUserInput as exc:
        raise in_input(exc, renames) from None
    if not case_scope(ctx.principal).admits(case.place.state, case.place.district, confidential=False):
        raise Forbidden("the place is outside your jurisdiction", suggestion="report it to the police there")
    case.source, case.external_id = "hub", None
    async with ctx.write():
        [outcome] = await create_cases(
            ctx.session, [case], ctx.geography, event=CaseEventType.REPORTED, actor=ctx.principal.subject
        )
        if outcome.error is not None:
            raise in_input(outcome.error, renames)  # rolls the transaction back
    assert outcome.case_id is not None
    await propose_for(ctx.services, [outcome.case_id])
    row = await ctx.loaders.case_by_id.one(outcome.case_id)
    assert row is not None
    return row


async def admit(ctx: Context, case: CaseData) -> CaseRow:
    """A care case, placed where the institution is."""
    ctx.require(Scope.CASES_WRITE.value)
    assert case.care is not None
    reference = case.care.institution
    institution = await ctx.read(lambda s: InstitutionRepository(s).by_reference(reference))
    if institution is None:
        raise BadUserInput("input.institution", f"{reference!r} is not a registered institution")
    case.care.institution = institution.id
    case.place = PlaceData(
        state=institution.state_code,
        district=institution.district_code,
        text=institution.name,
        latitude=institution.latitude,
        longitude=institution.longitude,
    )
    return await create_case(ctx, case)


async def update(ctx: Context, case_id: str, patch: CasePatch) -> CaseRow:
    ctx.require(Scope.CASES_WRITE.value)
    try:
        await _require_visible(ctx, case_id)
        async with ctx.write():
            row = await case_updates.load_for_update(ctx.session, case_id, patch.version)
            await case_updates.update_case(ctx.session, row, patch, ctx.principal.subject)
    except BadUserInput as exc:
        raise in_input(exc) from None
    await propose_for(ctx.services, [row.id])
    return row


async def transfer(
    ctx: Context,
    case_id: str,
    version: int,
    *,
    state: str,
    district: str | None,
    police_station: str | None,
    institution: str | None,
    note: str | None,
) -> CaseRow:
    ctx.require(Scope.CASES_WRITE.value)
    try:
        validate_place(PlaceData(state=state, district=district), ctx.geography)
    except BadUserInput as exc:
        raise in_input(exc, {"place.": ""}) from None
    try:
        await _require_visible(ctx, case_id)
        async with ctx.write():
            row = await case_updates.load_for_update(ctx.session, case_id, version)
            station_id = await case_updates.resolve_station(ctx.session, police_station, state, district)
            institution_id = await case_updates.resolve_institution(ctx.session, institution)
            await case_updates.transfer_case(
                ctx.session,
                row,
                state=state,
                district=district,
                police_station_id=station_id,
                institution_id=institution_id,
                actor=ctx.principal.subject,
                note=note,
            )
    except BadUserInput as exc:
        raise in_input(exc) from None
    return row


async def close(ctx: Context, case_id: str, version: int, outcome: CaseStatus, reason: str) -> CaseRow:
    ctx.require(Scope.CASES_WRITE.value)
    if not reason.strip():
        raise BadUserInput("input.reason", "is required")
    try:
        await _require_visible(ctx, case_id)
        async with ctx.write():
            row = await case_updates.load_for_update(ctx.session, case_id, version)
            await case_updates.close_case(
                ctx.session,
                row,
                outcome=outcome,
                reason=reason.strip(),
                today=ctx.today,
                actor=ctx.principal.subject,
            )
    except BadUserInput as exc:
        raise in_input(exc) from None
    return row


async def _require_visible(ctx: Context, case_id: str) -> None:
    if await visible_case(ctx, case_id) is None:
        raise NotFound("no such case", suggestion="it may be outside your jurisdiction")
