"""The index kept in step with the store: a version held is not added again, and replaced versions are dropped by a
rebuild once there are enough of them."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from tests.matching.bulk_store import synthetic, write_cases
from trackchild_hub.matching import layout
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services import match_service
from trackchild_hub.store.match_records import Changes
from trackchild_hub.store.models import CaseRow, ChildRow


def test_an_unchanged_version_is_not_added_again_and_a_new_one_replaces_it() -> None:
    records = [dataclasses.replace(r, case_id=f"c{i}") for i, r in enumerate(synthetic(20))]
    index = MatchIndex.build(records, today=datetime.now(UTC).date())
    assert not index.upsert(records[0])
    assert (len(index.records), index.dead) == (20, 0)
    renamed = dataclasses.replace(records[0], name="Somebody Else")
    assert index.upsert(renamed)
    assert (index.record("c0"), index.live, index.dead) == (renamed, 20, 1)
    assert index.remove("c0")
    assert (index.record("c0"), index.live, index.dead, index.remove("c0")) == (None, 19, 2, False)


async def test_dead_rows_past_the_threshold_are_dropped_by_a_rebuild(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_service, "REBUILD_DEAD", 10)
    assert store.matcher is not None
    ids = await write_cases(store, synthetic(40, seed=19))
    first = await store.matcher.index()
    later = datetime.now(UTC) + timedelta(seconds=1)
    async with store.sessions() as session, session.begin():  # 11 children renamed: > 10 dead rows, > 40 // 4
        for n, case_id in enumerate(ids[:11]):
            case = await session.get(CaseRow, case_id)
            assert case is not None
            await session.execute(update(ChildRow).where(ChildRow.id == case.child_id).values(name=f"Renamed {n}"))
            await session.execute(update(CaseRow).where(CaseRow.id == case_id).values(updated_at=later))
    rebuilt = await store.matcher.index(force=True)
    assert rebuilt is not first
    assert (rebuilt.live, rebuilt.dead) == (40, 0)
    assert [rebuilt.record(i).name for i in ids[:2]] == ["Renamed 0", "Renamed 1"]  # type: ignore[union-attr]
    assert sorted(await store.matcher.take_changed()) == sorted(ids[:11])


async def test_no_pooled_connection_is_held_while_the_matcher_thread_applies_a_page(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_service, "BATCH", 7)  # several pages for a first build and for a catch-up
    assert store.matcher is not None
    held: list[int] = []
    apply = match_service._apply

    def counting(index: MatchIndex, changes: Changes) -> list[str]:
        held.append(store.engine.sync_engine.pool.checkedout())  # type: ignore[attr-defined]
        return apply(index, changes)

    monkeypatch.setattr(match_service, "_apply", counting)
    ids = await write_cases(store, synthetic(30, seed=5))
    await store.matcher.index()
    built = len(held)
    later = datetime.now(UTC) + timedelta(seconds=1)
    async with store.sessions() as session, session.begin():  # 20 cases changed: the catch-up reads 3 pages
        await session.execute(update(CaseRow).where(CaseRow.id.in_(ids[:20])).values(updated_at=later))
    await store.matcher.index(force=True)
    assert built >= 5  # 30 cases in pages of 7
    assert len(held) > built  # the catch-up applied pages too
    assert held == [0] * len(held)


async def test_the_nationwide_layout_is_laid_out_by_the_refresh_not_by_a_search(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "TAIL_MIN", 0)  # a tail of 10 % of 30 rows
    assert store.matcher is not None
    await write_cases(store, synthetic(30, seed=23))
    index = await store.matcher.index()
    assert index._layout is not None
    assert index._layout.rows == index.columns.rows == 30
    await write_cases(store, synthetic(5, seed=24), prefix="late")  # 5 of 35 rows outside it: past the 10 % tail
    refreshed = await store.matcher.index(force=True)
    assert refreshed._layout is not None
    assert refreshed._layout.rows == refreshed.columns.rows == 35
