"""The nationwide search by blocks (``layout.py``, ``block_bounds.py``, ``MatchIndex._widen``) is exact: every block's
bound is at least each of its rows' full score, a block holding a row of the window is never taken as unreachable,
and ``search`` gives what scoring every candidate would (brute force), on a built index, a mapped snapshot, and one
with cases upserted and removed after the snapshot (a grown tail); with the prior weights and with learned routes
(``routes.py``: bits by home state for every found district, and for found states)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.matching.bulk_store import synthetic
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import block_bounds, vector_score
from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching.blocking_keys import distinctive_languages, name_keys
from trackchild_hub.matching.index import KINDS, MatchIndex, _query_features
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.matching.routes import LEAST, MOST, Routes
from trackchild_hub.matching.snapshot import SnapshotFile
from trackchild_hub.matching.weights import PRIOR, Weights

TODAY = date(2026, 11, 30)
MISSING = frozenset({CaseKind.MISSING})
FOUND = frozenset({CaseKind.FOUND, CaseKind.CARE})


def cases(n: int = 3000, seed: int = 11) -> list[MatchRecord]:
    return [dataclasses.replace(r, case_id=f"c{i}") for i, r in enumerate(synthetic(n, seed=seed))]


def queries(records: list[MatchRecord]) -> list[MatchRecord]:
    """Nameless and pet-name-only children (the nationwide window), a few with no place at all, and some as
    reported, both ways (found against missing, missing against found)."""
    out: list[MatchRecord] = []
    for i, r in enumerate(records[::23]):
        r = dataclasses.replace(r, case_id="")
        if i % 4 == 0:
            out.append(dataclasses.replace(r, name=None, aliases=(), guardian_names=()))
        elif i % 4 == 1:
            out.append(dataclasses.replace(r, name=None, aliases=("Munna",), guardian_names=()))
        elif i % 4 == 2:
            out.append(dataclasses.replace(r, name=None, guardian_names=(), state=None, district=None))
        else:
            out.append(r)
    return out


def routed(records: list[MatchRecord], seed: int = 5) -> Weights:
    """The priors with routes of random bits: every found district's own (but a few, left to their state's), and
    every found state's, for every home state."""
    rng = np.random.default_rng(seed)
    states = sorted({r.state for r in records if r.state})
    districts = sorted({r.district for r in records if r.district})

    def bits() -> dict[str, float]:
        return {s: float(np.round(rng.uniform(LEAST, MOST), 3)) for s in states}

    routes = Routes({d: bits() for d in districts[::2]}, {s: bits() for s in states})
    return dataclasses.replace(PRIOR, routes=routes)


WEIGHTS = pytest.mark.parametrize("routes", [False, True], ids=["prior", "routes"])


def kinds_for(query: MatchRecord) -> frozenset[CaseKind]:
    return MISSING if query.kind is not CaseKind.MISSING else FOUND


def brute_force(index: MatchIndex, query: MatchRecord, first: int) -> list[tuple[str, float]]:
    """Every candidate blocking finds scored in full, the best ``first`` by total then case id."""
    rows = index.candidate_rows(query, kinds_for(query))
    if len(rows) == 0:
        return []
    totals = vector_score.total(index.parts(query, rows), len(rows))
    kept = totals >= np.sort(totals)[::-1][min(first, len(rows)) - 1]  # every row tied with the ``first``-th
    ranked = sorted((-float(t), index.records[int(r)].case_id) for r, t in zip(rows[kept], totals[kept], strict=True))
    return [(case_id, round(-t, 6)) for t, case_id in ranked[:first]]


def searched(index: MatchIndex, query: MatchRecord, first: int) -> list[tuple[str, float]]:
    return [(m.case_id, round(m.total, 6)) for m in index.search(query, kinds_for(query), first)]


