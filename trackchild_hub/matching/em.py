"""Fellegi-Sunter m and u probabilities estimated from comparison levels alone: plain numpy, no records, no index.

A pair of records is summarised by one level per comparison (``levels[pair, comparison]``; -1: not comparable, which
is evidence neither way). ``u[c][l]`` is how often comparison ``c`` lands on level ``l`` for two different children,
``m[c][l]`` for the same child.

- ``estimate_u`` counts levels over random pairs (almost all of them different children), as Splink does.
- ``expectation_maximisation`` estimates ``m`` and the share of matches ``lambda`` over the blocked candidate pairs,
  assuming the comparisons independent given match status. Pairs a reviewer judged keep their label as their match
  probability in every E-step and count ``label_weight`` times in the M-step.
- Candidates are chosen for looking alike: their non-matches agree far more often than random pairs, and weighed
  against ``u`` every candidate looks like a match. So EM estimates the candidates' own non-match frequencies too
  (``near``, starting from ``u``) and tells matches from look-alikes with them; ``u``, what a level means for two
  children taken at random, stays the random pairs' and makes the weights. And a found child is one child: given the
  query each pair came from (``groups``), its pairs' match probabilities share at most 1.

Both blend in the prior: each comparison's probabilities are ``(1 - prior_share)`` what the pairs show plus
``prior_share`` the prior's, m and u alike, so a level the pairs never show keeps its prior weight (m and u shrink
together) rather than an infinite or absurd one; then every level is floored at ``FLOOR``. The result depends only
on the inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FLOOR = 1e-6
PRIOR_SHARE = 0.1
Probabilities = tuple[NDArray[np.float64], ...]  # one array per comparison, a probability per level


@dataclass(frozen=True, slots=True)
class EmResult:
    m: Probabilities
    share: float  # lambda: the share of pairs that are the same child, or of groups (queries) holding their child
    iterations: int
    converged: bool
    matches: float  # the expected number of matching pairs (sum of the final match probabilities)
    near: Probabilities  # the level frequencies of the candidates that are not matches (not u: they look alike)
    probability: NDArray[np.float64]  # each pair's last match probability (a reviewed pair's: its label)


def estimate_u(
    levels: NDArray[np.int8], prior_u: Sequence[NDArray[np.float64]], *, prior_share: float = PRIOR_SHARE
) -> Probabilities:
    """``u`` from random pairs: each comparison's level frequencies among the pairs where it applies."""
    _check(levels, prior_u)
    return tuple(_blended(_counts(levels[:, c], len(p), None), p, prior_share) for c, p in enumerate(prior_u))


def expectation_maximisation(
    levels: NDArray[np.int8],
    start_m: Sequence[NDArray[np.float64]],
    u: Sequence[NDArray[np.float64]],
    *,
    groups: NDArray[np.int64] | None = None,
    labels: NDArray[np.float64] | None = None,
    label_weight: float = 5.0,
    share: float | None = None,
    share_weight: float = 0.0,
    prior_share: float = PRIOR_SHARE,
    max_iterations: int = 100,
    tolerance: float = 1e-4,
) -> EmResult:
    """``m`` and ``lambda`` over candidate pairs. ``labels``: per pair 1.0 (confirmed), 0.0 (rejected) or NaN (not
    reviewed). ``groups``: the query each pair belongs to, when a query is the same child as at most one of its
    candidates (a found child is one missing child): the match probabilities of a group's pairs then sum to at most
    1, and ``lambda`` is the share of queries whose child is among their candidates. Without it each pair is a match
    or not independently (``lambda``: the share of pairs). ``share``: the starting ``lambda`` (default 0.5 with
    groups, else 0.1). ``share_weight``: ``share`` counts as that many groups (or pairs) in every M-step, a Beta prior
    on ``lambda`` of that strength centred on it; ``math.inf`` holds ``lambda`` at ``share``. Left free, ``lambda``
    runs away on look-alike candidates: the best of an unreported child's candidates, its namesake, looks like a
    match and EM calls it one (100,000 reports, 2,000 found children, 85% of them reported: ``lambda`` 0.95-0.99), a
    share the probability of a match must not use. The ``m`` learned move little with it: held at 0.3, 0.85 or
    0.999 there, 5-8% of the unreported children got a LIKELY first result either way. Stops when no probability moves
    more than ``tolerance`` in an iteration, or after ``max_iterations``."""
    _check(levels, start_m)
    _check(levels, u)
    pairs = len(levels)
    known = np.zeros(pairs, dtype=bool) if labels is None else ~np.isnan(labels)
    weight = np.where(known, label_weight, 1.0)
    prior = tuple(np.asarray(p, dtype=np.float64) for p in start_m)
    u_prior = tuple(np.asarray(p, dtype=np.float64) for p in u)
    near = tuple(_floored(p) for p in u_prior)  # the non-matches among the candidates: estimated as m is
    m = tuple(_floored(p) for p in prior)
    lam = _clipped(share if share is not None else 0.5 if groups is not None else 0.1)
    start_share = lam
    grouping = None if groups is None else _Grouping(groups, known, labels)
    iterations, converged = 0, False
    probability = np.zeros(pairs)
    while iterations < max_iterations and pairs:
        iterations += 1
        # E-step: each pair's probability of being the same child, given its levels (in log space: many small terms).
        log_ratio = _log_terms(levels, m) - _log_terms(levels, near)
        if grouping is None:
            odds = np.log(lam) - np.log1p(-lam) + log_ratio
            probability = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        else:
            probability = grouping.posterior(log_ratio, lam)
        if labels is not None:
            probability = np.where(known, labels, probability)
        # M-step: m as the match-weighted level frequencies, lambda as the expected share.
        counted = probability * weight
        new_m = tuple(_blended(_counts(levels[:, c], len(p), counted), p, prior_share) for c, p in enumerate(prior))
        other = (1.0 - probability) * weight
        near = tuple(_blended(_counts(levels[:, c], len(p), other), p, prior_share) for c, p in enumerate(u_prior))
        if grouping is None:
            lam = _held(float(counted.sum()), float(weight.sum()), start_share, share_weight)
        else:
            lam = _held(*grouping.expected(probability), start_share, share_weight)
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(new_m, m, strict=True)) if m else 0.0
        m = new_m
        if moved < tolerance:
            converged = True
            break
    return EmResult(m, lam, iterations, converged, float(probability.sum()), near, probability)


