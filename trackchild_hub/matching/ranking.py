"""The best ``k`` rows by full score without comparing every row's texts, exactly.

Every row's numeric part is known (cheap), and so is the most its text part could add (``vector_score.text_bound``).
Rows are taken highest bound first, their texts compared a chunk at a time, until every row left has a bound below
the ``k``-th best full score found: no row left can reach the result, so the rows the full score ranks first are
never cut. Ties at the ``k``-th score are all kept (the caller orders them by case id).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

CHUNK = 2000


def top(
    bound: NDArray[np.float64], score: Callable[[NDArray[np.int64]], NDArray[np.float64]], k: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Positions (into ``bound``) of the rows scoring at least the ``k``-th best, and their scores. ``score`` gives
    the full score of the positions it is passed; each is at most its ``bound``."""
    chosen, totals = top_scored(bound, score, k)
    return chosen, totals[chosen]


def top_scored(
    bound: NDArray[np.float64],
    score: Callable[[NDArray[np.int64]], NDArray[np.float64]],
    k: int,
    floor: float = -np.inf,
    refine: Callable[[NDArray[np.int64]], NDArray[np.float64]] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """``top``'s positions, and every row's full score where it was computed, NaN where the row was pruned (the
    probability weighs every candidate: ``scoring.evidence``).

    ``floor``: a score the result is already known to reach (the ``k``-th best of rows ranked apart): rows bounded
    below it are never scored, and only rows scoring at least it are chosen. The best ``k`` of the union of two row
    sets are then among the chosen of the two.

    ``refine``: a tighter bound of the positions it is passed, cheaper than ``score`` (some comparisons made, the
    others bounded). Each row is refined once before it is scored, and only scored if its refined bound still
    reaches the threshold; the refined bounds are written into ``bound`` (the caller's array), so the rows left
    out are weighed by the tightest bound known."""
    n = len(bound)
    totals = np.full(n, -np.inf)
    waiting = np.ones(n, dtype=bool)
    refined = np.zeros(n, dtype=bool) if refine is not None else np.ones(n, dtype=bool)
    threshold = floor
    pool = np.flatnonzero(bound >= threshold)  # the rows still waiting that can reach the threshold: it only shrinks
    scored: list[NDArray[np.float64]] = []
    while True:
        # The order texts are compared in changes how soon the threshold rises, never the result.
        pool = pool[waiting[pool] & (bound[pool] >= threshold)]
        if len(pool) == 0:
            break
        at = pool if len(pool) <= CHUNK else np.sort(pool[np.argpartition(-bound[pool], CHUNK - 1)[:CHUNK]])
        fresh = at[~refined[at]]
        if refine is not None and len(fresh):
            bound[fresh] = np.minimum(bound[fresh], refine(fresh))
            refined[fresh] = True
            # Scored now: the rows still bounded at least as high as any row not yet refined (best first, so the
            # threshold rises before the rest are refined); the others wait for the next round.
            others = pool[~refined[pool]]
            best_other = float(bound[others].max()) if len(others) else -np.inf
            at = at[bound[at] >= max(threshold, best_other)]
            if len(at) == 0:
                continue
        totals[at] = score(at)
        waiting[at] = False
        scored.append(totals[at])
        if k > 0 and sum(map(len, scored)) >= k:
            done = np.concatenate(scored)
            scored = [done]
            threshold = max(floor, float(np.partition(done, len(done) - k)[len(done) - k]))
    if k <= 0:
        return np.empty(0, dtype=np.int64), np.full(n, np.nan)
    chosen = np.flatnonzero(np.isfinite(totals) & (totals >= threshold)).astype(np.int64)
    return chosen, np.where(waiting, np.nan, totals)