@WEIGHTS
def test_every_block_bounds_its_rows_and_no_window_row_is_out_of_reach(routes: bool) -> None:
    records = cases()
    index = MatchIndex.build(records, today=TODAY, weights=routed(records) if routes else PRIOR)
    layout = index.layout()
    checked = 0
    for query in queries(records):
        q = _query_features(query)
        probe = index.probe(query, q)
        kinds = kinds_for(query)
        languages = distinctive_languages(query.languages)
        bits = index._language_bits(languages) if languages else None
        reach = block_bounds.reachable(probe, layout.blocks, sum(1 << KINDS[k] for k in kinds), bits)
        bounds = block_bounds.bounds(probe, layout.blocks, index.weights)
        block_of = np.empty(layout.rows, dtype=np.int64)
        block_of[layout.order] = np.repeat(np.arange(len(layout.blocks)), layout.blocks.end - layout.blocks.start)
        rows = np.arange(layout.rows, dtype=np.int64)
        totals = vector_score.total(index.parts(query, rows), len(rows))
        keyed = np.zeros(layout.rows, dtype=bool)  # the bound is of rows no name key reaches (the others are local)
        for key in name_keys(q):
            for part in index.postings.parts(key):
                keyed[part] = True
        assert np.all(totals[~keyed] <= bounds[block_of][~keyed]), "a block's bound is below one of its rows' scores"
        a = index.columns.view()
        window = index._keep(query, q, kinds, a, index._window(query, q, a, None, languages=languages))
        assert reach[block_of[window]].all(), "a row of the window lies in a block taken as unreachable"
        checked += len(window)
    assert checked > 10_000  # the windows were not empty


def test_a_block_dated_beyond_a_week_of_the_query_gets_nothing_for_clothing() -> None:
    """Clothes are compared only within ``CLOTHES_DAYS``: a block whose dates all lie further from the query's adds
    nothing for them (as if the query described none), one within that reach may (the test above: never below)."""
    records = cases()
    one = records[0]  # one district's cases, so that a block holds a few weeks of them
    records = [dataclasses.replace(r, state=one.state, district=one.district) for r in records]
    index = MatchIndex.build(records, today=TODAY)
    blocks = index.layout().blocks
    for query in [r for r in queries(records) if r.clothing and r.event_date][:20]:
        bare = dataclasses.replace(query, clothing=None)
        clothed = block_bounds.bounds(index.probe(query, _query_features(query)), blocks, index.weights)
        unclothed = block_bounds.bounds(index.probe(bare, _query_features(bare)), blocks, index.weights)
        day = _query_features(query).event_day
        assert day is not None
        far = (blocks.event_min > day + cmp.CLOTHES_DAYS) | (blocks.event_max < day - cmp.CLOTHES_DAYS)
        assert far.sum() > len(blocks) // 2
        assert np.array_equal(clothed[far], unclothed[far])
        assert (clothed[~far] > unclothed[~far]).any()  # the query's own row's block, at least


@WEIGHTS
@pytest.mark.parametrize("first", [1, 10, 50])
def test_search_by_blocks_is_brute_force(tmp_path: Path, first: int, routes: bool) -> None:
    records = cases()
    weights = routed(records) if routes else PRIOR
    built = MatchIndex.build(records, today=TODAY, weights=weights)
    files = SnapshotFile(tmp_path)
    files.write(built, {"t": 1}, {}, headroom=500)
    mapped = files.load({"t": 1}).index
    mapped.set_weights(weights)
    asked = queries(records)
    for index in (built, mapped):
        for query in asked:
            assert searched(index, query, first) == brute_force(index, query, first)

    # After the snapshot: cases removed, replaced (moved and renamed), and new ones (nameless among them): the tail.
    for index in (built, mapped):
        for r in records[:300:3]:
            index.remove(r.case_id)
        for r in records[1:300:3]:
            index.upsert(dataclasses.replace(r, name=None, aliases=(), district=records[-1].district))
        for i, r in enumerate(records[2:300:3]):
            event = r.event_date + timedelta(days=3) if r.event_date else None
            index.upsert(dataclasses.replace(r, case_id=f"new-{i}", event_date=event, gender=Gender.UNKNOWN))
        assert index.layout().rows < len(index.records)  # the rows added since are the layout's tail
    for index in (built, mapped):
        for query in asked:
            assert searched(index, query, first) == brute_force(index, query, first)
    assert [searched(mapped, query, first) for query in asked] == [searched(built, query, first) for query in asked]
