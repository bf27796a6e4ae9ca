"""Reporting a found child as a use case (``services.cases.report_found``): a unit of work, a principal, no GraphQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import BIHAR, HOWRAH, PATNA, POLICE, WB, seed_catalogue, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import CaseEventType, CaseKind, Gender
from trackchild_hub.domain.errors import BadUserInput, Forbidden
from trackchild_hub.domain.records import CaseData, ChildData, FirData, FoundDetails, MissingDetails, PlaceData
from trackchild_hub.services.cases import report, report_found
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store.models import CaseEventRow, CaseRow, MatchProposalRow


def found() -> CaseData:
    return CaseData(
        kind=CaseKind.FOUND,
        child=ChildData(gender=Gender.MALE, name="Raju", age_years=10),
        place=PlaceData(state=BIHAR, district=PATNA, text="Patna Junction"),
        event_date=today() - timedelta(days=2),
        reported_at=datetime.now(UTC),
        found=FoundDetails(found_by="RPF Patna"),
    )


async def test_a_found_child_is_stored_with_its_reported_event(store: Services) -> None:
    async with Unit.opened(store, POLICE) as unit:
        row = await report_found(unit, found())
    assert row.kind == CaseKind.FOUND.value
    assert row.reference.startswith("BR-")
    assert (row.state_code, row.district_code, row.source) == (BIHAR, PATNA, "hub")
    async with store.sessions() as session:
        stored = await session.get(CaseRow, row.id)
        events = list(await session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == row.id)))
    assert stored is not None
    assert [(e.type, e.actor) for e in events] == [(CaseEventType.REPORTED.value, "officer-1")]


async def test_matches_are_proposed_for_the_found_child(store: Services) -> None:
    await seed_catalogue(store)
    missing = found()  # the same child, reported missing in West Bengal a week earlier
    missing.kind, missing.found, missing.event_date = CaseKind.MISSING, None, today() - timedelta(days=9)
    missing.place = PlaceData(state=WB, district=HOWRAH, police_station="PS-19-313-001", text="Howrah station")
    missing.missing = MissingDetails(fir=FirData("123/2026", missing.event_date))
    async with Unit.opened(store, POLICE) as unit:
        lost = await report(unit, missing)  # reportMissing's use case
        row = await report_found(unit, found())
    async with store.sessions() as session:
        pairs = list(await session.scalars(select(MatchProposalRow.id)))
    assert f"{lost.id}~{row.id}" in pairs


async def test_outside_the_callers_state_is_forbidden_and_nothing_is_written(store: Services) -> None:
    officer = Principal.for_agency(Agency.POLICE, subject="officer-wb", state=WB)
    async with Unit.opened(store, officer) as unit:
        with pytest.raises(Forbidden):
            await report_found(unit, found())
    async with store.sessions() as session:
        assert list(await session.scalars(select(CaseRow.id))) == []


async def test_bad_input_names_the_field_as_the_api_spells_it(store: Services) -> None:
    case = found()
    case.event_date = today() + timedelta(days=1)
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(BadUserInput) as raised:
            await report_found(unit, case)
    assert raised.value.field == "input.foundOn"
