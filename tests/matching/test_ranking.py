"""``ranking.top_scored`` is exact: the best ``k`` by full score, however much of the bound it can skip, and with a
``floor`` from rows ranked apart the two sets' chosen hold the best ``k`` of their union."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from trackchild_hub.matching import ranking


def _rows(seed: int, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.normal(0.0, 5.0, n), 1)  # rounded: ties at the k-th score happen
    return scores, scores + np.round(rng.exponential(3.0, n), 1)


def _best(scores: NDArray[np.float64], k: int) -> set[float]:
    return set(np.sort(scores)[::-1][:k].tolist())


@pytest.mark.parametrize("seed", range(5))
def test_the_chosen_are_the_best_k_and_pruned_rows_are_never_scored(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "CHUNK", 50)
    scores, bound = _rows(seed, 2000)
    chosen, totals = ranking.top_scored(bound, lambda at: scores[at], 10)
    kth = np.sort(scores)[::-1][9]
    assert set(chosen.tolist()) == set(np.flatnonzero(scores >= kth).tolist())
    computed = ~np.isnan(totals)
    assert np.array_equal(totals[computed], scores[computed])
    assert computed.sum() < len(scores)  # the bound let it skip rows


@pytest.mark.parametrize("seed", range(5))
def test_a_floor_from_other_rows_keeps_the_union_exact(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "CHUNK", 50)
    near, near_bound = _rows(seed, 300)
    far, far_bound = _rows(seed + 100, 3000)
    far -= 4.0  # the usual shape: the rows ranked first hold most of the best
    far_bound -= 4.0
    first, near_totals = ranking.top_scored(near_bound, lambda at: near[at], 10)
    floor = float(np.sort(near_totals[~np.isnan(near_totals)])[::-1][9])
    also, far_totals = ranking.top_scored(far_bound, lambda at: far[at], 10, floor)
    chosen = [*near[first].tolist(), *far[also].tolist()]
    assert _best(np.array(chosen), 10) == _best(np.concatenate([near, far]), 10)
    assert all(far[also] >= floor)
    assert np.all(np.isnan(far_totals[far_bound < floor]))  # bounded below the floor: never scored


@pytest.mark.parametrize("seed", range(5))
def test_refined_bounds_keep_the_result_and_spare_scoring(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "CHUNK", 50)
    scores, bound = _rows(seed, 2000)
    rng = np.random.default_rng(seed + 50)
    tighter = scores + np.round(rng.exponential(0.5, len(scores)), 1)  # between the score and the bound
    refined_rows: list[int] = []

    def refine(at: NDArray[np.int64]) -> NDArray[np.float64]:
        refined_rows.extend(at.tolist())
        return tighter[at]

    plain, plain_totals = ranking.top_scored(bound.copy(), lambda at: scores[at], 10)
    given = bound.copy()
    chosen, totals = ranking.top_scored(given, lambda at: scores[at], 10, refine=refine)
    assert set(chosen.tolist()) == set(plain.tolist())
    assert len(refined_rows) == len(set(refined_rows))  # each row refined once
    scored = ~np.isnan(totals)
    assert set(np.flatnonzero(scored).tolist()) <= set(refined_rows)  # none scored unrefined
    assert scored.sum() < (~np.isnan(plain_totals)).sum()  # the tighter bounds spared some scoring
    assert np.array_equal(given[refined_rows], np.minimum(bound, tighter)[refined_rows])  # written back
    assert np.all(given >= scores)
