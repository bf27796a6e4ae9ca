"""Sync's set-based update path against the row-by-row ORM path it replaced (``tests/sync/row_by_row.py``), on both
databases.

A feed of new, changed, unchanged, repeated, kind-flipped and malformed records gives the same sync reports, the same
stored rows (in the database's own storage format, as ``tests/imports/test_bulk_import.py`` compares them) and the
same timeline events; an unchanged record is not written (its ``updated_at`` and version stay), a changed one gets a
new ``updated_at`` and its version bumped; a rerun changes nothing; a crash between batches loses nothing reported;
a case changed by someone else since it was read fails the batch, as the ORM's version check did.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm.exc import StaleDataError

import trackchild_hub.services.sync as runner  # the sync use case: where each batch is upserted
from tests.factories import exchange_record, seed_catalogue
from tests.imports.test_bulk_import import _empty, _snapshot
from tests.sync.listed_feed import ListedFeed, Malformed
from tests.sync.row_by_row import upsert_cases_row_by_row
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.records import CaseData
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.bulk_updates import update_rows, update_target
from trackchild_hub.store.case_changes import case_change
from trackchild_hub.store.case_references import References
from trackchild_hub.store.case_sync import upsert_cases
from trackchild_hub.store.models import CaseEventRow, CaseRow
from trackchild_hub.store.models.base import utcnow
from trackchild_hub.store.stored_cases import stored_cases
from trackchild_hub.sync.runner import SyncReport, sync_connector

KINDS = ("MISSING", "FOUND", "CARE")
ACTOR = "sync:police-19"


def record(n: int, kind: str | None = None, child: dict[str, Any] | None = None, **overrides: Any) -> CaseData:
    raw = exchange_record(n, kind or KINDS[n % 3], **overrides)
    raw["child"] = {**raw["child"], **(child or {})}
    return parse_exchange_record(raw)


def first_feed() -> list[CaseData | Malformed]:
    entries: list[CaseData | Malformed] = [record(n) for n in range(21)]
    entries[4] = record(4, place={"state": "19", "district": "313", "police_station": "PS-UNKNOWN"})  # kept aside
    return entries


def changes() -> list[CaseData | Malformed]:
    """What the upstream changed since: every kind of column, child lists, new records, repeats, a kind flip."""
    fresh = first_feed()
    return [
        record(0, status="RESOLVED"),
        record(1, child={"name": "Renamed Child"}),
        fresh[13],  # unchanged
        record(2, child={"guardians": []}),
        ("WB-POL-000900", "child.gender"),  # malformed: dropped by the connector, counted and named
        record(3, child={"aliases": ["Nick3", "Tuktuk"]}),
        record(21),  # new
        record(5, place={"state": "19", "district": "313", "police_station": "PS-19-313-001", "text": "Bally"}),
        fresh[14],  # unchanged
        record(6, fir={"number": "6/2026-A", "date": exchange_record(6)["event_date"]}),
        record(7, found={"found_by": "GRP", "institution": "WB/CCI/2020/0002", "current_placement": "CCI"}),
        record(12, status="CLOSED"),
        (None, "external_id"),  # malformed, without an id
        record(8, care={"institution": "WB/CCI/2020/0001", "exit_date": exchange_record(8)["event_date"]}),
        record(9, child={"age_years": 16, "confidential": True}),
        record(10, extra_field={"kept": [1, "two"]}),
        record(4),  # the station is known now: resolved, and the note of the unknown code goes
        record(11, "MISSING", external_id="WB-CARE-000011"),  # a kind never changes: refused
        record(22, "FOUND"),  # new
        fresh[15],  # unchanged
        record(12, status="RESOLVED", child={"languages": ["bn", "hi"]}),  # the same record again, changed again
        record(1, child={"name": "Renamed Child"}),  # repeated unchanged: its first listing already applied it
        record(23, "CARE"),  # new
    ]


def _report(report: SyncReport) -> tuple[Any, ...]:
    return (report.batches, report.received, report.created, report.updated, report.unchanged, report.dropped,
            sorted(report.rejected))  # fmt: skip


async def _sync(services: Services, entries: list[CaseData | Malformed], batch: int = 4) -> SyncReport:
    return await sync_connector(services.sessions, services.geography, ListedFeed(entries), batch=batch)


async def _versions(services: Services) -> dict[str, tuple[datetime, int]]:
    async with services.sessions() as session:
        rows = await session.execute(select(CaseRow.external_id, CaseRow.updated_at, CaseRow.version))
        return {ext: (at, version) for ext, at, version in rows}


async def test_set_based_updates_store_what_the_row_by_row_path_stored(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_catalogue(store)
    first, second = first_feed(), first_feed() + changes()

    with monkeypatch.context() as patched:
        patched.setattr(runner, "upsert_cases", upsert_cases_row_by_row)
        old = [_report(await _sync(store, first)), _report(await _sync(store, second))]
    old_rows = await _snapshot(store)

    await _empty(store)
    await _clear_cursors(store)
    new = [_report(await _sync(store, first))]
    before = await _versions(store)
    new.append(_report(await _sync(store, second)))
    new_rows = await _snapshot(store)
    after = await _versions(store)

    assert new == old
    assert new_rows == old_rows
    # The feed's arithmetic, so that the comparison is not vacuous: the second run re-reads the first run's last page
    # (entry 20, unchanged), then the 23 entries of the changes: 24 entries in 6 batches of 4.
    assert new[1][2:6] == (3, 13, 5, 2)  # created, updated, unchanged, dropped
    assert new[1][6] == [
        "(no id): external_id malformed upstream",
        "WB-CARE-000011: kind (kept the stored version)",
        "WB-POL-000900: child.gender malformed upstream",
    ]
    changed = {ext for ext in before if after[ext] != before[ext]}
    assert changed == {f"WB-{KINDS[n % 3]}-{n:06d}" for n in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12)}
    for ext in changed:  # a new updated_at (the match index catches up from it) and the version bumped
        assert after[ext][0] > before[ext][0]
        assert after[ext][1] == before[ext][1] + (2 if ext == "WB-MISSING-000012" else 1)
    updates = [r for r in new_rows["case_events"] if r[2] == "UPDATED"]
    assert len(updates) == 13
    fields = {r[0]: _data(r[5])["fields"] for r in updates if r[0] != "case:WB-MISSING-000012"}
    assert fields["case:WB-MISSING-000009"] == ["child.ageYears", "child.confidential"]  # derived ones not named
    assert fields["case:WB-FOUND-000004"] == ["policeStationId", "placeText", "extra"]


async def test_a_rerun_changes_nothing(store: Services) -> None:
    await seed_catalogue(store)
    feed = first_feed() + changes()
    await _sync(store, feed)
    rows = await _snapshot(store)
    again = await _sync(store, feed)  # resumes at the persisted cursor: the last page again
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    latest = {c.external_id: c for c in feed if not isinstance(c, tuple)}
    latest["WB-CARE-000011"] = record(11)  # the flipped listing was refused: the stored version stands
    async with store.sessions() as session, session.begin():
        outcome = await upsert_cases(session, list(latest.values()), store.geography, actor=ACTOR)
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.rejected) == (0, 0, 24, ())
    assert await _snapshot(store) == rows


async def test_a_crash_between_batches_loses_nothing_reported(store: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    await seed_catalogue(store)
    first, second = first_feed(), first_feed() + changes()
    await _sync(store, first)
    reported: list[tuple[int, int]] = []
    real = update_target
    calls = 0

    async def failing_third_write(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("power cut")
        return await real(*args)

    with monkeypatch.context() as patched:
        patched.setattr("trackchild_hub.store.case_sync.update_target", failing_third_write)
        with pytest.raises(RuntimeError, match="power cut"):
            await sync_connector(
                store.sessions,
                store.geography,
                ListedFeed(second),
                batch=4,
                after_batch=lambda r: reported.append((r.created, r.updated)),
            )
    created, updated = reported[-1]
    assert updated > 0
    async with store.sessions() as session:  # what was reported is stored, nothing of the failed batch
        assert await session.scalar(select(CaseRow.id).where(CaseRow.external_id == "WB-MISSING-000021")) is not None
        stored_updates = await session.scalar(
            select(text("count(*)")).select_from(CaseEventRow).where(CaseEventRow.type == "UPDATED")
        )
        assert stored_updates == updated
        assert len((await _snapshot(store))["cases"]) == 21 + created
    rest = await _sync(store, second)
    completed = await _snapshot(store)
    assert (created + rest.created, updated + rest.updated) == (3, 13)

    await _empty(store)
    await _clear_cursors(store)
    await _sync(store, first)
    await _sync(store, second)
    assert await _snapshot(store) == completed  # the same rows as one uninterrupted run


async def test_a_case_changed_meanwhile_fails_the_batch(store: Services) -> None:
    await seed_catalogue(store)
    await _sync(store, first_feed())
    case = record(0, status="RESOLVED")
    key = (case.source, "WB-MISSING-000000")
    async with store.sessions() as session:
        stored = (await stored_cases(session, [key]))[key]
        resolved = (await References.load(session, [case])).resolve(case, lenient=True)
        change = case_change(stored, case, resolved)
        assert change is not None
        assert change.fields == ["status"]
        await session.execute(  # a reviewer's edit lands between the read and the write
            update(CaseRow).where(CaseRow.id == change.case_id).values(version=CaseRow.version + 1)
        )
        target = await update_target(session)
        with pytest.raises(StaleDataError):
            await target.update(update_rows([change], now=utcnow(), actor=ACTOR))
        await session.rollback()
    async with store.sessions() as session:  # the batch rolled back: neither the edit nor the update is stored
        result = await session.execute(select(CaseRow.status, CaseRow.version).where(CaseRow.external_id == key[1]))
        assert result.one() == ("OPEN", 1)


def _data(stored: Any) -> Any:
    return json.loads(stored) if isinstance(stored, str) else stored  # the JSON column as the database gives it


async def _clear_cursors(services: Services) -> None:
    async with services.engine.begin() as conn:
        await conn.execute(text("DELETE FROM sync_cursors"))
