"""A pair as a caller outside the candidate's jurisdiction may see it: each comparison's level, weighed as the level,
never the measured value.

Why: a masked candidate (``services/matches.weighed_as_masked``) shows its state, reference, score and reasons, not
the case. Its reasons quoted what was measured ("ages differ by 2.3 years", "height off by 3 cm", "found 12 days
after going missing"), and with the description the caller chose, those are the outside child's age, height and the
day she went missing. The weights said the same: age, place and dates weigh smoothly between their levels
(``vector_score``), so anyone who reads the learned weights could read the measure back from a factor's weight.
Banded, those three weigh as their level does (the place keeps its route's bits: they follow the district, which the
level already tells), and the explanation names the level, never a measured value (``explain.factors``' ``banded``).
The other comparisons already weigh by level (names, parents' names and marks also by how rare the query's own
agreeing words are). The total, and so the score, is then a sum of level weights too.
"""

from __future__ import annotations

from .vector_score import Part, Parts, rounded
from .weights import Weights

SMOOTH = ("age", "place", "dates")  # weighed between levels for a shown candidate


def banded(parts: Parts, weights: Weights) -> Parts:
    """``parts`` with each smooth comparison weighed as its level."""
    out = dict(parts)
    for name in SMOOTH:
        part = parts.get(name)
        if part is None:
            continue
        route = part.extra if name == "place" else None
        weight = weights.table(name)[part.levels] + (0.0 if route is None else route)
        out[name] = Part(part.levels, rounded(weight), part.values, route)
    return out
