"""From evidence to a probability, in the spirit of Fellegi-Sunter, and how matches are ordered.

Each factor adds a signed weight (log2 of how much likelier the observation is for the same child than for two
different children, ``weights.py``); a candidate's ``total`` is their sum, so ``L = 2 ** total`` is its likelihood
ratio. Matches are ranked by it, highest first, then by case id, so equal scores come back in the same order every
time (``rank_key``).

**The probability** answers "is this report the child?" for a query against a store of ``N`` live cases of the kinds
searched (``population``): a found child was reported with probability lambda (``Weights.reported``), and then is
one of the ``N`` reports, each as likely before the evidence; at most one report is the child. Given every
candidate's evidence, by Bayes::

    P(i is the child) = lambda * L_i / N / ((1 - lambda) + lambda * sum_j L_j / N)

The sum runs over the candidates the search weighed (``evidence``), so two near-identical reports split the
probability instead of both being LIKELY, and a store of a million cases asks for more evidence than one of a
thousand. Reports blocking never reached are left out of the sum: they share no name key with the query and fall
outside its district's (and state's) age window, so each weighs far below 2 ** 0. A store smaller than
``MIN_POPULATION`` is taken to hold part of the children who could be this one, not all: ``N`` is at least that.

100,000 reports, 2,000 found children of whom 85% were reported (``bench.matching``, seed 1), prior weights, lambda
even: the first results given 0.15-0.5 are right 0.44 of the time, 0.5-0.8: 0.67, 0.8-0.95: 0.87, 0.95-0.99: 0.93,
0.99 or more: 1.00 (a little low below 0.8: even odds are below the 85% reported). LIKELY first results are right
0.98 of the time and 4% of the children nobody reported get one (0.81 and 46% with the fixed prior of -12 before).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind
from .records import Band, Factor, Match, MatchRecord

LIKELY, POSSIBLE = 0.95, 0.15
# The fewest children a found child is taken to be one of. With the priors' lambda (even odds, ``weights.REPORTED``)
# a lone candidate in a small store gets odds of 2 ** (total - 12), as the hand-set prior of -12 gave before lambda.
MIN_POPULATION = 4096
_OPPOSITE = {CaseKind.MISSING: (CaseKind.FOUND, CaseKind.CARE)}


def kinds_against(query: MatchRecord) -> tuple[CaseKind, ...]:
    """The kinds a query's candidates are: missing reports for a found or cared-for child, and the reverse."""
    return _OPPOSITE.get(query.kind, (CaseKind.MISSING,))


def evidence(scored: NDArray[np.float64], pruned: NDArray[np.float64] | None = None, temperature: float = 1.0) -> float:
    """``log2`` of the candidates' summed likelihood ratios, as a total (``Prior.log2_term`` takes it so):
    ``scored``, their totals; ``pruned``, the bounds of those whose texts the search never compared
    (``ranking.top_scored``). With a ``temperature`` T each ratio is ``2 ** (total / T)`` and the sum is given as
    T times its log2.

    Each pruned candidate adds its bound, the most its total could be, so the sum is never below the one every
    candidate's full score would give and a probability never above it: LIKELY alerts police stations, it must not be
    claimed on evidence the search skipped. The bound counts only the name words whose keys reached the candidate
    and, where the query names parents, their comparison itself (``vector_score.text_bound``, ``index._ranked``)."""
    parts = [np.asarray(scored, dtype=np.float64)]
    if pruned is not None:
        parts.append(np.asarray(pruned, dtype=np.float64))
    return temperature * log2_sum(np.concatenate(parts) / temperature)


def log2_sum(log2s: NDArray[np.float64]) -> float:
    """``log2`` of the sum of ``2 ** log2s`` (-inf for none): scaled by the largest, as ``logaddexp2.reduce`` would
    be, in one pass (that reduce takes a logarithm per element)."""
    if len(log2s) == 0:
        return -math.inf
    top = float(log2s.max())
    if not math.isfinite(top):
        return top
    return top + math.log2(float(np.exp2(log2s - top).sum()))


@dataclass(frozen=True, slots=True)
class Prior:
    """What ``probability`` reckons a candidate against: the cases of the kinds searched, lambda, and the
    temperature the totals are tempered by (``Weights.temperature``)."""

    population: int
    reported: float
    temperature: float = 1.0

    def log2_term(self, total: float) -> float:
        """log2 of lambda * L / N: a candidate's share of the probability's denominator (L = 2 ** (total / T))."""
        return math.log2(self.reported) + total / self.temperature - math.log2(max(self.population, MIN_POPULATION))


