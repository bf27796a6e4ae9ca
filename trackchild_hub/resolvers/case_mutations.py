"""Creating and changing cases: validation, the record rule for every id named, one transaction, a timeline event.

Who may call each mutation (``cases:write``) is declared and enforced on the schema's root field. Here: every case,
child, institution and police station an input names is resolved through ``record_access`` before anything is
written, so a record outside the caller's jurisdiction is answered exactly as one that does not exist.
"""

from __future__ import annotations

from ..domain.enums import CaseStatus
from ..domain.errors import BadUserInput
from ..domain.records import CaseData, CasePatch, PlaceData
from ..domain.validation import validate_place
from ..services import cases
from ..services.proposals import propose_for
from ..services.record_rule import case_named, child_named, institution_named, station_named
from ..store import case_updates
from ..store.models import CaseRow
from .context import Context
from .input_errors import in_input


async def create_case(ctx: Context, case: CaseData) -> CaseRow:
    return await cases.report(ctx, case)


async def admit(ctx: Context, case: CaseData) -> CaseRow:
    """A care case, placed where the institution is; an existing child only if the caller may see them."""
    assert case.care is not None
    if case.child_id is not None:
        await child_named(ctx, case.child_id)
    try:
        institution = await institution_named(ctx, case.care.institution, "institution")
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
    return await create_case(ctx, case)


async def update(ctx: Context, case_id: str, patch: CasePatch) -> CaseRow:
    await case_named(ctx, case_id)
    try:
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
    await case_named(ctx, case_id)
    try:
        validate_place(PlaceData(state=state, district=district), ctx.geography)
    except BadUserInput as exc:
        raise in_input(exc, {"place.": ""}) from None
    # The receiving station and institution are the receiving jurisdiction's (a transfer moves a case out).
    receiving = (state, district)
    try:
        station = await station_named(ctx, police_station, "police_station", receiving) if police_station else None
        home = await institution_named(ctx, institution, "institution", receiving) if institution else None
        async with ctx.write():
            row = await case_updates.load_for_update(ctx.session, case_id, version)
            await case_updates.transfer_case(
                ctx.session,
                row,
                state=state,
                district=district,
                police_station_id=station.id if station else None,
                institution_id=home.id if home else None,
                actor=ctx.principal.subject,
                note=note,
            )
    except BadUserInput as exc:
        raise in_input(exc) from None
    return row


async def close(ctx: Context, case_id: str, version: int, outcome: CaseStatus, reason: str) -> CaseRow:
    await case_named(ctx, case_id)
    if not reason.strip():
        raise BadUserInput("input.reason", "is required")
    try:
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
