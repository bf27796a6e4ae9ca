"""Fellegi-Sunter m and u probabilities estimated from comparison levels alone: plain numpy, no records, no index.

A pair of records is summarised by one level per comparison (``levels[pair, comparison]``; -1: not comparable, which
is evidence neither way). ``u[c][l]`` is how often comparison ``c`` lands on level ``l`` for two different children,
``m[c][l]`` for the same child.

- ``estimate_u`` counts levels over random pairs (almost all of them different children), as Splink does.
- ``expectation_maximisation`` estimates ``m`` (with ``u`` held) and the share of matches ``lambda`` over the blocked
  candidate pairs, assuming the comparisons independent given match status. Pairs a reviewer judged keep their label
  as their match probability in every E-step and count ``label_weight`` times in the M-step.

Both smooth towards a prior (``strength`` pseudo-pairs spread as the prior's probabilities), then floor every level at
``FLOOR``: no level is ever certain or impossible, so no weight is infinite. The result depends only on the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FLOOR = 1e-6
Probabilities = tuple[NDArray[np.float64], ...]  # one array per comparison, a probability per level


@dataclass(frozen=True, slots=True)
class EmResult:
    m: Probabilities
    share: float  # lambda: the estimated share of candidate pairs that are the same child
    iterations: int
    converged: bool
    matches: float  # the expected number of matching pairs (sum of the final match probabilities)


def estimate_u(
    levels: NDArray[np.int8], prior_u: Sequence[NDArray[np.float64]], *, strength: float = 10.0
) -> Probabilities:
    """``u`` from random pairs: each comparison's level frequencies among the pairs where it applies."""
    _check(levels, prior_u)
    return tuple(_smoothed(_counts(levels[:, c], len(prior), None), prior, strength) for c, prior in enumerate(prior_u))


def expectation_maximisation(
    levels: NDArray[np.int8],
    start_m: Sequence[NDArray[np.float64]],
    u: Sequence[NDArray[np.float64]],
    *,
    labels: NDArray[np.float64] | None = None,
    label_weight: float = 5.0,
    share: float | None = None,
    strength: float = 10.0,
    max_iterations: int = 100,
    tolerance: float = 1e-4,
) -> EmResult:
    """``m`` and ``lambda`` over candidate pairs. ``labels``: per pair 1.0 (confirmed), 0.0 (rejected) or NaN (not
    reviewed). ``share``: the starting ``lambda`` (default: a tenth of the pairs). Stops when no probability moves
    more than ``tolerance`` in an iteration, or after ``max_iterations``."""
    _check(levels, start_m)
    _check(levels, u)
    pairs = len(levels)
    known = np.zeros(pairs, dtype=bool) if labels is None else ~np.isnan(labels)
    weight = np.where(known, label_weight, 1.0)
    prior = tuple(np.asarray(p, dtype=np.float64) for p in start_m)
    log_u = _log_terms(levels, u)
    m = tuple(_floored(p) for p in prior)
    lam = min(max(0.1 if share is None else share, FLOOR), 1 - FLOOR)
    iterations, converged = 0, False
    probability = np.zeros(pairs)
    while iterations < max_iterations and pairs:
        iterations += 1
        # E-step: each pair's probability of being the same child, given its levels (in log space: many small terms).
        odds = np.log(lam) - np.log1p(-lam) + _log_terms(levels, m) - log_u
        probability = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        if labels is not None:
            probability = np.where(known, labels, probability)
        # M-step: m as the match-weighted level frequencies, lambda as the expected share.
        counted = probability * weight
        new_m = tuple(_smoothed(_counts(levels[:, c], len(p), counted), p, strength) for c, p in enumerate(prior))
        lam = min(max(float(counted.sum() / weight.sum()), FLOOR), 1 - FLOOR)
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(new_m, m, strict=True)) if m else 0.0
        m = new_m
        if moved < tolerance:
            converged = True
            break
    return EmResult(m, lam, iterations, converged, float(probability.sum()))


def log2_weights(m: Sequence[NDArray[np.float64]], u: Sequence[NDArray[np.float64]]) -> Probabilities:
    """Each level's Fellegi-Sunter weight, ``log2(m / u)``."""
    return tuple(np.log2(a) - np.log2(b) for a, b in zip(m, u, strict=True))


def _check(levels: NDArray[np.int8], probabilities: Sequence[NDArray[np.float64]]) -> None:
    if levels.ndim != 2 or levels.shape[1] != len(probabilities):
        raise ValueError(f"levels {levels.shape} do not fit {len(probabilities)} comparisons")
    for c, p in enumerate(probabilities):
        if len(levels) and int(levels[:, c].max(initial=-1)) >= len(p):
            raise ValueError(f"comparison {c}: a level past its {len(p)} levels")


def _counts(column: NDArray[np.int8], size: int, weights: NDArray[np.float64] | None) -> NDArray[np.float64]:
    applies = column >= 0
    chosen = None if weights is None else weights[applies]
    counts: NDArray[np.float64] = np.bincount(column[applies], weights=chosen, minlength=size).astype(np.float64)
    return counts


def _smoothed(counts: NDArray[np.float64], prior: NDArray[np.float64], strength: float) -> NDArray[np.float64]:
    prior = np.asarray(prior, dtype=np.float64)
    return _floored((counts + strength * prior / prior.sum()) / (counts.sum() + strength))


def _floored(p: NDArray[np.float64]) -> NDArray[np.float64]:
    floored = np.maximum(np.asarray(p, dtype=np.float64), FLOOR)
    result: NDArray[np.float64] = floored / floored.sum()
    return result


def _log_terms(levels: NDArray[np.int8], probabilities: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Per pair, the sum over comparisons of log p[level]; a not-comparable level (-1) adds nothing."""
    total = np.zeros(len(levels))
    for c, p in enumerate(probabilities):
        table = np.append(np.log(p), 0.0)  # index -1 (not comparable) reads the 0.0 at the end
        total += table[levels[:, c]]
    return total
