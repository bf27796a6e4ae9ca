"""The case use cases (``services.cases``) called directly with a unit of work: missing, admit, update, transfer,
close. Each names its records through the record rule: a case outside the caller's jurisdiction is NOT_FOUND."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, POLICE, WB, seed_catalogue, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import CaseEventType, CaseKind, CaseStatus, Gender
from trackchild_hub.domain.errors import BadUserInput, Conflict, NotFound
from trackchild_hub.domain.records import (
    CareDetails,
    CaseData,
    CasePatch,
    ChildData,
    ChildPatch,
    FirData,
    MissingDetails,
    PlaceData,
)
from trackchild_hub.services import cases
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store.models import CaseEventRow, CaseRow

BIHAR_POLICE = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)


def missing() -> CaseData:
    seen = today() - timedelta(days=10)
    return CaseData(
        kind=CaseKind.MISSING,
        child=ChildData(gender=Gender.MALE, name="Rahul Kumar", age_years=9),
        place=PlaceData(state=WB, district=HOWRAH, police_station="PS-19-313-001", text="Howrah station"),
        event_date=seen,
        reported_at=datetime.now(UTC),
        missing=MissingDetails(fir=FirData("123/2026", seen)),
    )


async def events(store: Services, case_id: str) -> list[str]:
    async with store.sessions() as session:
        query = select(CaseEventRow.type).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.id)
        return list(await session.scalars(query))


async def test_report_missing_needs_its_fir_and_stores_the_case(store: Services) -> None:
    await seed_catalogue(store)
    without = missing()
    without.missing = MissingDetails()
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(BadUserInput) as raised:
            await cases.report_missing(unit, without)
        row = await cases.report_missing(unit, missing())
    assert raised.value.field == "input.fir"
    assert (row.kind, row.status, row.police_station_id) == ("MISSING", "OPEN", "PS-19-313-001")
    assert await events(store, row.id) == [CaseEventType.REPORTED.value]


async def test_admit_places_the_care_case_where_the_institution_is(store: Services) -> None:
    await seed_catalogue(store)
    case = missing()
    case.kind, case.missing = CaseKind.CARE, None
    case.place = PlaceData(state=BIHAR)  # replaced by the institution's place
    case.care = CareDetails(institution="WB/CCI/2020/0001", admission_order_number="CWC/HWH/2026/1")
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.admit(unit, case)
    assert (row.kind, row.state_code, row.district_code) == ("CARE", WB, HOWRAH)


async def test_update_changes_the_case_once_and_a_stale_version_conflicts(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, missing())
        updated = await cases.update(unit, row.id, CasePatch(version=1, child=ChildPatch(age_years=10)))
        assert updated.version == 2
        with pytest.raises(Conflict):
            await cases.update(unit, row.id, CasePatch(version=1, child=ChildPatch(age_years=11)))
    assert await events(store, row.id) == [CaseEventType.REPORTED.value, CaseEventType.UPDATED.value]


async def test_transfer_moves_the_case_and_close_ends_it(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, missing())
        moved = await cases.transfer(
            unit, row.id, 1, state=WB, district=KOLKATA, police_station=None, institution=None, note="moved"
        )
        assert (moved.district_code, moved.version) == (KOLKATA, 2)
        with pytest.raises(BadUserInput) as raised:
            await cases.close(unit, row.id, 2, CaseStatus.CLOSED, "  ")
        assert raised.value.field == "input.reason"
        closed = await cases.close(unit, row.id, 2, CaseStatus.CLOSED, "found at home")
    assert (closed.status, closed.closure_reason) == ("CLOSED", "found at home")


async def test_a_case_outside_the_callers_state_is_not_found_and_unchanged(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, missing())
    async with Unit.opened(store, BIHAR_POLICE) as unit:
        with pytest.raises(NotFound):
            await cases.update(unit, row.id, CasePatch(version=1, place_text="elsewhere"))
        with pytest.raises(NotFound):
            await cases.close(unit, row.id, 1, CaseStatus.CLOSED, "not mine")
        with pytest.raises(NotFound):
            await cases.transfer(
                unit, row.id, 1, state=BIHAR, district=PATNA, police_station=None, institution=None, note=None
            )
    async with store.sessions() as session:
        stored = await session.get(CaseRow, row.id)
    assert stored is not None
    assert (stored.version, stored.status, stored.district_code) == (1, "OPEN", HOWRAH)
