"""How many rows the search compares one text comparison for: the measure of how much a bound lets it skip.

``vector_score.text`` is the only place texts are compared (the search calls it through the module, so a wrapper put
there sees every call); ``comparing(name)`` counts the rows of every call that makes comparison ``name``, and puts the
function back when the block ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trackchild_hub.matching import vector_score
from trackchild_hub.matching.probe import Probe
from trackchild_hub.matching.weights import Weights


@dataclass
class Count:
    rows: int = 0


@contextmanager
def comparing(name: str) -> Iterator[Count]:
    """Count in ``.rows`` the rows ``vector_score.text`` compares comparison ``name`` for, within the block."""
    count = Count()
    text = vector_score.text

    def counted(
        probe: Probe,
        texts: Callable[[str], list[str]],
        events: NDArray[np.int32],
        weights: Weights,
        only: tuple[str, ...] = vector_score.TEXT,
    ) -> vector_score.Parts:
        if name in only:
            count.rows += len(events)
        return text(probe, texts, events, weights, only)

    vector_score.text = counted
    try:
        yield count
    finally:
        vector_score.text = text
