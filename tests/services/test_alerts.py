"""Alerts written to the outbox in the event's own transaction (``services.alerts``), on SQLite and PostgreSQL:
reporting a missing child alerts the stations and DCPUs around; a LIKELY proposal alerts the stations and the
institution concerned; no text carries the child's name or a phone of the family."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import BIHAR, KOLKATA, PATNA, POLICE, WB, seed_catalogue, station, today
from tests.services.test_cases import missing
from tests.services.test_report_found import found
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.domain.records import CaseData, ChildData, FoundDetails, PlaceData
from trackchild_hub.services import alerts as alert_service
from trackchild_hub.services.cases import report_found, report_missing
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store import outbox
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import CaseRow, FunctionaryRow, InstitutionRow, OutboxRow

CHILD, GUARDIAN_PHONE = "Rahul Kumar", "+919800000000"  # the name ``missing()`` gives the child


async def seed_contacts(store: Services) -> None:
    await seed_catalogue(store, stations=1)
    dcpu = station(9, WB, KOLKATA) | {
        "id": "DCPU-KOLKATA",
        "kind": "DISTRICT_CHILD_PROTECTION_UNIT",
        "email": "dcpu.kolkata@wb.example",
        "languages": ["hi"],
    }
    patna = station(1, BIHAR, PATNA) | {"phones": ["+919430000001"]}
    async with store.sessions() as session, session.begin():
        await add_directory_entries(session, [dcpu, patna])
        session.add(
            FunctionaryRow(
                id="PS-19-313-001~1",
                entry_id="PS-19-313-001",
                position=1,
                name="SHO Howrah",
                designation="SHO",
                phones=["+919830000001"],
                email="sho.howrah@police.example",
            )
        )


async def outbox_rows(store: Services) -> list[OutboxRow]:
    async with store.sessions() as session:
        return list(await session.scalars(select(OutboxRow).order_by(OutboxRow.address)))


async def test_a_missing_child_alerts_the_station_its_sho_and_the_neighbouring_dcpu(store: Services) -> None:
    await seed_contacts(store)
    async with Unit.opened(store, POLICE) as unit:
        case = await report_missing(unit, missing())
    rows = await outbox_rows(store)
    assert {(r.channel, r.address, r.language) for r in rows} == {
        ("SMS", "+919830000001", "bn"),  # the SHO (the station's own number is a landline); West Bengal: Bengali
        ("EMAIL", "sho.howrah@police.example", "bn"),
        ("EMAIL", "dcpu.kolkata@wb.example", "hi"),  # Kolkata neighbours Howrah
    }
    assert {(r.rule, r.case_id, r.reference, r.status, r.attempts) for r in rows} == {
        ("NEW_MISSING_CASE", case.id, case.reference, "PENDING", 0)
    }
    for row in rows:
        assert case.reference in row.message
        assert f"{store.settings.public_url}/cases/{case.reference}" in row.message
        for secret in (*CHILD.split(), GUARDIAN_PHONE):
            assert secret not in row.message
            assert secret not in row.subject


async def test_the_alerts_commit_with_the_case_or_neither_does(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_contacts(store)

    async def broken(*_: Any) -> int:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(outbox, "enqueue", broken)
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(RuntimeError):
            await report_missing(unit, missing())
    async with store.sessions() as session:
        assert list(await session.scalars(select(CaseRow.id))) == []
    assert await outbox_rows(store) == []


async def test_a_found_child_alerts_nobody(store: Services) -> None:
    await seed_contacts(store)
    async with Unit.opened(store, POLICE) as unit:
        await report_found(unit, found())
    assert await outbox_rows(store) == []


async def test_a_likely_proposal_alerts_the_missing_childs_station_and_the_found_childs_holders(
    store: Services,
) -> None:
    await seed_contacts(store)
    async with store.sessions() as session:
        home = await session.scalar(select(InstitutionRow).where(InstitutionRow.registration_number.like("%0001")))
    assert home is not None
    held = CaseData(
        kind=CaseKind.FOUND,
        child=ChildData(gender=Gender.MALE, name="Raju", age_years=10),
        place=PlaceData(state=BIHAR, district=PATNA, police_station="PS-10-212-001", text="Patna Junction"),
        event_date=today() - timedelta(days=2),
        reported_at=datetime.now(UTC),
        found=FoundDetails(found_by="RPF Patna", institution=home.registration_number),
    )
    async with Unit.opened(store, POLICE) as unit:
        lost = await report_missing(unit, missing())
        seen = await report_found(unit, held)
    async with store.sessions() as session, session.begin():
        home_row = await session.get(InstitutionRow, home.id)
        assert home_row is not None
        home_row.email = "home@cci.example"
    proposal = {"id": f"{lost.id}~{seen.id}", "missing_case_id": lost.id, "other_case_id": seen.id}
    async with store.sessions() as session, session.begin():
        assert await alert_service.on_likely_proposals(session, store.settings, [proposal | {"band": "POSSIBLE"}]) == 0
        written = await alert_service.on_likely_proposals(session, store.settings, [proposal | {"band": "LIKELY"}])
    likely = [r for r in await outbox_rows(store) if r.rule == "LIKELY_MATCH"]
    assert written == len(likely)
    assert {(r.channel, r.address) for r in likely} == {
        ("SMS", "+919830000001"),  # the investigating station's SHO
        ("EMAIL", "sho.howrah@police.example"),
        ("SMS", "+919430000001"),  # the station that holds the found child
        ("EMAIL", "home@cci.example"),  # the institution that holds them
    }
    assert all(lost.reference in r.message and seen.reference in r.message for r in likely)
    assert all("Raju" not in r.message and CHILD.split()[0] not in r.message for r in likely)
    async with store.sessions() as session, session.begin():  # the same proposal seen again alerts nobody again
        assert await alert_service.on_likely_proposals(session, store.settings, [proposal | {"band": "LIKELY"}]) == 0
