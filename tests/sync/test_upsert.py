"""Upserting a connector's records by (source, external_id), on both backends."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tests.factories import exchange_record
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.records import CaseData
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.case_sync import SyncOutcome, upsert_cases
from trackchild_hub.store.models import CareCaseRow, CaseEventRow, CaseRow, ChildRow, GuardianRow

ACTOR = "sync:police-19"


def record(n: int, kind: str = "MISSING", **overrides: Any) -> CaseData:
    return parse_exchange_record(exchange_record(n, kind, **overrides))


async def upsert(services: Services, cases: list[CaseData]) -> SyncOutcome:
    async with services.sessions() as session, session.begin():
        return await upsert_cases(session, cases, services.geography, actor=ACTOR)


async def events(services: Services, external_id: str) -> list[CaseEventRow]:
    async with services.sessions() as session:
        case_id = await session.scalar(select(CaseRow.id).where(CaseRow.external_id == external_id))
        rows = await session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by("id"))
        return list(rows)


async def test_new_records_are_created_with_unknown_codes_kept_aside(store: Services) -> None:
    # No catalogue: the station and institution codes are unknown to the hub, and kept, not refused.
    outcome = await upsert(store, [record(1), record(2, "CARE"), record(3, "FOUND")])
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.rejected) == (3, 0, 0, ())
    async with store.sessions() as session:
        care = await session.scalar(select(CareCaseRow).where(CareCaseRow.external_id == "WB-CARE-000002"))
        assert care is not None
        assert care.institution_id is None
        assert care.extra["unresolved"] == {
            "place.police_station": "PS-19-313-003",
            "care.institution": "WB/CCI/2020/0001",
        }
    assert [(e.type, e.actor) for e in await events(store, "WB-MISSING-000001")] == [("SYNCED", ACTOR)]


async def test_the_same_batch_again_changes_nothing(store: Services) -> None:
    batch = [record(n) for n in range(1, 6)]
    await upsert(store, batch)
    again = await upsert(store, [record(n) for n in range(1, 6)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CaseRow)) == 5
        assert await session.scalar(select(func.count()).select_from(ChildRow)) == 5
        assert await session.scalar(select(func.count()).select_from(CaseEventRow)) == 5
        assert set(await session.scalars(select(CaseRow.version))) == {1}


async def test_a_changed_record_is_updated_and_the_timeline_names_the_fields(store: Services) -> None:
    await upsert(store, [record(7), record(8)])
    changed = exchange_record(7, status="RESOLVED")
    changed["child"] = {**changed["child"], "name": "Renamed Child", "guardians": []}
    outcome = await upsert(store, [parse_exchange_record(changed), record(8)])
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    async with store.sessions() as session:
        row = await session.scalar(select(CaseRow).where(CaseRow.external_id == "WB-MISSING-000007"))
        assert row is not None
        assert row.status == "RESOLVED"
        assert row.version == 2
        child = await session.get(ChildRow, row.child_id)
        assert child is not None
        assert child.name == "Renamed Child"
        assert "renamed child" in child.search_text
        guardians = await session.scalar(select(func.count()).where(GuardianRow.child_id == row.child_id))
        assert guardians == 0
    update = (await events(store, "WB-MISSING-000007"))[-1]
    assert update.type == "UPDATED"
    assert update.actor == ACTOR
    assert sorted(update.data["fields"]) == ["child.guardians", "child.name", "status"]
    assert "Renamed" not in str(update.data)  # field names, never values


async def test_a_record_listed_twice_in_one_batch_takes_the_later_listing(store: Services) -> None:
    first, later = record(9), record(9, status="CLOSED")
    outcome = await upsert(store, [first, later])
    assert outcome.created == 1
    async with store.sessions() as session:
        assert (
            await session.scalar(select(CaseRow.status).where(CaseRow.external_id == "WB-MISSING-000009")) == "CLOSED"
        )


async def test_a_kind_change_is_rejected_and_the_rest_of_the_batch_applies(store: Services) -> None:
    await upsert(store, [record(10)])
    flipped = record(10, "FOUND", external_id="WB-MISSING-000010")
    outcome = await upsert(store, [flipped, record(11)])
    assert outcome.created == 1
    assert [(ext, err.field) for ext, err in outcome.rejected] == [("WB-MISSING-000010", "kind")]
    async with store.sessions() as session:
        result = await session.execute(select(CaseRow.external_id, CaseRow.kind))
        kinds = {row.external_id: row.kind for row in result}
    assert kinds == {"WB-MISSING-000010": "MISSING", "WB-MISSING-000011": "MISSING"}
