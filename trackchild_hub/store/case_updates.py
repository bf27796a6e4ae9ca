"""Changing cases: update, transfer, close; each checks the version the caller read (optimistic concurrency)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from ..domain.age import estimated_birth_date
from ..domain.enums import CaseEventType, CaseStatus, Gender
from ..domain.errors import BadUserInput, Conflict, NotFound
from ..domain.naming import camel_case
from ..domain.records import CasePatch, ChildData
from ..domain.validation import validate_child
from .cases import search_text
from .directory import DirectoryRepository
from .events import CaseEventRepository
from .institutions import InstitutionRepository
from .models import CareCaseRow, CaseRow, ChildAliasRow, ChildRow, FoundCaseRow, MissingCaseRow
from .models.base import utcnow


async def load_for_update(session: AsyncSession, case_id: str, version: int) -> CaseRow:
    row = await session.get(CaseRow, case_id)
    if row is None:
        raise NotFound(f"no case with id {case_id!r}")
    if row.version != version:
        raise Conflict(
            f"the case changed since you read it (version {version}, now {row.version})",
            suggestion="read the case again, reapply your change, send the new version",
        )
    return row


async def flush_guarded(session: AsyncSession) -> None:
    """Flush; a concurrent writer that bumped the version first turns into CONFLICT."""
    try:
        await session.flush()
    except StaleDataError:
        raise Conflict("the case changed while you were updating it", suggestion="read it again") from None


async def update_case(session: AsyncSession, row: CaseRow, patch: CasePatch, actor: str | None) -> list[str]:
    """Apply ``patch``; returns the names of the fields that changed (recorded on the timeline, not values)."""
    changed: list[str] = []
    child = await session.get(ChildRow, row.child_id)
    assert child is not None
    changed += await _patch_child(session, child, patch, row.event_date)
    if patch.place_text is not None:
        row.place_text, changed = patch.place_text.strip() or None, [*changed, "place.text"]
    consent = patch.publication_consent
    if consent is not None and consent == row.publication_consent:
        consent = None  # consent as it stands: nothing to record
    if consent is not None:
        row.publication_consent = consent
    if patch.circumstances is not None:
        if not isinstance(row, MissingCaseRow):
            raise BadUserInput("circumstances", "only a missing case has circumstances")
        row.circumstances, changed = patch.circumstances.strip() or None, [*changed, "circumstances"]
    if patch.current_placement is not None:
        if not isinstance(row, FoundCaseRow):
            raise BadUserInput("current_placement", "only a found case has a current placement")
        row.current_placement, changed = (
            patch.current_placement.strip() or None,
            [*changed, "currentPlacement"],
        )
    if not changed and consent is None:
        raise BadUserInput("input", "changes nothing")
    row.updated_at = utcnow()
    events = CaseEventRepository(session)
    if changed:
        events.append(row.id, CaseEventType.UPDATED, actor=actor, note=patch.note, data={"fields": changed})
    if consent is not None:  # its own event: who consented to publication (or withdrew it) and when
        kind = CaseEventType.NOTICE_CONSENTED if consent else CaseEventType.NOTICE_WITHDRAWN
        events.append(row.id, kind, actor=actor, note=patch.note, data={"publicationConsent": consent})
    await flush_guarded(session)
    return [*changed, "publicationConsent"] if consent is not None else changed


async def _patch_child(session: AsyncSession, child: ChildRow, patch: CasePatch, on: date) -> list[str]:
    p = patch.child
    values: dict[str, Any] = {
        k: getattr(p, k)
        for k in (
            "name",
            "gender",
            "age_years",
            "date_of_birth",
            "height_cm",
            "complexion",
            "identifying_marks",
            "languages",
            "clothing",
        )
        if getattr(p, k) is not None
    }
    if not values and p.aliases is None:
        return []
    merged = ChildData(
        gender=values.get("gender", Gender(child.gender)),
        name=values.get("name", child.name),
        aliases=p.aliases if p.aliases is not None else [],
        age_years=values.get("age_years", child.age_years),
        date_of_birth=values.get("date_of_birth", child.date_of_birth),
        height_cm=values.get("height_cm", child.height_cm),
        complexion=values.get("complexion", child.complexion),
        identifying_marks=values.get("identifying_marks", child.identifying_marks),
        languages=values.get("languages", child.languages),
        clothing=values.get("clothing", child.clothing),
    )
    validate_child(merged, on)  # raises with the domain path (child.age_years)
    for key in values:
        value = getattr(merged, key)
        setattr(child, key, value.value if isinstance(value, Gender) else value)
    if "age_years" in values or "date_of_birth" in values:
        child.age_reported_on = on
        child.birth_estimate = estimated_birth_date(child.date_of_birth, child.age_years, on)
    if p.aliases is not None:
        await session.execute(delete(ChildAliasRow).where(ChildAliasRow.child_id == child.id))
        if merged.aliases:
            await session.execute(
                insert(ChildAliasRow),
                [{"child_id": child.id, "position": i, "alias": a} for i, a in enumerate(merged.aliases)],
            )
    if "name" in values or p.aliases is not None:
        aliases = merged.aliases if p.aliases is not None else await _aliases(session, child.id)
        child.search_text = search_text(child.name, *aliases)
    return ["child." + camel_case(k) for k in values] + (["child.aliases"] if p.aliases is not None else [])


async def _aliases(session: AsyncSession, child_id: str) -> list[str]:
    rows = await session.scalars(
        select(ChildAliasRow.alias).where(ChildAliasRow.child_id == child_id).order_by(ChildAliasRow.position)
    )
    return list(rows)


async def resolve_station(session: AsyncSession, reference: str | None, state: str, district: str | None) -> str | None:
    if reference is None:
        return None
    station = await DirectoryRepository(session).police_station(reference)
    if station is None:
        raise BadUserInput("police_station", f"{reference!r} is not a police station")
    if station.state_code != state or (district is not None and station.district_code != district):
        raise BadUserInput("police_station", "is not in the receiving state and district")
    return station.id


async def resolve_institution(session: AsyncSession, reference: str | None) -> str | None:
    if reference is None:
        return None
    institution = await InstitutionRepository(session).by_reference(reference)
    if institution is None:
        raise BadUserInput("institution", f"{reference!r} is not a registered institution")
    return institution.id


async def transfer_case(
    session: AsyncSession,
    row: CaseRow,
    *,
    state: str,
    district: str | None,
    police_station_id: str | None,
    institution_id: str | None,
    actor: str | None,
    note: str | None,
) -> None:
    before = {"state": row.state_code, "district": row.district_code, "policeStation": row.police_station_id}
    row.state_code, row.district_code, row.police_station_id = state, district, police_station_id
    if institution_id is not None:
        if not isinstance(row, CareCaseRow):
            raise BadUserInput("institution", "only a care case moves between institutions")
        before["institution"] = row.institution_id
        row.institution_id = institution_id
    row.updated_at = utcnow()
    after = {
        "state": state,
        "district": district,
        "policeStation": police_station_id,
        "institution": institution_id,
    }
    CaseEventRepository(session).append(
        row.id, CaseEventType.TRANSFERRED, actor=actor, note=note, data={"from": before, "to": after}
    )
    await flush_guarded(session)


async def close_case(
    session: AsyncSession, row: CaseRow, *, outcome: CaseStatus, reason: str, today: date, actor: str | None
) -> None:
    if outcome is CaseStatus.OPEN:
        raise BadUserInput("outcome", "a case is closed as RESOLVED or CLOSED")
    if row.status != CaseStatus.OPEN.value:
        raise Conflict(f"the case is already {row.status}")
    row.status, row.closure_reason = outcome.value, reason
    if isinstance(row, CareCaseRow) and row.exit_date is None:
        row.exit_date = today
    row.updated_at = utcnow()
    CaseEventRepository(session).append(
        row.id, CaseEventType.CLOSED, actor=actor, note=reason, data={"outcome": outcome.value}
    )
    await flush_guarded(session)
