"""From evidence to a score, in the spirit of Fellegi-Sunter: each factor adds a signed weight (log2 of how much
likelier the observation is for the same child than for two different children, ``weights.py``), and the total
becomes a 0..1 score through a logistic with a prior that stands for "most pairs are different children".

The weights come from ``vector_score`` (one model for ranking and explaining); this module only turns a total into
a ``Match`` and says how matches are ordered: by total weight, highest first, then by case id, so equal scores come
back in the same order every time.
"""

from __future__ import annotations

from .records import Band, Factor, Match

PRIOR = -12.0  # log2 odds that two records picked at random from the candidates are the same child
LIKELY, POSSIBLE = 0.95, 0.15


def to_match(case_id: str, weight: float, factors: tuple[Factor, ...]) -> Match:
    """``weight``: the factors' sum (the prior not included)."""
    total = PRIOR + weight
    probability = 1 / (1 + 2 ** (-total))
    band = Band.LIKELY if probability >= LIKELY else Band.POSSIBLE if probability >= POSSIBLE else None
    return Match(case_id, round(probability, 4), band, factors, total)


def rank_key(match: Match) -> tuple[float, str]:
    """Best first; equal totals by case id (deterministic: a tie never depends on the order scored)."""
    return (-match.total, match.case_id)
