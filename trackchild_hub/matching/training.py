"""Learning the match weights from the records themselves (Fellegi-Sunter, as Splink does): ``train``.

- **u** from random pairs: each query (a found or cared-for child) against cases of the kinds it is searched against,
  drawn at random: almost all are different children, so their levels are what chance gives.
- **m** by expectation-maximisation (``em.py``) over candidate pairs: for each query the few best the search ranks
  under the weights in use and many drawn at random from its blocked candidates (the pairs a search weighs, hard and
  easy). The comparisons are taken as independent given match status, and a query as one child at most.
- **Reviewed pairs** (a reviewer confirmed or rejected them) keep that answer as their match probability and count
  ``LABEL_WEIGHT`` times. A confirmed pair's cases are closed (reunified), so their records come from the caller.
- **lambda**, the share of found children whose report the store holds (``reported_share``), is not EM's to choose:
  the reviews tell it (of the found children with a reviewed pair, the share with a confirmed one, pulled towards the
  priors' even odds as ``REVIEWED_PRIOR`` found children would pull it), and EM is held to it. Left free, EM takes an
  unreported child's namesake for its match and estimates lambda near 1 (0.95-0.99 where the truth is 0.85); the m
  it learns move little with lambda (``em.expectation_maximisation``). The trained weights carry it
  (``Weights.reported``): the probability of a match uses it (``scoring.py``).
- **Routes** (``routes.py``): where the candidate pairs' children were found against the state they went missing
  from, each pair counted by its match probability from EM (a reviewed pair by its label), against what the learned
  place weights predict. The trained weights carry them (``Weights.routes``).
- **The temperature** (``calibration.py``) a probability tempers the totals by (learned weights are
  over-confident), fitted to the reviewed pairs scored with the learned weights, or with too few reviews to EM's
  match probabilities of each found child's likeliest candidates.

The start (``start``, the hand-set priors by default) is also blended into every m and u, a tenth (more in a small
store: ``PRIOR_PAIRS``, ``PRIOR_CASES``): without it EM
drives the levels a true pair rarely shows (no name word in common, ages 4 sd apart) to nothing, and a child whose
name was never recorded as told could not be found; and a level the store never shows (no found child told when
they left home) keeps its prior weight. Same index, queries, labels and seed: the same weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind
from . import calibration
from .comparisons import COMPARISONS, SAME_DISTRICT
from .em import EmResult, estimate_u, expectation_maximisation
from .index import MatchIndex
from .records import MatchRecord
from .routes import Flow, Routes, learn
from .scoring import kinds_against
from .vector_score import pair_levels, place_bits
from .weights import PRIOR, REPORTED, Weights

LABEL_WEIGHT = 5.0  # a reviewed pair counts as this many unreviewed ones
# Per query: the best few by the weights in use (its child, most often) and many drawn from its blocked candidates.
# More of the best would teach EM what the weights in use already like: their look-alikes crowd out the pairs that
# tell. 100,000 reports, 2,000 found children: 30 + 30 ranked the true child in the top ten for 0.87; 3 + 57, 0.89.
SEARCHED = 3
DRAWN = 57
PRIOR_SHARE = 0.1  # the priors' share of every m and u (EM alone drives the levels true pairs rarely show to 0)
# ... or more in a store too small to outweigh them, so a few dozen cases (a new deployment) nudge the weights and
# one pair cannot set them (one found child and one missing report: their one random pair, drawn 200,000 times, made
# u of 'every name word agrees' 0.9 and that level weigh nothing). m: the priors weigh as PRIOR_PAIRS candidate
# pairs. u: a random pair is the same child about once in as many as there are cases to draw from, which must be
# rarer than the rarest agreement by chance (u about 1e-4): the priors weigh as PRIOR_CASES cases drawn from.
PRIOR_PAIRS = 1000
PRIOR_CASES = 10_000
RANDOM_PAIRS = 200_000
TRAINED = "trained"  # the version of weights not yet stored (the store names them)
# lambda's prior from reviews: the priors' even odds weigh as this many reviewed found children, so a handful of
# reviews moves it a little and a few hundred set it.
REVIEWED_PRIOR = 20
# The temperature from EM's judgement: each found child's likeliest candidate pairs, of at most this many children
# (each pair is scored once more: 5 x 2,000 pairs take seconds).
JUDGED_PAIRS = 5
JUDGED_CHILDREN = 2000
ROUTE_LEAST_PROBABILITY = 0.01  # candidate pairs less likely than this tell no route
Pair = tuple[str, str]  # (missing case id, other case id), as proposals name them
TemperedBy = Literal["reviews", "EM", "none"]


@dataclass(frozen=True, slots=True)
class TrainingReport:
    queries: int
    pairs: int  # candidate pairs EM learned from, reviewed ones included
    labelled: int  # of them, reviewed
    random_pairs: int  # u was counted over these
    iterations: int
    converged: bool
    share: float  # lambda, held: the share of found children whose report the store holds (``reported_share``)
    matches: float  # the expected number of them
    m: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    u: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    tempered_by: TemperedBy = "none"  # what judged the pairs the temperature was fitted to

    def to_json(self) -> dict[str, object]:
        return {
            "queries": self.queries,
            "pairs": self.pairs,
            "labelled": self.labelled,
            "randomPairs": self.random_pairs,
            "iterations": self.iterations,
            "converged": self.converged,
            "share": self.share,
            "matches": self.matches,
            "temperedBy": self.tempered_by,
        }


def train(
    index: MatchIndex,
    queries: Sequence[MatchRecord],
    *,
    labels: Mapping[Pair, bool] | None = None,
    records: Mapping[str, MatchRecord] | None = None,
    start: Weights = PRIOR,
    seed: int = 0,
    max_pairs: int = 400_000,
    random_pairs: int = RANDOM_PAIRS,
) -> tuple[Weights, TrainingReport]:
    """Weights learned from ``queries`` (records, in or out of ``index``) against ``index``. ``labels``: reviewed
    pairs, True for confirmed; ``records``: those of their cases neither ``index`` nor ``queries`` hold (closed)."""
    rng = np.random.default_rng(seed)
    names = [c.name for c in COMPARISONS]
    per_query = max(2, min(SEARCHED + DRAWN, max_pairs // max(1, len(queries))))
    u_levels, drawn_from = _random_levels(index, queries, random_pairs, rng)
    u = estimate_u(u_levels, [np.array(start.u[n]) for n in names], prior_share=_prior_share(drawn_from, PRIOR_CASES))
    levels, ids, groups = _candidate_levels(index, queries, per_query, rng)
    known = {**{q.case_id: q for q in queries}, **(records or {})}
    group_of = {q.case_id: at for at, q in enumerate(queries) if q.case_id}
    levels, marks, groups, ids = _with_labels(index, levels, ids, groups, group_of, labels or {}, known)
    start_m = [np.array(start.m[n]) for n in names]
    lam = reported_share(marks, groups, start.reported)
    blend = _prior_share(len(levels), PRIOR_PAIRS)
    result = expectation_maximisation(
        levels, start_m, u, groups=groups, labels=marks, share=lam, share_weight=math.inf, prior_share=blend
    )
    weights = _weights(names, result, u, lam)
    weights = replace(weights, routes=_routes(index, weights, ids, result.probability, known))
    temperature, tempered_by = _temperature(index, weights, labels or {}, known, (ids, groups, result.probability), rng)
    weights = replace(weights, temperature=temperature)
    report = TrainingReport(
        queries=len(queries),
        pairs=len(levels),
        labelled=int(np.count_nonzero(~np.isnan(marks))),
        random_pairs=len(u_levels),
        iterations=result.iterations,
        converged=result.converged,
        share=result.share,
        matches=result.matches,
        m=weights.m,
        u=weights.u,
        tempered_by=tempered_by,
    )
    return weights, report


__all__ = ["TrainingReport", "kinds_against", "reported_share", "train"]


def reported_share(marks: NDArray[np.float64], groups: NDArray[np.int64], prior: float = REPORTED) -> float:
    """lambda from the reviews: of the groups (found children) with a reviewed pair, the share with a confirmed one,
    as a Beta prior centred on ``prior`` of ``REVIEWED_PRIOR`` groups' strength would have it (``prior`` when
    nothing was reviewed). A found child whose proposals were all rejected counts as not reported: its report may
    still be among the candidates nobody proposed, so this errs low, towards fewer LIKELY matches."""
    known = ~np.isnan(marks)
    reviewed = np.unique(groups[known])
    confirmed = np.unique(groups[known & (marks == 1.0)])
    return (len(confirmed) + REVIEWED_PRIOR * prior) / (len(reviewed) + REVIEWED_PRIOR)


def _weights(names: Sequence[str], result: EmResult, u: Sequence[NDArray[np.float64]], reported: float) -> Weights:
    return Weights(
        TRAINED,
        {n: tuple(float(p) for p in m) for n, m in zip(names, result.m, strict=True)},
        {n: tuple(float(p) for p in v) for n, v in zip(names, u, strict=True)},
        reported,
    )


def _stacked(parts: Sequence[Mapping[str, NDArray[np.int8]]]) -> NDArray[np.int8]:
    """Per-comparison level arrays of several queries as one (pairs, comparisons) array."""
    if not parts:
        return np.empty((0, len(COMPARISONS)), dtype=np.int8)
    columns = [np.concatenate([p[c.name] for p in parts]) for c in COMPARISONS]
    return np.stack(columns, axis=1).astype(np.int8)


def _prior_share(seen: int, prior: int) -> float:
    """The priors' share when they weigh as ``prior`` against ``seen`` (``PRIOR_PAIRS``, ``PRIOR_CASES``)."""
    return max(PRIOR_SHARE, prior / (seen + prior))


