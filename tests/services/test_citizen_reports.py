"""Citizen reports as use cases (``services.citizen_reports``): submit, status, triage, the waiting counts."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, POLICE, PUBLIC, WB, seed_catalogue, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.citizen_reports import CitizenReportData, CitizenReportKind, PublicStatus
from trackchild_hub.domain.enums import Gender
from trackchild_hub.domain.errors import BadUserInput, Conflict, NotFound
from trackchild_hub.domain.records import FirData
from trackchild_hub.domain.too_many import TooMany
from trackchild_hub.services import citizen_reports as reports
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store.citizen_reports import CitizenReportRepository
from trackchild_hub.store.models import CaseEventRow, CitizenReportEventRow, CitizenReportRow, MissingCaseRow

PHONE = "98300 12345"


def missing(**overrides: object) -> CitizenReportData:
    value = CitizenReportData(
        kind=CitizenReportKind.MISSING,
        contact_phone=PHONE,
        consent=True,
        declares_no_sexual_offence=True,
        state=WB,
        district=HOWRAH,
        event_date=today() - timedelta(days=1),
        place_text="Howrah station, platform 9",
        child_name="Rahul Kumar",
        gender=Gender.MALE,
        age_years=9,
        clothing="blue shirt",
        reporter_name="Suresh Kumar",
        reporter_relation="father",
    )
    for key, item in overrides.items():
        setattr(value, key, item)
    return value


def sighting(**overrides: object) -> CitizenReportData:
    value = missing(kind=CitizenReportKind.SIGHTING, child_name=None, reporter_name=None, reporter_relation=None)
    value.circumstances = "a boy alone at the ticket counter, crying"
    for key, item in overrides.items():
        setattr(value, key, item)
    return value


async def submitted(store: Services, report: CitizenReportData) -> reports.Receipt:
    async with Unit.opened(store, PUBLIC) as unit:
        return await reports.submit(unit, report)


async def stored(store: Services) -> list[CitizenReportRow]:
    async with store.sessions() as session:
        return list(await session.scalars(select(CitizenReportRow).order_by(CitizenReportRow.created_at)))


async def test_a_report_waits_at_the_covering_station_with_only_a_hash_of_its_code(store: Services) -> None:
    await seed_catalogue(store)
    receipt = await submitted(store, missing())
    [row] = await stored(store)
    assert row.reference == receipt.reference
    assert receipt.reference.startswith("CR-")
    assert len(receipt.status_code) == 12
    assert receipt.status_code not in (row.code_hash, row.code_salt)
    assert (row.police_station_id, row.triage_status, row.contact_phone) == (
        "PS-19-313-001",
        "UNTRIAGED",
        "+919830012345",
    )
    async with store.sessions() as session:
        events = list(await session.scalars(select(CitizenReportEventRow.type)))
    assert events == ["RECEIVED"]


async def test_with_only_a_point_the_nearest_station_of_the_state_takes_it(store: Services) -> None:
    await seed_catalogue(store)
    await submitted(store, sighting(district=None, latitude=22.6, longitude=88.3))
    [row] = await stored(store)
    assert (row.police_station_id, row.district_code) == ("PS-19-313-001", HOWRAH)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": False}, "input.consent"),
        ({"declares_no_sexual_offence": False}, "input.declaresNoSexualOffence"),
        ({"contact_phone": "12345"}, "input.contactPhone"),
        ({"district": PATNA}, "input.district"),
        ({"latitude": 51.5, "longitude": -0.1}, "input.latitude"),
        ({"age_years": 19}, "input.ageYears"),
        ({"child_name": "   "}, "input.childName"),
        ({"clothing": "x" * 501}, "input.clothing"),
        ({"event_date": today() + timedelta(days=1)}, "input.eventDate"),
    ],
)
async def test_bad_input_names_the_field_and_nothing_is_stored(
    store: Services, change: dict[str, object], field: str
) -> None:
    with pytest.raises(BadUserInput) as raised:
        await submitted(store, missing(**change))
    assert raised.value.field == field
    assert await stored(store) == []


async def test_the_right_code_tells_the_status_and_the_station(store: Services) -> None:
    await seed_catalogue(store)
    receipt = await submitted(store, missing())
    async with Unit.opened(store, PUBLIC) as unit:
        right = await reports.case_status(unit, receipt.reference.lower(), receipt.status_code)
        wrong_code = await reports.case_status(unit, receipt.reference, "0" * 12)
        wrong_reference = await reports.case_status(unit, "CR-0000000000", receipt.status_code)
    assert right.status is PublicStatus.RECEIVED
    assert (right.contact.name, right.contact.phones) == ("Station 1", ("+913326412345",))
    assert wrong_code == wrong_reference
    assert wrong_code.status is PublicStatus.UNKNOWN
    assert wrong_code.contact.phones == ("1098",)


async def test_a_phone_may_send_five_in_a_day_then_is_told_when_to_retry(store: Services) -> None:
    for _ in range(reports.PER_PHONE):
        await submitted(store, sighting())
    with pytest.raises(TooMany) as raised:
        await submitted(store, sighting(contact_phone="+91 98300-12345"))
    assert 0 < raised.value.retry_after_s <= 24 * 3600
    assert raised.value.extensions()["code"] == "RATE_LIMITED"
    await submitted(store, sighting(contact_phone="9830012346"))  # another phone is not held back
    assert len(await stored(store)) == reports.PER_PHONE + 1


async def test_the_phone_and_names_are_never_logged(store: Services, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # drivers' DEBUG echoes SQL parameters: the hub never turns that on
    caplog.set_level(logging.DEBUG, logger="trackchild_hub")
    await seed_catalogue(store)
    receipt = await submitted(store, missing())
    async with Unit.opened(store, PUBLIC) as unit:
        await reports.case_status(unit, receipt.reference, receipt.status_code)
    text = caplog.text
    for secret in ("9830012345", "98300 12345", "Rahul", "Suresh", receipt.status_code):
        assert secret not in text


async def test_a_report_becomes_a_missing_case_with_its_fir(store: Services) -> None:
    await seed_catalogue(store)
    receipt = await submitted(store, missing())
    async with Unit.opened(store, POLICE) as unit:
        [waiting] = await reports.untriaged(unit, None, 10)
        fir = FirData("77/2026", today())
        row, case = await reports.register_case(unit, waiting.id, fir, None, "FIR registered")
    assert (row.triage_status, row.triage_decision, row.triaged_by) == ("TRIAGED", "CASE_REGISTERED", "officer-1")
    assert row.linked_case_id == case.id
    async with store.sessions() as session:
        stored_case = await session.get(MissingCaseRow, case.id)
        events = list(await session.scalars(select(CitizenReportEventRow.type).order_by(CitizenReportEventRow.id)))
    assert stored_case is not None
    assert (stored_case.fir_number, stored_case.police_station_id) == ("77/2026", "PS-19-313-001")
    assert stored_case.extra["citizen_report"] == receipt.reference
    assert events == ["RECEIVED", "CASE_REGISTERED"]
    async with Unit.opened(store, PUBLIC) as unit:
        answer = await reports.case_status(unit, receipt.reference, receipt.status_code)
        assert answer.status is PublicStatus.CASE_REGISTERED
    async with Unit.opened(store, POLICE) as unit:
        assert await reports.untriaged(unit, None, 10) == []
        with pytest.raises(Conflict):
            await reports.register_case(unit, row.id, fir, None, None)


async def test_a_sighting_is_linked_to_a_case_and_the_status_says_so(store: Services) -> None:
    await seed_catalogue(store)
    first = await submitted(store, missing())
    seen = await submitted(store, sighting())
    async with Unit.opened(store, POLICE) as unit:
        queue = await reports.untriaged(unit, "PS-19-313-001", 10)
        assert [r.reference for r in queue] == [first.reference, seen.reference]
        _, case = await reports.register_case(unit, queue[0].id, FirData("78/2026", today()), None, None)
        with pytest.raises(BadUserInput):
            await reports.register_case(unit, queue[1].id, FirData("79/2026", today()), None, None)
        linked = await reports.link_sighting(unit, queue[1].id, case.id, "same boy")
    assert (linked.triage_decision, linked.linked_case_id) == ("LINKED", case.id)
    async with store.sessions() as session:
        timeline = await session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case.id))
        [event] = [e for e in timeline if e.type == "SIGHTING_LINKED"]
    assert (event.actor, event.note, event.data["citizen_report"]) == ("officer-1", "same boy", seen.reference)
    async with Unit.opened(store, PUBLIC) as unit:
        assert (await reports.case_status(unit, seen.reference, seen.status_code)).status is PublicStatus.LINKED


async def test_outside_the_jurisdiction_a_report_is_as_unknown_as_a_missing_one(store: Services) -> None:
    await seed_catalogue(store)
    await submitted(store, missing())
    bihar = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)
    kolkata = Principal.for_agency(Agency.POLICE, subject="officer-kol", state=WB, district=KOLKATA)
    [row] = await stored(store)
    for officer in (bihar, kolkata):
        async with Unit.opened(store, officer) as unit:
            assert await reports.untriaged(unit, None, 10) == []
            with pytest.raises(NotFound):
                await reports.dismiss(unit, row.id, "duplicate")
            with pytest.raises(NotFound):
                await reports.dismiss(unit, "no-such-id", "duplicate")


async def test_para_legal_volunteers_see_counts_and_the_oldest_per_station(store: Services) -> None:
    await seed_catalogue(store)
    await submitted(store, missing())
    await submitted(store, sighting())
    await submitted(store, sighting(contact_phone="9830099999"))
    await submitted(store, sighting(state=BIHAR, district=PATNA))  # no station known there
    dlsa = Principal.for_agency(Agency.LEGAL_SERVICES, subject="plv-1", state=WB)
    async with Unit.opened(store, dlsa) as unit:
        [(howrah, name)] = await reports.waiting(unit)
    assert (howrah.police_station_id, name, howrah.reports, howrah.sightings) == ("PS-19-313-001", "Station 1", 1, 2)
    rows = await stored(store)
    assert howrah.oldest_at == rows[0].created_at
    async with Unit.opened(store, POLICE) as unit:
        await reports.dismiss(unit, rows[0].id, "duplicate of an FIR")
    async with Unit.opened(store, dlsa) as unit:
        [(howrah, _)] = await reports.waiting(unit)
    assert (howrah.reports, howrah.sightings) == (0, 2)


async def test_a_report_registered_meanwhile_leaves_no_second_case(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_catalogue(store)
    await submitted(store, missing())
    [row] = await stored(store)

    async def decided_by_someone_else(*args: object) -> bool:
        return False  # what decide answers when another officer's decision committed first

    monkeypatch.setattr(CitizenReportRepository, "decide", decided_by_someone_else)
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(Conflict):
            await reports.register_case(unit, row.id, FirData("80/2026", today()), None, None)
    async with store.sessions() as session:
        assert list(await session.scalars(select(MissingCaseRow.case_id))) == []
