"""The temperature a match's probability tempers its totals by, fitted to judged pairs: ``fit``.

Weights learned as if the comparisons were independent are over-confident: a name, a parent's name and a place
agreeing are not three pieces of evidence when one family's records share all three. Trained on 100,000 reports
(``bench.matching``, seed 1, no reviews), 7.0% of the children nobody reported got a LIKELY first result, where the
priors gave 3.3%; and LIKELY alerts police stations. A temperature ``T`` divides every total in the probability
(each candidate's likelihood ratio is ``2 ** (total / T)``, ``scoring.Prior``); the ranking, by total, stays as it
is.

``T`` is the one under which the judged pairs are likeliest: each found child's pairs weigh each other as one
search's candidates do (one denominator, ``scoring.probability``), a pair judged the same child should be likely
and one judged not, unlikely; ``T`` is searched on a grid over ``weights.TEMPERATURES``. The judgements are the
reviewers' where there are enough (``MIN_CONFIRMED`` confirmed and ``MIN_REJECTED`` rejected), else EM's match
probabilities of each found child's likeliest candidates (``training``): what the model itself, weighing the
candidates against look-alikes rather than random pairs, believes of them. Same data, seed 1: reviews gave T 1.15
(false alarms 5.0%, matched children with their report first and LIKELY 49.5%, against 52.5% untempered), EM's
probabilities T 1.31 (0.3% and 33.6%; the priors 3.3% and 41.9%).
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
class Judged:
    """One found child's judged pairs: their totals, how likely each is the child (1 or 0 for a review, a
    probability for EM's judgement), and how many cases of the kinds searched the store holds (the probability's
    ``N``)."""

    totals: NDArray[np.float64]
    matched: NDArray[np.float64]
    population: int


def fit(children: Sequence[Judged], reported: float) -> float | None:
    """The temperature under which the judgements are likeliest, with lambda ``reported``; None when they hold
    fewer than ``MIN_CONFIRMED`` matches or ``MIN_REJECTED`` non-matches (summed probabilities)."""
    children = [c for c in children if len(c.totals)]
    labels = np.concatenate([c.matched for c in children]).astype(np.float64) if children else np.zeros(0)
    if labels.sum() < MIN_CONFIRMED or (1.0 - labels).sum() < MIN_REJECTED:
        return None
    totals = np.concatenate([c.totals for c in children])
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
