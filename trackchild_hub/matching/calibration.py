"""The temperature a match's probability tempers its totals by, fitted to reviewed pairs: ``fit``.

Weights learned as if the comparisons were independent are over-confident: a name, a parent's name and a place
agreeing are not three pieces of evidence when one family's records share all three. Fitted to the very pairs they
score (``bench.matching``'s ``hub-oracle``), they gave 6.5% of the children nobody reported a LIKELY first result,
where the priors gave 1.9%; and LIKELY alerts police stations. A temperature ``T`` divides every total in the
probability (each candidate's likelihood ratio is ``2 ** (total / T)``, ``scoring.Prior``); the ranking, by total,
stays as it is.

``T`` is the one that makes the reviewers' answers likeliest: each found child's reviewed pairs weigh each other as
one search's candidates do (one denominator, ``scoring.probability``), a confirmed pair's probability should be high
and a rejected one's low; ``T`` is searched on a grid over ``weights.TEMPERATURES``. Fewer than ``MIN_CONFIRMED``
confirmed or ``MIN_REJECTED`` rejected pairs tell too little: ``T`` stays 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .scoring import MIN_POPULATION
from .weights import TEMPERATURES

MIN_CONFIRMED = 20
MIN_REJECTED = 20
STEPS = 81  # grid points, evenly spaced in log T: 2.6% apart over 0.5-4
SMALLEST = 1e-12  # probabilities are kept this far from 0 and 1 in the likelihood


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One found child's reviewed pairs: their totals, which were confirmed, and how many cases of the kinds
    searched the store holds (the probability's ``N``)."""

    totals: NDArray[np.float64]
    confirmed: NDArray[np.bool_]
    population: int


def fit(children: Sequence[Reviewed], reported: float) -> float:
    """The temperature under which the reviews are likeliest, with lambda ``reported`` (1.0: too few reviews)."""
    children = [c for c in children if len(c.totals)]
    confirmed = sum(int(c.confirmed.sum()) for c in children)
    rejected = sum(int((~c.confirmed).sum()) for c in children)
    if confirmed < MIN_CONFIRMED or rejected < MIN_REJECTED:
        return 1.0
    totals = np.concatenate([c.totals for c in children])
    labels = np.concatenate([c.confirmed for c in children]).astype(np.float64)
    group = np.repeat(np.arange(len(children)), [len(c.totals) for c in children])
    log2_n = np.log2([max(c.population, MIN_POPULATION) for c in children])[group]
    grid = np.exp(np.linspace(math.log(TEMPERATURES[0]), math.log(TEMPERATURES[1]), STEPS))
    losses = [_loss(totals, labels, group, log2_n, reported, float(t)) for t in grid]
    return round(float(grid[int(np.argmin(losses))]), 3)


def _loss(
    totals: NDArray[np.float64],
    labels: NDArray[np.float64],
    group: NDArray[np.int64],
    log2_n: NDArray[np.float64],
    reported: float,
    temperature: float,
) -> float:
    """The reviews' negative log-likelihood (bits) under ``temperature``."""
    terms = math.log2(reported) + totals / temperature - log2_n  # log2 lambda L / N, per pair
    none = math.log2(1.0 - reported)  # the child is none of them
    top = np.full(int(group.max()) + 1, none)
    np.maximum.at(top, group, terms)
    spread = np.exp2(none - top) + np.bincount(group, weights=np.exp2(terms - top[group]), minlength=len(top))
    p = np.clip(np.exp2(terms - (top + np.log2(spread))[group]), SMALLEST, 1 - SMALLEST)
    return float(-(labels * np.log2(p) + (1 - labels) * np.log2(1 - p)).sum())
