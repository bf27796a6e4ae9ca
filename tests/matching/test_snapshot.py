"""The match index snapshot: it answers as the index it was written from, a second start maps it instead of building,
a snapshot that cannot be trusted is rebuilt, and workers over one folder share it and its rewrites."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from tests.matching.bulk_store import synthetic, write_cases
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import Match, MatchRecord
from trackchild_hub.matching.snapshot import SnapshotFile, SnapshotUnusable
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services import match_service
from trackchild_hub.services.match_service import MatchService
from trackchild_hub.services.match_snapshot_build import ChildBuilder, snapshot_file, store_key

TODAY = date(2026, 11, 30)
IDENTITY = {"code": "test"}
OPPOSITE = {
    CaseKind.MISSING: frozenset({CaseKind.FOUND, CaseKind.CARE}),
    CaseKind.FOUND: frozenset({CaseKind.MISSING}),
    CaseKind.CARE: frozenset({CaseKind.MISSING}),
}


def records(n: int, seed: int = 5) -> list[MatchRecord]:
    return [dataclasses.replace(r, case_id=f"c{i}") for i, r in enumerate(synthetic(n, seed=seed))]


def answers(index: MatchIndex, queries: Sequence[MatchRecord]) -> list[list[Match]]:
    return [index.search(q, OPPOSITE[q.kind], 10) for q in queries]


def test_a_snapshot_answers_as_the_index_it_was_written_from(tmp_path: Path) -> None:
    cases = records(3000)
    built = MatchIndex.build(cases, today=TODAY)
    files = SnapshotFile(tmp_path)
    files.write(built, IDENTITY, {"read": None}, headroom=100)
    mapped = files.load(IDENTITY).index
    queries = cases[::37]
    expected = answers(built, queries)
    assert sum(len(a) for a in expected) > 100  # the comparison compares something
    assert answers(mapped, queries) == expected  # ids, scores, bands and every explained factor
    assert (len(mapped), mapped.dead, mapped.record("c7"), mapped.token_df.get("kumar")) == (
        3000,
        0,
        built.record("c7"),
        built.token_df.get("kumar"),
    )

    # Written after the snapshot: the overlay (a new version, a removal, a new case) answers as the built index does.
    renamed = dataclasses.replace(cases[0], name="Somebody Else")
    new = dataclasses.replace(cases[1], case_id="new-1")
    for index in (built, mapped):
        assert index.upsert(renamed)
        assert index.remove("c5")
        assert index.upsert(new)
        assert not index.upsert(new)  # the version held
    assert answers(mapped, [*queries, renamed, new]) == answers(built, [*queries, renamed, new])
    assert (mapped.live, mapped.dead, mapped.record("c5")) == (built.live, built.dead, None)

    # Rewritten from the overlaid index: dead rows dropped, same answers.
    files.write(mapped, IDENTITY, {"read": None}, headroom=100)
    again = files.load(IDENTITY).index
    assert (again.live, again.dead) == (built.live, 0)
    assert answers(again, [*queries, renamed, new]) == answers(built, [*queries, renamed, new])


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: _flip(p, p.stat().st_size - 10), "checksum"),
        (lambda p: _flip(p, 30), "checksum|header"),
        (lambda p: p.write_bytes(p.read_bytes()[:-64]), "size"),
        (lambda p: p.write_bytes(b"not a snapshot at all"), "not a match index snapshot"),
        (lambda p: p.write_bytes(b"x"), "truncated"),
    ],
)
def test_a_damaged_snapshot_is_refused_with_the_reason(tmp_path: Path, damage: object, reason: str) -> None:
    files = SnapshotFile(tmp_path)
    files.write(MatchIndex.build(records(200), today=TODAY), IDENTITY, {"read": None}, headroom=10)
    damage(files.path)  # type: ignore[operator]
    with pytest.raises(SnapshotUnusable, match=reason):
        files.load(IDENTITY)


def test_a_snapshot_from_other_code_or_another_store_is_refused(tmp_path: Path) -> None:
    files = SnapshotFile(tmp_path)
    files.write(MatchIndex.build(records(50), today=TODAY), IDENTITY, {"read": None}, headroom=10)
    assert len(files.load(IDENTITY).index) == 50
    with pytest.raises(SnapshotUnusable, match="other code or for another store"):
        files.load({"code": "changed"})


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


# -- the service: built once, mapped after ---------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "match-index"


def service(store: Services, folder: Path) -> MatchService:
    return MatchService(store.sessions, store.geography, SnapshotFile(folder), store_key="test-store")


async def searched(matcher: MatchService, queries: Sequence[MatchRecord]) -> list[list[Match]]:
    return [await matcher.search(q, OPPOSITE[q.kind], 10) for q in queries]


async def test_a_second_start_maps_the_snapshot_and_answers_as_a_fresh_build(store: Services, folder: Path) -> None:
    cases = synthetic(2500, seed=23)
    await write_cases(store, cases)
    queries = [dataclasses.replace(q, case_id="") for q in cases[::41]]
    alone = MatchService(store.sessions, store.geography)  # no snapshot: built in memory, as before
    first, second = service(store, folder), service(store, folder)
    try:
        fresh = await searched(alone, queries)
        assert sum(len(a) for a in fresh) > 50

        started = time.perf_counter()
        await first.index()
        build_s = time.perf_counter() - started
        assert (first.builds, first.maps, SnapshotFile(folder).path.exists()) == (1, 1, True)  # built, then mapped
        assert await searched(first, queries) == fresh

        started = time.perf_counter()
        await second.index()  # a restart, or another worker
        map_s = time.perf_counter() - started
        assert (second.builds, second.maps) == (0, 1)
        assert await searched(second, queries) == fresh
        print(f"\n2,500 cases: built and written in {build_s:.2f} s, mapped and caught up in {map_s:.3f} s")
    finally:
        for matcher in (alone, first, second):
            matcher.close()


async def test_a_corrupt_or_stale_snapshot_is_rebuilt_from_the_store(store: Services, folder: Path) -> None:
    ids = await write_cases(store, synthetic(300, seed=29))
    first = service(store, folder)
    await first.index()
    first.close()
    files = SnapshotFile(folder)
    _flip(files.path, files.path.stat().st_size - 5)
    second = service(store, folder)
    try:
        index = await second.index()
        assert (second.builds, len(index), index.record(ids[0]) is not None) == (1, 300, True)
        assert files.load(second._identity or {}).index.live == 300  # rewritten whole
    finally:
        second.close()

    other = MatchService(store.sessions, store.geography, SnapshotFile(folder), store_key="another-store")
    try:
        await other.index()
        assert (other.builds, other.maps) == (1, 1)  # not the snapshot of this store: built anew
    finally:
        other.close()


async def test_a_worker_catches_up_from_the_snapshot_and_maps_a_rewrite(
    store: Services, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_service, "REFRESH_S", 0.0)
    await write_cases(store, synthetic(400, seed=31), prefix="old")
    a, b = service(store, folder), service(store, folder)
    try:
        await a.index()
        new = await write_cases(store, synthetic(50, seed=37), prefix="new")  # written after the snapshot
        index = await b.index()
        assert (b.builds, b.maps, len(index), index.record(new[0]) is not None) == (0, 1, 450, True)
        assert len(index.records) - index.records.base_rows == 50  # only those in the worker's own overlay

        monkeypatch.setattr(match_service, "SNAPSHOT_DELTA_MIN", 10)  # 50 > 10: a's overlay is due for a rewrite
        await a.index()
        assert a._rewriting is not None
        assert await a._rewriting
        assert (a.maps, len(await a.index())) == (2, 450)
        index = await b.index()  # b sees the new file at its next refresh and maps it
        assert (b.maps, len(index), len(index.records) - index.records.base_rows) == (2, 450, 0)
    finally:
        a.close()
        b.close()


async def test_only_one_worker_hands_out_changed_cases_for_proposals(store: Services, folder: Path) -> None:
    await write_cases(store, synthetic(100, seed=41), prefix="old")
    a, b = service(store, folder), service(store, folder)
    try:
        assert (await a.take_changed(), await b.take_changed()) == ([], [])  # the first build is the baseline
        new = await write_cases(store, synthetic(20, seed=43), prefix="new")
        assert sorted(await a.take_changed()) == sorted(new)
        assert await b.take_changed() == []  # a holds the proposer lock
        a.close()  # a stops: b takes over at its next round
        newer = await write_cases(store, synthetic(5, seed=47), prefix="newer")
        assert sorted(await b.take_changed()) == sorted(newer)
    finally:
        a.close()
        b.close()


async def test_a_large_first_build_runs_in_a_child_process(store: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder's memory goes with the child; the worker maps what it wrote (the threshold lowered here)."""
    monkeypatch.setattr(match_service, "CHILD_BUILD_MIN", 100)
    cases = synthetic(300, seed=53)
    await write_cases(store, cases)
    builder, calls = ChildBuilder(store.settings), []

    def child() -> bool:
        calls.append(builder())
        return calls[-1]

    matcher = MatchService(
        store.sessions, store.geography, snapshot_file(store.settings), store_key(store.settings), child_build=child
    )
    alone = MatchService(store.sessions, store.geography)
    try:
        index = await matcher.index()
        assert (calls, matcher.builds, matcher.maps, len(index), index.records.base_rows) == ([True], 1, 1, 300, 300)
        queries = [dataclasses.replace(q, case_id="") for q in cases[::17]]
        assert await searched(matcher, queries) == await searched(alone, queries)
    finally:
        matcher.close()
        alone.close()
