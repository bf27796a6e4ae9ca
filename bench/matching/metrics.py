"""Figures from ranked results: blocking recall, candidates per query, recall@k, MRR, and their breakdowns.

An ``Outcome`` is one query's result: whether its true case was among the blocked candidates, how many candidates
there were, and the 1-based rank of the true case in the search results (None: not returned). Recall and MRR are over
the queries that have a true case; candidate counts are over all queries; the unmatched queries are summarised apart
(how often a search for a child nobody reported still puts a LIKELY match first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .._common import percentile

KS = (1, 5, 10, 50)


@dataclass(frozen=True, slots=True)
class Outcome:
    truth: str | None
    in_candidates: bool
    candidates: int
    rank: int | None  # of the truth in the search results, 1-based
    top_band: str | None  # band of the first result ("LIKELY", "POSSIBLE", None)
    top_is_truth: bool
    search_seconds: float
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Summary:
    queries: int  # all queries in the group
    matched: int  # ... with a true case
    blocking_recall: float
    candidates_mean: float
    candidates_p50: float
    candidates_p95: float
    recall: dict[int, float]  # k -> recall@k
    mrr: float
    likely_precision: float  # of the queries whose first result is LIKELY, the share where it is the true case
    unmatched_likely: float  # of the queries with no true case, the share whose first result is LIKELY anyway
    likely_found: float  # of the queries with a true case, the share whose first result is it, LIKELY

    def as_json(self) -> dict[str, object]:
        return {
            "queries": self.queries,
            "matched": self.matched,
            "blocking_recall": _r(self.blocking_recall),
            "candidates": {"mean": _r(self.candidates_mean), "p50": self.candidates_p50, "p95": self.candidates_p95},
            "recall": {f"@{k}": _r(v) for k, v in self.recall.items()},
            "mrr": _r(self.mrr),
            "likely_precision": _r(self.likely_precision),
            "unmatched_likely": _r(self.unmatched_likely),
            "likely_found": _r(self.likely_found),
        }


def reciprocal_rank(rank: int | None) -> float:
    return 1 / rank if rank else 0.0


def mrr(ranks: Sequence[int | None]) -> float:
    """Mean reciprocal rank; a missing rank counts 0. ``mrr([1, 2, None])`` is (1 + 0.5 + 0) / 3."""
    return sum(reciprocal_rank(r) for r in ranks) / len(ranks) if ranks else math.nan


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else math.nan


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    matched = [o for o in outcomes if o.truth is not None]
    unmatched = [o for o in outcomes if o.truth is None]
    ranks = [o.rank for o in matched]
    counts = sorted(float(o.candidates) for o in outcomes)
    likely = [o for o in outcomes if o.top_band == "LIKELY"]
    return Summary(
        queries=len(outcomes),
        matched=len(matched),
        blocking_recall=_share(matched, lambda o: o.in_candidates),
        candidates_mean=sum(counts) / len(counts) if counts else math.nan,
        candidates_p50=percentile(counts, 50),
        candidates_p95=percentile(counts, 95),
        recall={k: recall_at(ranks, k) for k in KS},
        mrr=mrr(ranks),
        likely_precision=_share(likely, lambda o: o.top_is_truth),
        unmatched_likely=_share(unmatched, lambda o: o.top_band == "LIKELY"),
        likely_found=_share(matched, lambda o: o.top_band == "LIKELY" and o.top_is_truth),
    )


def breakdown(outcomes: Iterable[Outcome], dimension: str, order: Sequence[str] = ()) -> dict[str, Summary]:
    """One summary per value of the label ``dimension``: values in ``order`` first, then the others sorted."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.labels.get(dimension, "?"), []).append(outcome)
    values = [v for v in order if v in groups] + sorted(v for v in groups if v not in order)
    return {value: summarise(groups[value]) for value in values}


def _share(items: Sequence[Outcome], test: Callable[[Outcome], bool]) -> float:
    return sum(1 for o in items if test(o)) / len(items) if items else math.nan


def _r(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)
