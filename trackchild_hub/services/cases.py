"""Reporting and changing cases: validation, the record rule for every id named, one transaction, a timeline event,
then match proposals for what was stored.

Who may call each use case (``cases:write``) is the caller's business (the schema declares and enforces it on the
root field). Here: every case, child, institution and police station an input names is resolved through
``record_rule`` before anything is written, so a record outside the caller's jurisdiction is answered exactly as one
that does not exist. Errors name the input field as the API spells it (``input.place.policeStation``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..auth.record_access import admits
from ..domain.enums import CaseEventType, CaseKind
from ..domain.errors import BadUserInput, Forbidden
from ..domain.records import CaseData
from ..domain.validation import validate_case
from ..store.case_references import institution_refs
from ..store.case_writer import create_cases
from ..store.models import CaseRow
from .input_errors import in_input
from .proposals import propose_for
from .record_rule import institution_named, station_named
from .unit import Unit

# Domain field paths that the mutation inputs spell differently.
RENAMES: Mapping[CaseKind, Mapping[str, str]] = {
    CaseKind.MISSING: {"event_date": "last_seen_date", "missing.reporter": "reporter", "missing.": ""},
    CaseKind.FOUND: {"event_date": "found_on", "found.": ""},
    CaseKind.CARE: {"event_date": "admission_date", "care.admission_order": "admission_order", "care.": ""},
}


async def report_found(unit: Unit, case: CaseData) -> CaseRow:
    """A found child, reported inside the caller's jurisdiction; matches for them are proposed once it is stored."""
    assert case.kind is CaseKind.FOUND
    return await report(unit, case)


async def report(unit: Unit, case: CaseData) -> CaseRow:
    """Store a new case of any kind written at the hub (source ``hub``), then propose matches for it."""
    renames = RENAMES[case.kind]
    try:
        validate_case(case, unit.geography, unit.today)
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
    assert outcome.case_id is not None
    await propose_for(unit.services, [outcome.case_id])
    row = await unit.loaders.case_by_id.one(outcome.case_id)
    assert isinstance(row, CaseRow)  # just written: the store's row (a live record is never one)
    return row
