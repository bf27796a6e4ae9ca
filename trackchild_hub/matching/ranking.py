"""The best ``k`` rows by full score without comparing every row's texts, exactly.

Every row's numeric part is known (cheap), and so is the most its text part could add (``vector_score.text_bound``).
Rows are taken in order of that upper bound, their texts compared a chunk at a time, until the next row's bound is
below the ``k``-th best full score found: no row left can reach the result, so the rows the full score ranks first
are never cut. Ties at the ``k``-th score are all kept (the caller orders them by case id).
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
    n = len(bound)
    order = np.lexsort((np.arange(n), -bound))  # highest bound first, then by position: the same every time
    totals = np.full(n, -np.inf)
    threshold = -np.inf
    done = 0
    while done < n and bound[order[done]] >= threshold:
        take = order[done : done + CHUNK]
        take = take[bound[take] >= threshold]
        totals[take] = score(take)
        done += CHUNK
        scored = totals[order[:done]]
        if len(scored) >= k > 0:
            threshold = float(np.partition(scored, len(scored) - k)[len(scored) - k])
    chosen = np.flatnonzero(totals >= threshold) if k > 0 else np.empty(0, dtype=np.int64)
    chosen = chosen[np.isfinite(totals[chosen])]
    return chosen.astype(np.int64), totals[chosen]