def probability(
    total: float, evidence_log2: float, *, population: int, reported: float, temperature: float = 1.0
) -> float:
    """P(the candidate of ``total`` is the child), given all candidates' ``evidence`` (which includes ``total``), in
    a store of ``population`` cases of the kinds searched, a share ``reported`` of found children being reported,
    the totals tempered by ``temperature``."""
    prior = Prior(population, reported, temperature)
    # In log2 (totals reach 60 bits): numerator lambda L / N, denominator (1 - lambda) + lambda * sum L / N.
    denominator = np.logaddexp2(math.log2(1.0 - reported), prior.log2_term(max(evidence_log2, total)))
    return float(min(1.0, 2.0 ** (prior.log2_term(total) - float(denominator))))


def weighed_together(
    searched: Sequence[Match], added: Sequence[Match], prior: Prior, unlisted: Sequence[float] = ()
) -> tuple[list[Match], list[Match]]:
    """``searched`` (one search's matches, their probabilities weighing each other and every candidate the search
    weighed) and ``added`` (candidates scored apart, each as if alone: a live system's records), all their
    probabilities weighing each other, as one search's would: one denominator, so a stored report and a live one
    of the same child split the probability instead of both being LIKELY. ``unlisted``: the totals of candidates
    scored with ``added`` but not among them (ranked below the list).

    The search's denominator is the larger of what its listed matches add up to and what its likeliest match's
    probability gives back (``D = lambda L / N / p``, which counts the candidates it weighed and did not list)."""
    terms = [math.log2(1.0 - prior.reported), *(prior.log2_term(m.total) for m in searched)]
    searched_log2 = log2_sum(np.array(terms))
    anchor = max(searched, key=lambda m: m.score, default=None)
    if anchor is not None and anchor.score > 0.0:
        searched_log2 = max(searched_log2, prior.log2_term(anchor.total) - math.log2(anchor.score))
    rest = [prior.log2_term(total) for total in (*(m.total for m in added), *unlisted)]
    denominator = log2_sum(np.array([searched_log2, *rest]))

    def weighed(match: Match) -> Match:
        p = min(1.0, 2.0 ** (prior.log2_term(match.total) - denominator))
        return replace(match, score=round(p, 4), band=band(p))

    return [weighed(m) for m in searched], [weighed(m) for m in added]


def band(p: float) -> Band | None:
    return Band.LIKELY if p >= LIKELY else Band.POSSIBLE if p >= POSSIBLE else None


def to_match(case_id: str, weight: float, factors: tuple[Factor, ...], p: float) -> Match:
    """``weight``: the factors' sum (log2 of the likelihood ratio: what ranks); ``p``: ``probability``'s."""
    return Match(case_id, round(p, 4), band(p), factors, weight)


def reweighed(searched: Sequence[Match], again: Mapping[int, Match]) -> list[Match]:
    """``searched`` (one search's matches, its probabilities weighing each other) with the pairs at the positions of
    ``again`` weighed again (a masked candidate from its district's centre): their totals and factors replaced, and
    every probability moved as the search's denominator moves, the old likelihood ratios out and the new in.

    The denominator is read back from the likeliest match (``D`` is ``lambda L / N / p`` for any of them; its
    rounding error is common to all), so two pairs weighed again to the same total get the same probability, as they
    would alone: weighed alone instead, each would claim the certainty of a pair without rivals."""
    if not searched:
        return []
    anchor = max(searched, key=lambda m: m.score)
    if anchor.score <= 0.0:  # all below 0.00005: weighing a few bits again leaves them below every band
        return [replace(again[i], score=0.0, band=None) if i in again else m for i, m in enumerate(searched)]
    top = anchor.total

    def ratio(total: float) -> float:  # L / L_anchor, in range whatever the totals
        return float(2.0 ** min(total - top, 1000.0))

    moved = sum(ratio(again[i].total) - ratio(m.total) for i, m in enumerate(searched) if i in again)
    out = [again.get(i, m) for i, m in enumerate(searched)]
    denominator = max(1.0 / anchor.score + moved, max(ratio(m.total) for m in out))  # never above 1
    shares = [ratio(m.total) / denominator for m in out]
    return [replace(m, score=round(p, 4), band=band(p)) for m, p in zip(out, shares, strict=True)]


def rank_key(match: Match) -> tuple[float, str]:
    """Best first; equal totals by case id (deterministic: a tie never depends on the order scored)."""
    return (-match.total, match.case_id)
