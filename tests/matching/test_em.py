"""The EM core on level arrays: recovers known m/u from synthetic pairs, keeps reviewed labels, never yields 0."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from trackchild_hub.matching.em import FLOOR, Probabilities, estimate_u, expectation_maximisation

TRUE_M = (np.array([0.7, 0.2, 0.1]), np.array([0.85, 0.15]), np.array([0.6, 0.3, 0.1]), np.array([0.9, 0.1]))
TRUE_U = (np.array([0.01, 0.09, 0.9]), np.array([0.3, 0.7]), np.array([0.1, 0.3, 0.6]), np.array([0.5, 0.5]))
FLAT = tuple(np.full(len(p), 1.0 / len(p)) for p in TRUE_M)
START_M = (np.array([0.5, 0.3, 0.2]), np.array([0.6, 0.4]), np.array([0.4, 0.4, 0.2]), np.array([0.6, 0.4]))


def log2_weights(m: Probabilities, u: Probabilities) -> Probabilities:
    """Each level's Fellegi-Sunter weight, ``log2(m / u)`` (as ``Weights.weight`` takes it)."""
    return tuple(np.log2(a) - np.log2(b) for a, b in zip(m, u, strict=True))


def pairs(n: int, share: float, seed: int, missing: float = 0.1) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
    """``n`` pairs, ``share`` of them matches, levels drawn from TRUE_M/TRUE_U; ``missing`` of levels not comparable."""
    rng = np.random.default_rng(seed)
    match = rng.random(n) < share
    levels = np.empty((n, len(TRUE_M)), dtype=np.int8)
    for c, (m, u) in enumerate(zip(TRUE_M, TRUE_U, strict=True)):
        levels[:, c] = np.where(match, rng.choice(len(m), n, p=m), rng.choice(len(u), n, p=u))
        levels[rng.random(n) < missing, c] = -1
    return levels, match


def test_u_from_random_pairs_and_m_by_em_recover_the_truth() -> None:
    random_pairs, _ = pairs(200_000, 0.0, seed=1)
    u = estimate_u(random_pairs, FLAT, prior_share=0.0)
    for got, want in zip(u, TRUE_U, strict=True):
        assert np.allclose(got, want, atol=0.01)
    candidates, match = pairs(50_000, 0.05, seed=2)
    result = expectation_maximisation(candidates, START_M, u, prior_share=0.0, max_iterations=500)
    assert result.converged
    assert result.share == pytest.approx(0.05, abs=0.01)
    assert result.matches == pytest.approx(match.sum(), rel=0.1)
    for got, want in zip(result.m, TRUE_M, strict=True):
        assert np.allclose(got, want, atol=0.05)
    weights = log2_weights(result.m, u)
    assert weights[0][0] > 5 > 0 > weights[0][2]  # agreement on a discriminating comparison weighs, disagreement costs


def test_reviewed_pairs_keep_their_label() -> None:
    candidates, match = pairs(2_000, 0.3, seed=3)
    u = estimate_u(pairs(50_000, 0.0, seed=4)[0], FLAT)
    labels = np.where(match, 1.0, 0.0)  # every pair reviewed: m is the matches' own level frequencies
    result = expectation_maximisation(candidates, FLAT, u, labels=labels, prior_share=0.0)
    assert result.iterations <= 2
    for c, got in enumerate(result.m):
        column = candidates[match, c]
        column = column[column >= 0]
        want = np.maximum(np.bincount(column, minlength=len(got)) / len(column), FLOOR)
        assert np.allclose(got, want / want.sum())


def test_labels_move_m_towards_what_reviewers_said() -> None:
    candidates, match = pairs(5_000, 0.05, seed=5)
    u = estimate_u(pairs(50_000, 0.0, seed=6)[0], FLAT)
    # Reviewers confirmed pairs that disagree on the last comparison: m of its level 1 must rise.
    confirmed = np.flatnonzero(match & (candidates[:, 3] == 1))
    labels = np.full(len(candidates), np.nan)
    labels[confirmed] = 1.0
    plain = expectation_maximisation(candidates, START_M, u)
    labelled = expectation_maximisation(candidates, START_M, u, labels=labels, label_weight=20.0)
    assert labelled.m[3][1] > plain.m[3][1]


