"""Syncing a batch (``services.sync.sync_batch``) and the drivers that call it: the batch and its cursor stored in one
transaction, nothing stored when another worker moved the cursor, and what was stored matched as the API's writes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.factories import BIHAR, HOWRAH, PATNA, WB, exchange_record, seed_catalogue, today
from tests.sync.listed_feed import ListedFeed
from trackchild_hub.connectors.port import Records
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.domain.records import CaseData, ChildData, FirData, FoundDetails, MissingDetails, PlaceData
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.services.proposals import proposer
from trackchild_hub.services.sync import read_sync_cursor, sync_batch
from trackchild_hub.services.unit import Services
from trackchild_hub.store.models import CaseRow, MatchProposalRow
from trackchild_hub.sync.runner import sync_connector


def missing(external_id: str) -> CaseData:
    seen = today() - timedelta(days=9)
    return CaseData(
        kind=CaseKind.MISSING,
        child=ChildData(gender=Gender.MALE, name="Raju", age_years=10),
        place=PlaceData(state=WB, district=HOWRAH, text="Howrah station"),
        event_date=seen,
        reported_at=datetime.now(UTC),
        source="police-19",
        external_id=external_id,
        missing=MissingDetails(fir=FirData("123/2026", seen)),
    )


def found(external_id: str) -> CaseData:
    case = replace(missing(external_id), kind=CaseKind.FOUND, missing=None, found=FoundDetails(found_by="RPF"))
    case.place, case.event_date = PlaceData(state=BIHAR, district=PATNA, text="Patna Junction"), today() - timedelta(2)
    return case


class Recorder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    async def __call__(self, case_ids: Sequence[str]) -> int:
        self.calls.append(list(case_ids))
        return 0


async def stored_ids(store: Services) -> list[str]:
    async with store.sessions() as session:
        return list(await session.scalars(select(CaseRow.id).order_by(CaseRow.id)))


async def test_a_batch_is_stored_with_its_cursor_and_its_cases_are_handed_to_propose(store: Services) -> None:
    propose = Recorder()
    page = Records(items=[missing("A-1"), missing("A-2")], next_cursor="c1")
    stored = await sync_batch(store.sessions, store.geography, "police-19", None, page, propose=propose)
    assert stored.outcome is not None
    assert (stored.outcome.created, stored.cursor) == (2, "c1")
    assert await read_sync_cursor(store.sessions, "police-19") == "c1"
    assert [sorted(call) for call in propose.calls] == [await stored_ids(store)]
    changed = missing("A-1")
    changed.child.age_years = 11
    again = await sync_batch(store.sessions, store.geography, "police-19", "c1", Records([changed], next_cursor="c2"))
    assert again.outcome is not None
    assert again.outcome.updated == 1
    assert len(again.outcome.case_ids) == 1


async def test_a_batch_read_from_a_cursor_another_worker_moved_stores_nothing(store: Services) -> None:
    await sync_batch(store.sessions, store.geography, "police-19", None, Records([missing("A-1")], next_cursor="c1"))
    propose = Recorder()
    late = Records([missing("A-2")], next_cursor="c1")
    stored = await sync_batch(store.sessions, store.geography, "police-19", None, late, propose=propose)
    assert (stored.outcome, stored.cursor) == (None, "c1")
    assert len(await stored_ids(store)) == 1
    assert propose.calls == []


async def test_synced_cases_are_matched_as_the_apis_are(store: Services) -> None:
    page = Records([missing("A-1"), found("B-1")], next_cursor="c1")
    await sync_batch(store.sessions, store.geography, "police-19", None, page, propose=proposer(store))
    async with store.sessions() as session:
        pairs = list(await session.scalars(select(MatchProposalRow.status)))
    assert pairs == ["PROPOSED"]


async def test_an_import_hands_each_batchs_new_cases_to_propose(store: Services) -> None:
    await seed_catalogue(store)
    lines = [json.dumps(exchange_record(n)) for n in range(5)]
    propose = Recorder()
    report = await import_cases(store.sessions, lines, store.geography, today(), batch_size=2, propose=propose)
    assert report.created == 5
    assert sorted(i for call in propose.calls for i in call) == await stored_ids(store)
    again = Recorder()
    await import_cases(store.sessions, lines, store.geography, today(), propose=again)  # nothing new: nothing to match
    assert again.calls == []
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CaseRow)) == 5


async def test_the_sync_driver_matches_each_batch_it_stores(store: Services) -> None:
    feed = ListedFeed([missing("A-1"), found("B-1")])
    report = await sync_connector(store.sessions, store.geography, feed, batch=1, propose=proposer(store))
    assert (report.batches, report.created) == (2, 2)
    async with store.sessions() as session:
        assert list(await session.scalars(select(MatchProposalRow.status))) == ["PROPOSED"]
