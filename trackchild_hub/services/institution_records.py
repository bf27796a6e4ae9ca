"""An institution's own record (infrastructure, inspections) and the monitoring lists legal services authorities
watch (institutions whose children's records went quiet; institutions over capacity).

Who: writing needs ``institutions:write`` (DCPU, SCPS, CPSU: the bodies CONTRACT.md lets maintain CCIs; a CCI itself
does not hold it and has no claim naming its institution), checked by the schema's operation guard. Reading the record
needs ``reports:read`` or ``institutions:write`` (the schema's field guard), and both lists ``reports:read`` (legal
services, district administration, CWC/JJB, DCPU/SCPS, AHTU, CPSU, state IT): they hold counts and dates, no child.
Where: every one of them stays inside the caller's jurisdiction (the record rule's ``admits``). An institution is public
directory data, so naming one elsewhere leaks nothing: a write there is BAD_USER_INPUT like any unknown institution
(``record_rule.institution_named``), and its record reads as absent (null, an empty list).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..auth.record_access import admits, record_scope
from ..domain.errors import BadUserInput, Conflict
from ..domain.filters import check_first
from ..domain.institution_records import (
    Infrastructure,
    Inspection,
    check_stale_days,
    validate_infrastructure,
    validate_inspection,
)
from ..store.case_records import InstitutionRecord
from ..store.institution_monitoring import InstitutionActivity, InstitutionMonitoring
from ..store.institution_records import InstitutionRecordRepository
from ..store.models import InfrastructureRow, InspectionRow, InstitutionRow
from ..store.pagination import Page
from .input_errors import in_input
from .record_rule import inspection_named, institution_named
from .unit import Unit

Shown = InstitutionRow | InstitutionRecord  # as the API holds one: a row, or a live record's copy


def _monitored(unit: Unit, institution: Shown) -> bool:
    return admits(unit.principal, institution.state_code, institution.district_code)


def _actor(unit: Unit) -> tuple[str, str | None]:
    p = unit.principal
    return p.actor, p.agency.value if p.agency else None


# Reading (the schema has checked the scopes).


async def institution_record(unit: Unit, reference: str) -> InstitutionRow:
    """The institution whose record to read: inside the caller's jurisdiction (BAD_USER_INPUT otherwise)."""
    return await institution_named(unit, reference, "institution")


async def infrastructure_history(unit: Unit, institution: Shown) -> list[InfrastructureRow]:
    """Every version, newest first; none outside the caller's jurisdiction."""
    if not _monitored(unit, institution):
        return []
    return await unit.read(lambda s: InstitutionRecordRepository(s).infrastructure(institution.id))


async def current_infrastructure(unit: Unit, institution: Shown) -> InfrastructureRow | None:
    if not _monitored(unit, institution):
        return None
    rows = await unit.read(lambda s: InstitutionRecordRepository(s).current_infrastructure([institution.id]))
    return rows.get(institution.id)


async def inspections(unit: Unit, institution: Shown, first: int) -> list[InspectionRow]:
    """Current versions, latest inspection first; none outside the caller's jurisdiction."""
    check_first(first)
    if not _monitored(unit, institution):
        return []
    return await unit.read(lambda s: InstitutionRecordRepository(s).inspections(institution.id, first))


async def inspection_history(unit: Unit, inspection_id: str) -> list[InspectionRow]:
    """Every version of an inspection already shown to the caller (so inside their jurisdiction), newest first."""
    return await unit.read(lambda s: InstitutionRecordRepository(s).inspection_versions(inspection_id))


async def stale_institutions(
    unit: Unit, days: int, first: int, after: str | None, *, now: datetime | None = None
) -> Page[InstitutionActivity]:
    """Institutions in the caller's jurisdiction with children in care none of whose records (case, e-file) changed
    in the last ``days`` days, stalest first."""
    check_stale_days(days)
    check_first(first)
    before = (now or datetime.now(UTC)) - timedelta(days=days)
    scope = record_scope(unit.principal)
    return await unit.read(lambda s: InstitutionMonitoring(s).stale(scope, before, first, after))


async def over_capacity(unit: Unit, first: int, after: str | None) -> Page[InstitutionActivity]:
    """Institutions in the caller's jurisdiction holding more children in care than their capacity, most over first."""
    check_first(first)
    scope = record_scope(unit.principal)
    return await unit.read(lambda s: InstitutionMonitoring(s).over_capacity(scope, first, after))


# Writing (institutions:write, checked by the schema): one transaction each, nothing written on a refusal.


async def set_infrastructure(unit: Unit, reference: str, version: int, value: Infrastructure) -> InfrastructureRow:
    """A new version of the institution's infrastructure on top of ``version`` (the one read; 0 for the first);
    its capacity becomes the institution's."""
    if version < 0:
        raise BadUserInput("input.version", f"{version} is below 0")
    try:
        validate_infrastructure(value)
    except BadUserInput as exc:
        raise in_input(exc) from None
    institution = await institution_named(unit, reference, "input.institution")
    actor, agency = _actor(unit)
    async with unit.write() as session:
        row = await InstitutionRecordRepository(session).set_infrastructure(
            institution, version, value, actor=actor, agency=agency
        )
    unit.loaders.institution_by_id.clear(institution.id)  # its capacity changed
    return row


async def record_inspection(unit: Unit, reference: str, value: Inspection) -> InspectionRow:
    """Version 1 of an inspection of an institution in the caller's jurisdiction."""
    try:
        validate_inspection(value, unit.today)
    except BadUserInput as exc:
        raise in_input(exc) from None
    institution = await institution_named(unit, reference, "input.institution")
    actor, agency = _actor(unit)
    async with unit.write() as session:
        return await InstitutionRecordRepository(session).record_inspection(
            institution.id, value, actor=actor, agency=agency
        )


async def revise_inspection(unit: Unit, inspection_id: str, version: int, value: Inspection) -> InspectionRow:
    """The next version of an inspection (a correction, the follow-up done), on top of ``version`` (the one read)."""
    current = await inspection_named(unit, inspection_id)
    try:
        validate_inspection(value, unit.today)
    except BadUserInput as exc:
        raise in_input(exc) from None
    if current.version != version:
        raise Conflict(
            f"the inspection is at version {current.version}, not {version}",
            suggestion="read it again and send the new version",
        )
    actor, agency = _actor(unit)
    async with unit.write() as session:
        return await InstitutionRecordRepository(session).record_inspection(
            current.institution_id, value, actor=actor, agency=agency, supersedes=current
        )