class _Grouping:
    """One query's candidate pairs: either none is its child (``1 - lambda``) or exactly one, each as likely before
    the evidence (``lambda / n``). A group holding a confirmed pair has found its child: its other pairs are not."""

    def __init__(self, groups: NDArray[np.int64], known: NDArray[np.bool_], labels: NDArray[np.float64] | None) -> None:
        _, self.groups = np.unique(groups, return_inverse=True)
        self.count = int(self.groups.max(initial=-1)) + 1
        confirmed = np.zeros(self.count, dtype=bool)
        if labels is not None:
            confirmed[self.groups[known & (labels == 1.0)]] = True
        self.free = ~known & ~confirmed[self.groups]  # pairs whose probability EM estimates
        self.sizes = np.bincount(self.groups[self.free], minlength=self.count)
        self.open = int(np.count_nonzero(self.sizes))  # groups with such pairs

    def posterior(self, log_ratio: NDArray[np.float64], lam: float) -> NDArray[np.float64]:
        g, r = self.groups[self.free], log_ratio[self.free]
        top = np.full(self.count, -np.inf)
        np.maximum.at(top, g, r)
        top = np.where(np.isfinite(top), top, 0.0)
        spread = np.bincount(g, weights=np.exp(r - top[g]), minlength=self.count)
        prior = np.log(lam) - np.log(np.maximum(self.sizes, 1))
        with np.errstate(divide="ignore"):
            evidence = np.logaddexp(np.log1p(-lam), prior + top + np.log(spread))
        probability = np.zeros(len(log_ratio))
        probability[self.free] = np.exp(prior[g] + r - evidence[g])
        return probability

    def expected(self, probability: NDArray[np.float64]) -> tuple[float, float]:
        """The expected number of open groups holding their child, and the number of open groups."""
        return float(probability[self.free].sum()), float(self.open)


def _held(matches: float, of: float, share: float, weight: float) -> float:
    """``lambda`` from ``matches`` expected of ``of``, with ``share`` counting as ``weight`` of them (a Beta prior's
    posterior mean; ``math.inf``: ``share`` itself)."""
    if math.isinf(weight):
        return share
    return _clipped((matches + weight * share) / max(of + weight, 1e-12))


def _clipped(share: float) -> float:
    return min(max(share, FLOOR), 1 - FLOOR)


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


def _blended(counts: NDArray[np.float64], prior: NDArray[np.float64], share: float) -> NDArray[np.float64]:
    prior = np.asarray(prior, dtype=np.float64) / np.sum(prior)
    total = counts.sum()
    if total <= 0:
        return _floored(prior)  # nothing observed: the prior as it is
    return _floored((1.0 - share) * counts / total + share * prior)


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