def test_no_level_is_certain_or_impossible() -> None:
    levels = np.zeros((1_000, 4), dtype=np.int8)  # every pair on level 0 everywhere
    u = estimate_u(levels, FLAT, prior_share=0.0)
    result = expectation_maximisation(levels, FLAT, u, prior_share=0.0)
    for p in (*u, *result.m):
        assert p.min() >= FLOOR * 0.99
        assert p.sum() == pytest.approx(1.0)
    assert all(np.isfinite(w).all() for w in log2_weights(result.m, u))


def test_the_same_input_gives_the_same_weights() -> None:
    candidates, _ = pairs(10_000, 0.05, seed=7)
    u = estimate_u(pairs(20_000, 0.0, seed=8)[0], FLAT)
    a = expectation_maximisation(candidates, START_M, u)
    b = expectation_maximisation(candidates.copy(), START_M, u)
    assert a.iterations == b.iterations
    assert all(np.array_equal(x, y) for x, y in zip(a.m, b.m, strict=True))


def test_levels_that_do_not_fit_the_comparisons_are_refused() -> None:
    with pytest.raises(ValueError, match="comparisons"):
        estimate_u(np.zeros((3, 2), dtype=np.int8), FLAT)
    with pytest.raises(ValueError, match="past its"):
        estimate_u(np.full((3, 4), 3, dtype=np.int8), FLAT)


def test_one_child_per_query_keeps_em_off_look_alike_candidates() -> None:
    """Candidates are chosen for looking alike: their non-matches agree far more often than random pairs. Each
    query (group of 20) holds its child in 80% of groups; EM told so recovers m, EM left to itself does not."""
    rng = np.random.default_rng(9)
    near = (np.array([0.1, 0.4, 0.5]), np.array([0.6, 0.4]), np.array([0.3, 0.4, 0.3]), np.array([0.6, 0.4]))
    groups, size = 2_000, 20
    match = np.zeros(groups * size, dtype=bool)
    match[np.arange(groups)[rng.random(groups) < 0.8] * size + rng.integers(0, size)] = True
    levels = np.empty((len(match), len(TRUE_M)), dtype=np.int8)
    for c, (m, n) in enumerate(zip(TRUE_M, near, strict=True)):
        levels[:, c] = np.where(match, rng.choice(len(m), len(match), p=m), rng.choice(len(n), len(match), p=n))
    u = estimate_u(pairs(100_000, 0.0, seed=10)[0], FLAT, prior_share=0.0)
    query = np.repeat(np.arange(groups), size)
    grouped = expectation_maximisation(levels, START_M, u, groups=query, prior_share=0.0)
    alone = expectation_maximisation(levels, START_M, u, prior_share=0.0)

    def error(m: tuple[NDArray[np.float64], ...]) -> float:
        return max(float(np.max(np.abs(a - b))) for a, b in zip(m, TRUE_M, strict=True))

    assert grouped.share == pytest.approx(0.8, abs=0.15)
    assert grouped.matches == pytest.approx(match.sum(), rel=0.2)
    assert error(grouped.m) < 0.08 < error(alone.m)
    assert alone.matches > 3 * match.sum()  # without groups, look-alikes are taken for matches


def test_a_confirmed_pair_takes_its_querys_match_and_a_rejected_one_none() -> None:
    levels = np.zeros((4, len(TRUE_M)), dtype=np.int8)  # two queries, two identical-looking candidates each
    labels = np.array([1.0, np.nan, 0.0, np.nan])
    u = tuple(np.array(p) for p in TRUE_U)
    result = expectation_maximisation(levels, START_M, u, groups=np.array([0, 0, 1, 1]), labels=labels)
    # The confirmed pair counts 1, its query's other candidate 0; the rejected one 0, the other open (below 1).
    assert 1.0 < result.matches < 2.0
    alone = expectation_maximisation(levels, START_M, u, labels=labels)
    assert alone.matches > result.matches  # without groups the confirmed query's other candidate counts too


def test_a_level_no_pair_shows_keeps_its_prior_weight() -> None:
    levels, _ = pairs(20_000, 0.05, seed=11)
    levels[levels[:, 1] == 0, 1] = 1  # no pair, match or not, ever agrees on comparison 1
    prior_m = tuple(np.array(p) for p in TRUE_M)
    prior_u = tuple(np.array(p) for p in TRUE_U)
    u = estimate_u(levels, prior_u)  # nor the pairs u is counted over
    result = expectation_maximisation(levels, prior_m, u)
    learned = log2_weights(result.m, u)[1][0]
    assert learned == pytest.approx(float(np.log2(TRUE_M[1][0] / TRUE_U[1][0])), abs=0.5)