def _random_levels(
    index: MatchIndex, queries: Sequence[MatchRecord], total: int, rng: np.random.Generator
) -> tuple[NDArray[np.int8], int]:
    """About ``total`` random pairs' levels (drawn with replacement), and the fewest cases a query drew from."""
    pools = {kinds: index.rows_of(kinds) for kinds in {kinds_against(q) for q in queries}}
    each = math.ceil(total / max(1, len(queries)))
    parts = []
    for query in queries:
        pool = pools[kinds_against(query)]
        if len(pool):
            parts.append(pair_levels(index, query, pool[rng.integers(0, len(pool), each)]))
    return _stacked(parts), min((len(pools[kinds_against(q)]) for q in queries), default=0)


def _candidate_levels(
    index: MatchIndex, queries: Sequence[MatchRecord], per_query: int, rng: np.random.Generator
) -> tuple[NDArray[np.int8], list[Pair], NDArray[np.int64]]:
    """The candidate pairs' levels, their ids, and the query each came from (its position in ``queries``)."""
    searched = min(SEARCHED, per_query // 2)
    parts, ids, groups = [], [], []
    for at, query in enumerate(queries):
        kinds = frozenset(kinds_against(query))
        best = [index.row_of.get(m.case_id) for m in index.search(query, kinds, searched)]
        chosen = dict.fromkeys(r for r in best if r is not None)
        blocked = index.candidate_rows(query, kinds)
        others = np.setdiff1d(blocked, np.fromiter(chosen, dtype=np.int64, count=len(chosen)))
        drawn = per_query - len(chosen)
        if len(others) > drawn:
            others = np.sort(rng.choice(others, drawn, replace=False))
        rows = np.array([*chosen, *others.tolist()], dtype=np.int64)
        if len(rows):
            parts.append(pair_levels(index, query, rows))
            ids += [_pair(query, index.records[int(r)]) for r in rows]
            groups += [at] * len(rows)
    return _stacked(parts), ids, np.array(groups, dtype=np.int64)


def _with_labels(
    index: MatchIndex,
    levels: NDArray[np.int8],
    ids: list[Pair],
    groups: NDArray[np.int64],
    group_of: Mapping[str, int],
    labels: Mapping[Pair, bool],
    records: Mapping[str, MatchRecord],
) -> tuple[NDArray[np.int8], NDArray[np.float64], NDArray[np.int64], list[Pair]]:
    """The candidate pairs with reviewed ones marked (1.0 confirmed, 0.0 rejected, NaN not reviewed), and the
    reviewed pairs the candidates did not reach added (in their query's group, or, when the found child is no query
    (closed), in one group of that child's), their levels computed against a side index when ``index`` no longer
    holds the missing child's case."""
    marks = np.full(len(levels), np.nan)
    at = {pair: i for i, pair in enumerate(ids)}
    extra: list[Mapping[str, NDArray[np.int8]]] = []
    extra_marks: list[float] = []
    extra_groups: list[int] = []
    extra_ids: list[Pair] = []
    next_group = int(groups.max(initial=-1)) + 1 + len(group_of)
    closed: dict[str, int] = {}  # found children that are no query: their group
    for (missing_id, other_id), confirmed in sorted(labels.items()):
        if (missing_id, other_id) in at:
            marks[at[(missing_id, other_id)]] = float(confirmed)
            continue
        missing, other = _pair_records(index, (missing_id, other_id), records)
        if missing is None or other is None:
            continue  # a case deleted since: nothing to compare
        held = index.row_of.get(missing_id) if index.record(missing_id) == missing else None
        if held is None:
            side = MatchIndex(today=index.today)
            side.upsert(missing)
            side.set_weights(index.weights)
            extra.append(pair_levels(side, other, np.zeros(1, dtype=np.int64)))  # its one row
        else:
            extra.append(pair_levels(index, other, np.array([held], dtype=np.int64)))
        extra_marks.append(float(confirmed))
        extra_ids.append((missing_id, other_id))
        if other_id in group_of:
            extra_groups.append(group_of[other_id])
        else:  # one group per found child, however many of its pairs were reviewed (``reported_share`` counts them)
            if other_id not in closed:
                closed[other_id] = next_group
                next_group += 1
            extra_groups.append(closed[other_id])
    if not extra:
        return levels, marks, groups, ids
    return (
        np.concatenate([levels, _stacked(extra)]),
        np.concatenate([marks, np.array(extra_marks)]),
        np.concatenate([groups, np.array(extra_groups, dtype=np.int64)]),
        [*ids, *extra_ids],
    )


def _temperature(
    index: MatchIndex,
    weights: Weights,
    labels: Mapping[Pair, bool],
    records: Mapping[str, MatchRecord],
    candidates: tuple[Sequence[Pair], NDArray[np.int64], NDArray[np.float64]],
    rng: np.random.Generator,
) -> tuple[float, TemperedBy]:
    """The probability's temperature (``calibration.py``) and what judged the pairs it was fitted to: the reviews
    when there are enough, else EM's match probabilities of each found child's likeliest candidates (of at most
    ``JUDGED_CHILDREN`` found children), else none (1)."""
    reviewed = calibration.fit(
        _judged(index, weights, {p: float(c) for p, c in labels.items()}, records), weights.reported
    )
    if reviewed is not None:
        return reviewed, "reviews"
    ids, groups, probability = candidates
    chosen = np.unique(groups)
    if len(chosen) > JUDGED_CHILDREN:
        chosen = np.sort(rng.choice(chosen, JUDGED_CHILDREN, replace=False))
    order = np.lexsort((-probability, groups))  # by child, the likeliest first (ties in pair order)
    by_child = groups[order]
    starts = np.flatnonzero(np.r_[True, by_child[1:] != by_child[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    kept = order[(rank < JUDGED_PAIRS) & np.isin(by_child, chosen)]
    likeliest = {ids[i]: float(probability[i]) for i in kept.tolist()}
    estimated = calibration.fit(_judged(index, weights, likeliest, records), weights.reported)
    return (estimated, "EM") if estimated is not None else (1.0, "none")


def _judged(
    index: MatchIndex, weights: Weights, pairs: Mapping[Pair, float], records: Mapping[str, MatchRecord]
) -> list[calibration.Judged]:
    """Each found child's judged ``pairs`` (how likely each is the child) scored with ``weights``, its cases in the
    index or, closed, in ``records``: a child's reports in one ``score_records``."""
    by_child: dict[str, list[tuple[MatchRecord, float]]] = {}
    queries: dict[str, MatchRecord] = {}
    for (missing_id, other_id), matched in sorted(pairs.items()):
        missing, found = _pair_records(index, (missing_id, other_id), records)
        if missing is None or found is None:
            continue  # a case deleted since
        by_child.setdefault(other_id, []).append((missing, matched))
        queries[other_id] = found
    return [
        calibration.Judged(
            np.array([m.total for m in index.score_records(queries[child], [r for r, _ in judged], weights)]),
            np.array([p for _, p in judged], dtype=np.float64),
            index.population(kinds_against(queries[child])),
        )
        for child, judged in by_child.items()
    ]


def _pair_records(
    index: MatchIndex, pair: Pair, records: Mapping[str, MatchRecord]
) -> tuple[MatchRecord | None, MatchRecord | None]:
    """A pair's missing and other record: the index's, else ``records``' (a closed case, a query not held)."""
    missing_id, other_id = pair
    return index.record(missing_id) or records.get(missing_id), index.record(other_id) or records.get(other_id)


def _routes(
    index: MatchIndex,
    weights: Weights,
    ids: Sequence[Pair],
    probability: NDArray[np.float64],
    records: Mapping[str, MatchRecord],
) -> Routes:
    """The routes the candidate pairs show, each counted by its match probability (``routes.learn``), against the
    missing reports the index holds."""
    flows = []
    for (missing_id, other_id), p in zip(ids, probability.tolist(), strict=True):
        if p < ROUTE_LEAST_PROBABILITY:
            continue
        missing, found = _pair_records(index, (missing_id, other_id), records)
        if missing is not None and found is not None and missing.state and found.state:
            flows.append(Flow(missing.state, (found.state, found.district), p))
    table = weights.table("place")
    same = float(table[SAME_DISTRICT])
    return learn(flows, index.reports_by_district(), lambda km: place_bits(km, table), same, index.centroids)


def _pair(query: MatchRecord, candidate: MatchRecord) -> Pair:
    if query.kind is CaseKind.MISSING:
        return (query.case_id, candidate.case_id)
    return (candidate.case_id, query.case_id)
